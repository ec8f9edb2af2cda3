// libFuzzer harness: the HTTP service's request parsing and routing, without a database.
//
// The input is the byte stream of one connection: parse_request_for_fuzzing() runs it through
// the poller's head_end() check, Poco's HTTPServerSession + HTTPServerRequestImpl over a socket
// (pipelined requests included, as Connections serves them), build_request() and the route
// match of api.cc. Invariants checked (abort on violation, so libFuzzer records the input):
//   * no crash, sanitizer report or exception (but the socketpair's);
//   * the path segments are the target's '/'-separated raw segments, decoded one by one: as many,
//     none longer than its raw form, and a decoded '/' only where the raw segment had %2F;
//   * a route's ids are whole segments; an agency code the id rule accepts (check_agency_code,
//     checked before an agency is stored or echoed in Location) holds no '/', CR, LF or NUL;
//   * the header values passline echoes (Idempotency-Key) or compares (Authorization) hold no
//     CR or LF; the media type is lower case without parameters;
//   * a route that allows the method was found; at most 64 requests, each with a method.
//
// Build: see tests/fuzz/CMakeLists.txt (PASSLINE_BUILD_FUZZ=ON, Clang only).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "passline/app/agencies.h"
#include "request.h"

namespace {

using passline::http::detail::ParsedRequest;
using passline::http::detail::Route;

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_http: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

bool has_any(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

// The non-empty '/'-separated pieces of the target's path, still encoded.
std::vector<std::string_view> raw_segments(std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool has_encoded_slash(std::string_view raw) {
  for (std::size_t i = 0; i + 2 < raw.size(); ++i)
    if (raw[i] == '%' && raw[i + 1] == '2' && (raw[i + 2] == 'f' || raw[i + 2] == 'F')) return true;
  return false;
}

void check(const ParsedRequest& p) {
  const auto& rq = p.request;
  if (rq.method.empty()) violated("a request without a method", rq.target);
  if (has_any(rq.authorization, "\r\n")) violated("CR or LF in Authorization", rq.authorization);
  if (has_any(rq.idempotency_key, "\r\n"))
    violated("CR or LF in Idempotency-Key (echoed in the response)", rq.idempotency_key);
  if (p.bad_target) return;
  for (char c : rq.media_type)
    if (c == ';' || (c >= 'A' && c <= 'Z')) violated("media type not normalised", rq.media_type);
  if (!rq.media_type.empty() && rq.media_type.back() == ' ')
    violated("media type with a trailing space", rq.media_type);
  const auto raw = raw_segments(rq.target);
  if (raw.size() != rq.segments.size())
    violated("segments are not the target's segments", rq.target);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string& seg = rq.segments[i];
    if (seg.empty() || seg.size() > raw[i].size()) violated("a segment longer than its raw form");
    if (seg.find('/') != std::string::npos && !has_encoded_slash(raw[i]))
      violated("a '/' in a segment that was not encoded", rq.target);
  }
  const auto& m = p.match;
  if (p.allowed && m.route == Route::not_found) violated("an allowed request without a route");
  auto is_segment = [&](const std::string& arg) {
    for (const auto& s : rq.segments)
      if (s == arg) return true;
    return false;
  };
  const bool has_arg = m.route == Route::recruitment || m.route == Route::decide ||
                       m.route == Route::decisions || m.route == Route::receipt ||
                       m.route == Route::compliance || m.route == Route::agency ||
                       m.route == Route::rule || m.route == Route::token;
  if (has_arg && !is_segment(m.arg)) violated("a route id that is not a whole segment", m.arg);
  if (m.route == Route::receipt && !is_segment(m.arg2))
    violated("an applicant id that is not a whole segment", m.arg2);
  if (!has_arg && !m.arg.empty()) violated("an id on a route without one", m.arg);
  if (m.route == Route::agency || m.route == Route::compliance) {
    if (passline::app::check_agency_code(m.arg, "code").ok() &&
        has_any(m.arg, std::string_view("/\r\n\0", 4)))
      violated("the id rule accepts a code that cannot go into a header or a path", m.arg);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto parsed = passline::http::detail::parse_request_for_fuzzing(in, 4096, 1u << 16);
  if (parsed.size() > 64) violated("more than 64 requests from one connection");
  for (const ParsedRequest& p : parsed) check(p);
  return 0;
}
