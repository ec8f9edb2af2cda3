// The web console's static files (docs/CONSOLE.md): console/dist, embedded at build time by
// cmake/embed_files.cmake, served at `/` (index.html) and `/assets/NAME`. The set of files is
// fixed when the binary is built; a request's path only selects one of them by exact name and
// never reaches the filesystem.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "passline/rule_pack.h"
#include "service.h"

namespace passline::detail {
const std::vector<std::pair<std::string, std::string>>& http_console_files();
}

namespace passline::http::detail {
namespace {

// No inline script or style, nothing from elsewhere: every asset is one of ours.
constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

struct Asset {
  std::string_view body;
  std::string content_type;
  std::string etag;  // a strong validator: the first 128 bits of the body's SHA-256
  bool immutable = false;
};

std::string content_type_for(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

// "/" is index.html; "assets/NAME" is NAME under /assets/. The bundler names every asset by a
// hash of its content (console/build.mjs), so an asset never changes under its name and may
// be cached for good; index.html, which names them, is revalidated each time.
const std::map<std::string, Asset, std::less<>>& assets() {
  static const std::map<std::string, Asset, std::less<>> map = [] {
    std::map<std::string, Asset, std::less<>> m;
    for (const auto& [path, body] : passline::detail::http_console_files()) {
      std::string key = path == "index.html" ? std::string() : path;
      std::string etag(1, '"');  // (not "\"" + ...: GCC 12's -Wrestrict false positive)
      etag.append(sha256_hex(body), 0, 32);
      etag += '"';
      Asset a{body, content_type_for(path), std::move(etag), path != "index.html"};
      m.emplace(std::move(key), std::move(a));
    }
    return m;
  }();
  return map;
}

// True when the If-None-Match list names `etag` (or is "*"). Weak comparison (RFC 9110
// §13.1.2): a W/ prefix is ignored.
bool matches(std::string_view list, std::string_view etag) {
  std::size_t pos = 0;
  while (pos < list.size()) {
    std::size_t end = list.find(',', pos);
    if (end == std::string_view::npos) end = list.size();
    std::string_view tag = list.substr(pos, end - pos);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::optional<Reply> serve_console(const Request& rq, Route& route) {
  const auto& files = assets();
  if (files.empty()) return std::nullopt;  // built with PASSLINE_CONSOLE=OFF
  std::string key;
  if (rq.segments.empty()) {
    if (rq.target.substr(0, rq.target.find_first_of("?#")) != "/") return std::nullopt;
  } else if (rq.segments.size() == 2 && rq.segments[0] == "assets") {
    key = "assets/" + rq.segments[1];
  } else {
    return std::nullopt;
  }
  auto it = files.find(key);
  if (it == files.end()) return std::nullopt;  // the API's 404
  route = Route::console;
  const Asset& a = it->second;
  Reply r;
  if (rq.method != "GET" && rq.method != "HEAD") {
    r = problem(make_error("method_not_allowed", "", "this resource allows GET, HEAD"));
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cache-Control",
                         a.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("ETag", a.etag);
  if (!rq.if_none_match.empty() && matches(rq.if_none_match, a.etag)) {
    r.status = 304;
    return r;
  }
  r.content_type = a.content_type;
  r.body = std::string(a.body);
  return r;
}

}  // namespace passline::http::detail

namespace passline::http {
bool console_built() noexcept { return !passline::detail::http_console_files().empty(); }
}  // namespace passline::http
