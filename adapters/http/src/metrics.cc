// Prometheus text exposition (metrics.h).
#include "metrics.h"

namespace passline::http::detail {
namespace {

constexpr std::string_view kMethodNames[] = {"GET", "POST", "DELETE", "PUT", "HEAD", "other"};
constexpr int kStatusCodes[] = {200,
                                201,
                                204,
                                400,
                                401,
                                403,
                                404,
                                405,
                                409,
                                413,
                                415,
                                422,
                                500,
                                503,
                                0 /* other 4xx */,
                                1 /* other 5xx */,
                                2 /* other */};
constexpr std::string_view kBasisNames[] = {"rank", "tie", "additional", "fail"};
constexpr std::string_view kConnEventNames[] = {"accepted",           "refused_server_full",
                                                "refused_peer_limit", "header_timeout",
                                                "header_too_large",   "idle_closed"};
static_assert(std::size(kConnEventNames) == static_cast<std::size_t>(ConnEvent::count));

int method_index(std::string_view m) {
  constexpr int kOther = static_cast<int>(std::size(kMethodNames)) - 1;
  for (int i = 0; i < kOther; ++i)
    if (kMethodNames[i] == m) return i;
  return kOther;
}

int status_index(int status) {
  for (int i = 0; i < 14; ++i)
    if (kStatusCodes[i] == status) return i;
  if (status >= 400 && status < 500) return 14;
  if (status >= 500) return 15;
  return 16;
}

std::string status_label(int index) {
  if (index < 14) return std::to_string(kStatusCodes[index]);
  return index == 14 ? "4xx" : index == 15 ? "5xx" : "other";
}

// Microseconds as seconds in decimal text, exactly (no floating point): 2500 -> 0.0025.
std::string seconds_text(std::uint64_t micros) {
  std::string frac = std::to_string(micros % 1000000);
  frac = std::string(6 - frac.size(), '0') + frac;
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return std::to_string(micros / 1000000) + (frac.empty() ? "" : "." + frac);
}

}  // namespace

std::string_view route_name(Route r) noexcept {
  switch (r) {
    case Route::healthz: return "/healthz";
    case Route::readyz: return "/readyz";
    case Route::metrics: return "/metrics";
    case Route::openapi: return "/v1/openapi.json";
    case Route::recruitments: return "/v1/recruitments";
    case Route::recruitment: return "/v1/recruitments/{id}";
    case Route::decide: return "/v1/recruitments/{id}/decide";
    case Route::decisions: return "/v1/recruitments/{id}/decisions";
    case Route::compliance: return "/v1/agencies/{code}/compliance";
    case Route::report: return "/v1/report";
    case Route::rules: return "/v1/rules";
    case Route::rule: return "/v1/rules/{id}";
    case Route::tokens: return "/v1/tokens";
    case Route::token: return "/v1/tokens/{id}";
    case Route::audit_checkpoint: return "/v1/audit/checkpoint";
    case Route::audit_entries: return "/v1/audit/entries";
    case Route::audit_inclusion: return "/v1/audit/proofs/inclusion";
    case Route::audit_consistency: return "/v1/audit/proofs/consistency";
    case Route::receipt: return "/v1/recruitments/{id}/applicants/{applicant}/receipt";
    case Route::explanation: return "/v1/recruitments/{id}/applicants/{applicant}/explanation";
    case Route::agencies: return "/v1/agencies";
    case Route::agency: return "/v1/agencies/{code}";
    case Route::agencies_import: return "/v1/agencies/import";
    case Route::whoami: return "/v1/whoami";
    case Route::console: return "/ (console)";
    case Route::log_checkpoint: return "/checkpoint";
    case Route::log_tile: return "/tile/{path}";
    case Route::units: return "/v1/recruitments/{id}/units";
    case Route::not_found: return "unmatched";
    case Route::count: break;
  }
  return "unmatched";
}

void Metrics::record(Route route, std::string_view method, int status,
                     std::int64_t micros) noexcept {
  const int r = static_cast<int>(route);
  requests_[(r * kMethods + method_index(method)) * kStatuses + status_index(status)].fetch_add(
      1, std::memory_order_relaxed);
  Histogram& h = latency_[r];
  const std::uint64_t us = micros < 0 ? 0 : static_cast<std::uint64_t>(micros);
  std::size_t b = 0;
  while (b < kBucketsMicros.size() && us > static_cast<std::uint64_t>(kBucketsMicros[b])) ++b;
  h.buckets[b].fetch_add(1, std::memory_order_relaxed);
  h.sum_micros.fetch_add(us, std::memory_order_relaxed);
  h.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_decisions(Basis b, std::int64_t n) noexcept {
  decisions_[static_cast<int>(b)].fetch_add(static_cast<std::uint64_t>(n),
                                            std::memory_order_relaxed);
}

void Metrics::count_connection(ConnEvent e) noexcept {
  conn_events_[static_cast<int>(e)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::set_connections(std::int64_t open, std::int64_t serving) noexcept {
  open_connections_.store(open, std::memory_order_relaxed);
  serving_connections_.store(serving, std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out +=
      "# HELP passline_http_requests_total HTTP requests answered, by route template, method "
      "and status.\n# TYPE passline_http_requests_total counter\n";
  for (int r = 0; r < kRoutes; ++r)
    for (int m = 0; m < kMethods; ++m)
      for (int s = 0; s < kStatuses; ++s) {
        const auto n =
            requests_[(r * kMethods + m) * kStatuses + s].load(std::memory_order_relaxed);
        if (n == 0) continue;
        out += "passline_http_requests_total{route=\"" +
               std::string(route_name(static_cast<Route>(r))) + "\",method=\"" +
               std::string(kMethodNames[m]) + "\",status=\"" + status_label(s) + "\"} " +
               std::to_string(n) + "\n";
      }
  out +=
      "# HELP passline_http_request_duration_seconds Time from the request's arrival to the "
      "end of its response, by route template.\n"
      "# TYPE passline_http_request_duration_seconds histogram\n";
  for (int r = 0; r < kRoutes; ++r) {
    const Histogram& h = latency_[r];
    const auto count = h.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string route(route_name(static_cast<Route>(r)));
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBucketsMicros.size(); ++b) {
      cumulative += h.buckets[b].load(std::memory_order_relaxed);
      const std::string le = b < kBucketsMicros.size()
                                 ? seconds_text(static_cast<std::uint64_t>(kBucketsMicros[b]))
                                 : "+Inf";
      out += "passline_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + le +
             "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "passline_http_request_duration_seconds_sum{route=\"" + route + "\"} " +
           seconds_text(h.sum_micros.load(std::memory_order_relaxed)) + "\n";
    out += "passline_http_request_duration_seconds_count{route=\"" + route + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out +=
      "# HELP passline_decisions_total Applicants decided through this server, by the basis "
      "of their final outcome (fail: did not pass their last stage reached).\n"
      "# TYPE passline_decisions_total counter\n";
  for (int b = 0; b < static_cast<int>(Basis::count); ++b)
    out += "passline_decisions_total{basis=\"" + std::string(kBasisNames[b]) + "\"} " +
           std::to_string(decisions_[b].load(std::memory_order_relaxed)) + "\n";
  out +=
      "# HELP passline_http_connections Open connections (sampled every 100 ms): all of them, "
      "and those in a request.\n# TYPE passline_http_connections gauge\n";
  out += "passline_http_connections{state=\"open\"} " +
         std::to_string(open_connections_.load(std::memory_order_relaxed)) + "\n";
  out += "passline_http_connections{state=\"serving\"} " +
         std::to_string(serving_connections_.load(std::memory_order_relaxed)) + "\n";
  out +=
      "# HELP passline_http_connection_events_total Connections accepted, refused and closed "
      "by the server, by event.\n# TYPE passline_http_connection_events_total counter\n";
  for (int e = 0; e < static_cast<int>(ConnEvent::count); ++e)
    out += "passline_http_connection_events_total{event=\"" + std::string(kConnEventNames[e]) +
           "\"} " + std::to_string(conn_events_[e].load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace passline::http::detail
