// Building the routes' Request from the bytes of a request head, split out of the server so the
// request fuzz harness (tests/fuzz/fuzz_http.cc) runs the very code the server does. Not part
// of the public API.
#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics.h"
#include "service.h"

namespace passline::http::detail {

/// Where the request head at the start of `s` ends (just past "\n\r\n" or "\n\n": Poco accepts
/// bare LF lines), or npos when it is not complete. The poller hands a connection to a worker
/// once this finds the end. Pure; thread-safe.
std::size_t head_end(std::string_view s);

/// Fills rq's target, segments, query, media_type, authorization and idempotency_key from a
/// request head Poco parsed (rq.method and rq.body are left alone). The path is split at '/'
/// first and each segment percent-decoded after, so an encoded '/' (%2F) never adds a segment.
/// Returns false when the target is not a path with valid percent-encoding ('%' then two hex
/// digits) or Poco cannot parse its query; rq is then partly filled. Thread-safe.
bool build_request(const Poco::Net::HTTPRequest& req, Request& rq);

/// A route of api.cc matched against a request's path segments.
struct RouteMatch {
  Route route = Route::not_found;
  std::string_view allow;  ///< the methods it allows, "GET, POST" (static storage)
  std::string arg;         ///< {id} / {code}
  std::string arg2;        ///< {applicant}
};

/// The route serve_api() serves `segments` with (Route::not_found when none). Pure; thread-safe.
RouteMatch match_route(const std::vector<std::string>& segments);

/// True when `method` is one of the comma-separated `allow` ("GET, POST"). Pure.
bool route_allows(std::string_view allow, const std::string& method);

/// The problem reply for a request head whose framing is ambiguous (RFC 9112 §6.3: several
/// Content-Length fields, Content-Length with Transfer-Encoding, a transfer coding other than
/// chunked, a Content-Length that is not 1 to 18 digits), or nullopt when it is sound. The
/// reply closes the connection. Pure; thread-safe.
std::optional<Reply> framing_problem(const Poco::Net::HTTPRequest& req);

/// The problem reply for what Poco's parser threw (its message, `what`) while reading a request
/// head: 414 `uri_too_long`, 431 `header_too_large` or 400 `bad_request`; it closes the
/// connection. Pure; thread-safe.
Reply unreadable_head_problem(const std::string& what);

/// The problem reply for a Content-Length Poco could not read as a number (it throws a
/// SyntaxException while building the request): 400 `bad_request`, closing. Pure.
Reply bad_content_length_problem();

/// Writes the access-log line of a request refused before it reached the handler (server.cc).
void log_refused(Context& cx, const std::string& remote, int status, const std::string& why);

/// One request of a connection's bytes, as the server would serve it.
struct ParsedRequest {
  Request request;          ///< method and everything build_request() fills; the body as read
  bool bad_target = false;  ///< build_request() refused the target: the server answers 400
  RouteMatch match;         ///< valid when !bad_target
  bool allowed = false;     ///< match.route is found and allows the method
  bool keep_alive = false;  ///< the connection would be kept for a next request
};

/// The requests the server would read from a connection that sends `bytes` and then closes:
/// the poller's head_end() check (at most max_header_bytes), Poco's HTTPServerSession and
/// HTTPServerRequestImpl over a socket that serves the bytes (as Connections does, keeping
/// what a session read past a request for the next one), build_request(), match_route() and
/// route_allows(); the body is read to its end (up to max_body_bytes, as the server would).
/// No database, no handler: for the fuzz harness, and tests. Stops at the first head that is
/// incomplete, too large, or not HTTP (Poco's MessageException), or after 64 requests. Throws
/// only what creating a socket pair throws (std::system_error). Thread-safe.
std::vector<ParsedRequest> parse_request_for_fuzzing(std::string_view bytes,
                                                     std::size_t max_header_bytes = 16384,
                                                     std::size_t max_body_bytes = 1u << 20);

}  // namespace passline::http::detail
