// Prometheus metrics of the HTTP service (docs/HTTP.md, "Metrics"): requests and latency by
// route, method and status, and decisions by basis. Recording is lock-free (relaxed atomics in
// fixed arrays); rendering reads them without a lock. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace passline::http::detail {

/// The routes, as templates (the `route` label; never the raw path).
enum class Route : int {
  healthz,
  readyz,
  metrics,
  openapi,
  recruitments,
  recruitment,
  decide,
  decisions,
  compliance,
  report,
  rules,
  rule,
  tokens,
  token,
  audit_checkpoint,
  audit_entries,
  audit_inclusion,
  audit_consistency,
  receipt,
  agencies,
  agency,
  agencies_import,
  not_found,
  count
};
std::string_view route_name(Route r) noexcept;

/// Final outcomes of applicants (their last stage reached), the `basis` label.
enum class Basis : int { rank, tie, additional, fail, count };

class Metrics {
 public:
  /// Counts one request and its duration in microseconds.
  void record(Route route, std::string_view method, int status, std::int64_t micros) noexcept;
  void count_decisions(Basis b, std::int64_t n) noexcept;
  /// The text exposition format (version 0.0.4).
  std::string render() const;

 private:
  static constexpr int kMethods = 6;  // GET POST DELETE PUT HEAD other
  static constexpr int kStatuses = 17;
  static constexpr int kRoutes = static_cast<int>(Route::count);
  static constexpr std::array<std::int64_t, 14> kBucketsMicros = {500,     1000,    2500,
                                                                  5000,    10000,   25000,
                                                                  50000,   100000,  250000,
                                                                  500000,  1000000, 2500000,
                                                                  5000000, 10000000};
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBucketsMicros.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> sum_micros{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::array<std::atomic<std::uint64_t>, kRoutes * kMethods * kStatuses> requests_{};
  std::array<Histogram, kRoutes> latency_{};
  std::array<std::atomic<std::uint64_t>, static_cast<int>(Basis::count)> decisions_{};
};

}  // namespace passline::http::detail
