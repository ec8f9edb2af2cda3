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
  explanation,
  agencies,
  agency,
  agencies_import,
  whoami,
  console,  ///< the web console's static files (console.cc)
  log_checkpoint,
  log_tile,
  units,  ///< GET /v1/recruitments/{id}/units
  not_found,
  count
};
std::string_view route_name(Route r) noexcept;

/// Final outcomes of applicants (their last stage reached), the `basis` label.
enum class Basis : int { rank, tie, additional, fail, count };

/// What happened to connections, the `event` label of passline_http_connection_events_total
/// (docs/HTTP.md, "Connections").
enum class ConnEvent : int {
  accepted,
  refused_server_full,  ///< max_connections open: 503 and close
  refused_peer_limit,   ///< max_connections_per_peer open from that address: 503 and close
  header_timeout,       ///< the head did not arrive within header_timeout_ms: 408 and close
  header_too_large,     ///< the head grew past max_header_bytes: 431 and close
  idle_closed,          ///< idle past keep_alive_seconds (or a new one that never sent a byte)
  count
};

class Metrics {
 public:
  void count_connection(ConnEvent e) noexcept;
  /// The connection gauges: open connections, and those of them in a request.
  void set_connections(std::int64_t open, std::int64_t serving) noexcept;
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
  std::array<std::atomic<std::uint64_t>, static_cast<int>(ConnEvent::count)> conn_events_{};
  std::atomic<std::int64_t> open_connections_{0}, serving_connections_{0};
};

}  // namespace passline::http::detail
