// The routes' Request from Poco's parsed head (request.h).
#include "request.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace passline::http::detail {
namespace {

// Poco 1.11's parser limits (private in HTTPRequest and MessageHeader), for the messages.
constexpr int kMaxTarget = 16384, kMaxFields = 100, kMaxName = 256, kMaxValue = 8192;

Reply refused(ErrorCode code, const std::string& detail) {
  Reply r = problem(make_error(code, "", detail));
  r.close = true;
  return r;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path of `target` (up to '?' or '#') split at '/', then each segment percent-decoded;
// empty segments are dropped (as Poco's getPathSegments does). nullopt when a '%' is not
// followed by two hex digits.
std::optional<std::vector<std::string>> path_segments(std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view raw = path.substr(pos, end - pos);
    if (!raw.empty()) {
      std::string seg;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
          seg += raw[i];
          continue;
        }
        if (i + 2 >= raw.size()) return std::nullopt;
        const int hi = hex_digit(raw[i + 1]), lo = hex_digit(raw[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        seg += static_cast<char>(hi * 16 + lo);
        i += 2;
      }
      out.push_back(std::move(seg));
    }
    pos = end + 1;
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::size_t head_end(std::string_view s) {
  for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) {
    if (i + 1 < s.size() && s[i + 1] == '\n') return i + 2;
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

bool build_request(const Poco::Net::HTTPRequest& req, Request& rq) {
  rq.target = req.getURI();
  auto segments = path_segments(rq.target);
  if (!segments) return false;
  rq.segments = std::move(*segments);
  try {
    Poco::URI uri(rq.target);
    for (auto& kv : uri.getQueryParameters()) rq.query.push_back(std::move(kv));
  } catch (const Poco::SyntaxException&) {
    return false;
  }
  rq.media_type = lower(req.getContentType());
  if (auto semi = rq.media_type.find(';'); semi != std::string::npos) rq.media_type.erase(semi);
  while (!rq.media_type.empty() && rq.media_type.back() == ' ') rq.media_type.pop_back();
  rq.authorization = req.get("Authorization", "");
  rq.idempotency_key = req.get("Idempotency-Key", "");
  rq.if_none_match = req.get("If-None-Match", "");
  return true;
}

Reply unreadable_head_problem(const std::string& what) {
  if (what.find("URI") != std::string::npos)
    return refused("uri_too_long", "the request target is longer than this server accepts (" +
                                       std::to_string(kMaxTarget) + " bytes)");
  if (what.find("ield") != std::string::npos)  // "Too many header fields", "Field ... too long"
    return refused("header_too_large", "the request has more than " + std::to_string(kMaxFields) +
                                           " header fields, a field name over " +
                                           std::to_string(kMaxName) + " bytes or a value over " +
                                           std::to_string(kMaxValue) + " bytes");
  return refused("bad_request", "the request line is not 'METHOD TARGET HTTP/1.x' (" + what + ")");
}

std::optional<Reply> framing_problem(const Poco::Net::HTTPRequest& req) {
  std::size_t lengths = 0;
  std::string length;
  bool transfer_encoding = false;
  std::string coding;
  for (const auto& [name, value] : req) {
    const std::string n = lower(name);
    if (n == "content-length") {
      ++lengths;
      length = value;
    } else if (n == "transfer-encoding") {
      if (transfer_encoding)
        return refused("bad_request", "the request has Transfer-Encoding twice");
      transfer_encoding = true;
      coding = lower(value);
    }
  }
  if (lengths > 1)
    return refused("bad_request", "the request has " + std::to_string(lengths) +
                                      " Content-Length fields; send one (RFC 9112 §6.3)");
  if (transfer_encoding && lengths == 1)
    return refused("bad_request",
                   "the request has both Transfer-Encoding and Content-Length; send one "
                   "(RFC 9112 §6.1)");
  if (transfer_encoding && coding != "chunked")
    return refused("bad_request", "the only transfer coding this server reads is chunked, alone");
  if (lengths == 1 && (length.empty() || length.size() > 18 ||
                       !std::all_of(length.begin(), length.end(),
                                    [](unsigned char c) { return c >= '0' && c <= '9'; })))
    return refused("bad_request", "Content-Length must be a decimal number of at most 18 digits");
  return std::nullopt;
}

Reply bad_content_length_problem() {
  return refused("bad_request", "Content-Length must be a decimal number of at most 18 digits");
}

}  // namespace passline::http::detail
