// The Poco side of the HTTP service: listening, the one base request handler (reads and limits
// the body, answers every request even when something throws, logs and counts it), graceful
// stop, configuration, and the error-code-to-status mapping.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "connections.h"
#include "request.h"
#include "passline/id.h"
#include "service.h"

namespace passline::http {

int http_status_for(ErrorCode code) noexcept { return code.http_status(); }

namespace {

std::string_view title_for(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

}  // namespace

std::string problem_json(const Error& e, int status) {
  nlohmann::json j = {{"type", "urn:passline:error:" + e.code},
                      {"title", title_for(status)},
                      {"status", status},
                      {"detail", e.message.empty() ? std::string(e.code.meaning()) : e.message},
                      {"code", e.code.name()},
                      {"path", e.path}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Status check_options(const ServerOptions& o) {
  auto bad = [](std::string key, std::string what) {
    return make_error("bad_config", key, key + " " + what);
  };
  if (o.port < 0 || o.port > 65535) return bad("port", "must be 0..65535");
  if (o.threads < 1 || o.threads > 4096) return bad("threads", "must be 1..4096");
  if (o.max_queued < 1) return bad("max_queued", "must be at least 1");
  if (o.keep_alive_seconds < 1 || o.keep_alive_seconds > 3600)
    return bad("keep_alive_seconds", "must be 1..3600");
  if (o.max_keep_alive_requests < 1) return bad("max_keep_alive_requests", "must be at least 1");
  if (o.max_body_bytes < 1024) return bad("max_body_bytes", "must be at least 1024");
  if (o.db_pool < 0) return bad("db_pool", "must be 0 (as many as threads) or more");
  if (o.lease_timeout_ms < 1) return bad("lease_timeout_ms", "must be at least 1");
  if (o.token_cache_seconds < 0) return bad("token_cache_seconds", "must be 0 or more");
  if (o.report_cache_ms < 0) return bad("report_cache_ms", "must be 0 or more");
  if (o.shutdown_grace_seconds < 0) return bad("shutdown_grace_seconds", "must be 0 or more");
  if (o.max_connections < 1) return bad("max_connections", "must be at least 1");
  if (o.max_connections_per_peer < 1) return bad("max_connections_per_peer", "must be at least 1");
  if (o.header_timeout_ms < 1) return bad("header_timeout_ms", "must be at least 1");
  if (o.max_header_bytes < 1024 || o.max_header_bytes > (1u << 20))
    return bad("max_header_bytes", "must be 1024..1048576");
  if (o.body_min_rate < 0) return bad("body_min_rate", "must be 0 (no minimum) or more");
  if (o.next_request_wait_ms < 0 || o.next_request_wait_ms > 1000)
    return bad("next_request_wait_ms", "must be 0 (never wait) to 1000");
  if (o.malloc_mmap_threshold < 0 || o.malloc_mmap_threshold > (32 << 20))
    return bad("malloc_mmap_threshold", "must be 0 (glibc's default) to 33554432 bytes");
  if (o.malloc_trim_ms < 0) return bad("malloc_trim_ms", "must be 0 (never) or more");
  if (o.malloc_arenas < 0 || o.malloc_arenas > 1024)
    return bad("malloc_arenas", "must be 0 (glibc's default) to 1024");
  return Status::ok_status();
}

Result<ServerOptions> load_config(const std::string& path, ServerOptions o) {
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> cfg;
  try {
    cfg = new Poco::Util::PropertyFileConfiguration(path);
  } catch (const std::exception& e) {
    return make_error("bad_config", path, "cannot read configuration " + path + ": " + e.what());
  }
  std::vector<std::string> keys;
  cfg->keys(keys);
  for (const std::string& k : keys) {
    const std::string v = cfg->getString(k);
    auto integer = [&](auto& slot) -> bool {
      try {
        std::size_t used = 0;
        const long long n = std::stoll(v, &used);
        if (used != v.size()) return false;
        slot = static_cast<std::remove_reference_t<decltype(slot)>>(n);
        return true;
      } catch (...) {
        return false;
      }
    };
    bool ok = true;
    if (k == "db_url")
      o.db_url = v;
    else if (k == "host")
      o.host = v;
    else if (k == "access_log")
      o.access_log = v;
    else if (k == "log_key")
      o.log_key = v;
    else if (k == "port")
      ok = integer(o.port);
    else if (k == "threads")
      ok = integer(o.threads);
    else if (k == "max_queued")
      ok = integer(o.max_queued);
    else if (k == "keep_alive_seconds")
      ok = integer(o.keep_alive_seconds);
    else if (k == "max_keep_alive_requests")
      ok = integer(o.max_keep_alive_requests);
    else if (k == "max_body_bytes")
      ok = integer(o.max_body_bytes);
    else if (k == "db_pool")
      ok = integer(o.db_pool);
    else if (k == "lease_timeout_ms")
      ok = integer(o.lease_timeout_ms);
    else if (k == "token_cache_seconds")
      ok = integer(o.token_cache_seconds);
    else if (k == "report_cache_ms")
      ok = integer(o.report_cache_ms);
    else if (k == "shutdown_grace_seconds")
      ok = integer(o.shutdown_grace_seconds);
    else if (k == "max_connections")
      ok = integer(o.max_connections);
    else if (k == "max_connections_per_peer")
      ok = integer(o.max_connections_per_peer);
    else if (k == "header_timeout_ms")
      ok = integer(o.header_timeout_ms);
    else if (k == "max_header_bytes")
      ok = integer(o.max_header_bytes);
    else if (k == "body_min_rate")
      ok = integer(o.body_min_rate);
    else if (k == "malloc_arenas")
      ok = integer(o.malloc_arenas);
    else if (k == "next_request_wait_ms")
      ok = integer(o.next_request_wait_ms);
    else if (k == "malloc_mmap_threshold")
      ok = integer(o.malloc_mmap_threshold);
    else if (k == "malloc_trim_ms")
      ok = integer(o.malloc_trim_ms);
    else
      return make_error("bad_config", path + ":" + k,
                        "unknown configuration key '" + k + "' in " + path);
    if (!ok)
      return make_error("bad_config", path + ":" + k,
                        "configuration key '" + k + "' needs a whole number, not '" + v + "'");
  }
  auto checked = check_options(o);
  if (!checked) return checked.error();
  return o;
}

namespace detail {

namespace {

// Errors whose message is the machine's business (SQL, database URLs, file paths, OpenSSL's
// reasons): the client gets the code's meaning, the access log the message.
bool server_side(ErrorCode code) {
  return code == "storage" || code == "unreadable_file" || code == "unreadable_dir" ||
         code == "write_failed" || code == "bad_private_key" || code == "crypto_failure" ||
         code == "bad_config" || code == "bind_failed" || code == "internal";
}

}  // namespace

Reply problem(const Error& e) {
  Reply r;
  r.status = http_status_for(e.code);
  r.content_type = "application/problem+json";
  if (server_side(e.code)) {
    r.body = problem_json(make_error(e.code, "",
                                     std::string(e.code.meaning()) + "; see the server's log"),
                          r.status);
    r.log_detail = e.path.empty() ? e.message : e.path + ": " + e.message;
  } else {
    r.body = problem_json(e, r.status);
  }
  if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

std::optional<sql::Principal> TokenCache::find(const std::string& hash) {
  std::lock_guard lock(mu_);
  auto it = map_.find(hash);
  if (it == map_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() >= it->second.second) {
    map_.erase(it);
    return std::nullopt;
  }
  return it->second.first;
}

void TokenCache::put(const std::string& hash, const sql::Principal& p) {
  if (ttl_.count() == 0) return;
  std::lock_guard lock(mu_);
  if (map_.size() >= 10000) map_.clear();  // bounded; valid tokens simply get looked up again
  map_[hash] = {p, std::chrono::steady_clock::now() + ttl_};
}

std::optional<std::string> ReportCache::find(const std::string& agency, int year) {
  if (ttl_.count() == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = map_.find({agency, year});
  if (it == map_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.generation != generation_.load() || std::chrono::steady_clock::now() >= e.expires)
    return std::nullopt;
  return e.body;
}

void ReportCache::put(const std::string& agency, int year, std::uint64_t generation,
                      std::string body) {
  if (ttl_.count() == 0) return;
  std::lock_guard lock(mu_);
  if (map_.size() >= 4096) map_.clear();
  map_[{agency, year}] = {std::move(body), generation, std::chrono::steady_clock::now() + ttl_};
}

void TokenCache::clear() {
  std::lock_guard lock(mu_);
  map_.clear();
}

AccessLog::AccessLog(const std::string& path) {
  if (path == "off") {
    off_ = true;
    return;
  }
  if (path.empty()) {
    file_ = stderr;
  } else {
    file_ = std::fopen(path.c_str(), "a");
    own_ = true;
  }
  if (!file_) return;
  flusher_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      flush_locked(lock);
    }
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  flush();
  if (own_ && file_) std::fclose(file_);
}

void AccessLog::write(std::string_view line) {
  if (off_ || !file_) return;
  std::lock_guard lock(mu_);
  buffer_.append(line);
  if (buffer_.size() >= (1u << 20)) cv_.notify_one();
}

void AccessLog::flush_locked(std::unique_lock<std::mutex>& lock) {
  if (buffer_.empty() || !file_) return;
  std::string out;
  out.swap(buffer_);
  lock.unlock();  // write without holding up the request threads
  std::fwrite(out.data(), 1, out.size(), file_);
  std::fflush(file_);
  lock.lock();
}

void AccessLog::flush() {
  std::unique_lock lock(mu_);
  flush_locked(lock);
}

Context::Context(const ServerOptions& o)
    : options(o),
      pool(o.db_url, o.db_pool > 0 ? o.db_pool : o.threads,
           std::chrono::milliseconds(o.lease_timeout_ms)),
      tokens(std::chrono::seconds(o.token_cache_seconds)),
      reports(std::chrono::milliseconds(o.report_cache_ms)),
      log(o.access_log),
      trimmer(std::chrono::milliseconds(o.malloc_trim_ms)) {}

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds period) {
#if defined(__GLIBC__)
  if (period.count() <= 0) return;
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, period, [this] { return done_; })) {
      lock.unlock();
      ::malloc_trim(0);  // every arena: free pages inside the heaps too, not only at the top
      lock.lock();
    }
  });
#else
  (void)period;
#endif
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<sql::Store*> Session::store() {
  if (!lease_) {
    auto l = cx_.pool.lease();
    if (!l) return l.error();
    lease_.emplace(std::move(*l));
  }
  return &**lease_;
}

namespace {

std::string now_rfc3339_millis() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

// Reads the body into rq.body. Returns a reply when the request cannot be served: 413 (the
// connection is then closed rather than drained: a client sending too much is not read
// further). A request with neither Content-Length nor chunked encoding has no body (RFC 9112
// §6.3): its stream is not touched (`has_body` false), since Poco would read it to the end of
// the connection.
std::optional<Reply> read_body(Poco::Net::HTTPServerRequest& req, std::size_t limit, Request& rq,
                               bool& has_body) {
  const bool chunked = req.getChunkedTransferEncoding();
  has_body = chunked || req.hasContentLength();
  if (!has_body) return std::nullopt;
  auto too_large = [&] {
    Reply r = problem(make_error("body_too_large", "",
                                 "the request body is larger than this server accepts (" +
                                     std::to_string(limit) + " bytes)"));
    r.close = true;
    return r;
  };
  if (!chunked && req.getContentLength64() > static_cast<Poco::Int64>(limit)) return too_large();
  std::istream& in = req.stream();
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = in.gcount();
    if (n <= 0) break;
    rq.body.append(buf, static_cast<std::size_t>(n));
    if (rq.body.size() > limit) return too_large();
  }
  // A read that failed (the client went away, or sent more slowly than body_min_rate allows)
  // leaves the body short: it is answered, never served.
  if (in.bad() ||
      (!chunked && static_cast<Poco::Int64>(rq.body.size()) < req.getContentLength64())) {
    Reply r = body_timed_out(req)
                  ? problem(make_error("request_timeout", "",
                                       "the request body arrived more slowly than this server "
                                       "accepts (body_min_rate)"))
                  : problem(make_error("bad_request", "",
                                       "the request body ended after " +
                                           std::to_string(rq.body.size()) + " bytes"));
    r.close = true;
    has_body = false;  // nothing more is read from this connection
    return r;
  }
  return std::nullopt;
}

// `s` as a JSON string for the access log: quotes and backslashes escaped, and whatever is not
// printable UTF-8 (invalid bytes, control characters, U+007F-U+009F) written as the text \xNN
// (passline::printable), so a request cannot forge a log line or break a log shipper's decoder.
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : printable(s)) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '"';
}

// Every header value of `r` free of CR, LF and NUL: a value built from a request's data (an id
// in Location) can never add a header or end the head early.
bool headers_safe(const Reply& r) {
  for (const auto& [k, v] : r.headers)
    if (k.find_first_of(std::string_view("\r\n\0:", 4)) != std::string::npos ||
        v.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return false;
  return true;
}

// How much of a streamed reply is held before its head goes out (below it, the reply is sent
// whole with a Content-Length, or as a problem when its read fails).
constexpr std::size_t kStreamAfter = 256 * 1024;

// How much of a too-large body is read and discarded after the 413 before the connection closes.
constexpr std::size_t kLingerBytes = 16u << 20;

class BaseHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit BaseHandler(Context& cx) : cx_(cx) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    const auto t0 = std::chrono::steady_clock::now();
    Route route = Route::not_found;
    std::string token_id, failure;
    Reply reply;
    Request rq;
    bool has_body = false;
    std::uint64_t streamed = 0;  // bytes of a streamed body sent
    try {
      rq.method = req.getMethod();
      rq.target = req.getURI();
      auto early = read_body(req, cx_.options.max_body_bytes, rq, has_body);
      if (early) {
        reply = std::move(*early);
      } else {
        if (build_request(req, rq))
          reply = serve_api(cx_, rq, route, token_id);
        else
          reply = problem(make_error("bad_request", "",
                                     "the request target is not a path with valid "
                                     "percent-encoding (RFC 3986: '%' then two hex digits)"));
      }
    } catch (const Poco::Net::NetException& e) {
      failure = e.displayText();  // the client went away mid-body: answer if we still can
      reply = problem(make_error("bad_request", "", "the request could not be read"));
      reply.close = true;
    } catch (const Poco::Exception& e) {
      failure = e.displayText();
      reply = problem(make_error("internal", "", "internal error; see the server's log"));
    } catch (const std::exception& e) {
      failure = e.what();
      reply = problem(make_error("internal", "", "internal error; see the server's log"));
    } catch (...) {
      failure = "unknown exception";
      reply = problem(make_error("internal", "", "internal error; see the server's log"));
    }
    if (!headers_safe(reply)) {  // never sent: the value came from a request's data
      failure = "a response header held CR, LF or NUL";
      reply = problem(make_error("internal", "", ""));
    }
    if (failure.empty()) failure = reply.log_detail;
    if (cx_.stopping.load())
      reply.close = true;  // stopping: no further requests on this connection
    try {
      if (!reply.close && has_body) {
        // Drain whatever the handler left unread so the next request on this connection
        // starts at its first byte.
        std::istream& in = req.stream();
        char buf[8192];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        }
      }
      resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
      for (const auto& [k, v] : reply.headers) resp.set(k, v);
      if (reply.close) resp.setKeepAlive(false);
      if (reply.status == 204) {
        resp.setContentLength(0);
        resp.send();
      } else if (reply.status == 304) {
        resp.send();  // no content and no Content-Length (RFC 9110 §8.6)
      } else if (reply.stream && rq.method == "HEAD") {
        resp.setContentType(reply.content_type);
        resp.setChunkedTransferEncoding(true);
        resp.send();  // the head alone
      } else if (reply.stream) {
        // Held until kStreamAfter bytes: a small document, or one whose read fails early (the
        // database down), is answered whole, with a Content-Length or a problem; a larger one
        // goes out chunked while it is read.
        resp.setContentType(reply.content_type);
        std::string held;
        std::ostream* out = nullptr;
        std::uint64_t sent = 0;
        auto sink = [&](std::string_view piece) {
          if (out == nullptr) {
            held.append(piece);
            if (held.size() < kStreamAfter) return;
            resp.setChunkedTransferEncoding(true);
            out = &resp.send();
            piece = held;
          }
          out->write(piece.data(), static_cast<std::streamsize>(piece.size()));
          if (!*out) throw std::runtime_error("the client stopped reading");
          sent += piece.size();
          if (!held.empty()) std::string().swap(held);
        };
        Status ok;
        try {
          ok = reply.stream(sink);
          if (ok && out != nullptr) out->flush();
        } catch (const std::exception& e) {
          ok = make_error("internal", "", e.what());
        }
        if (out == nullptr) {
          if (!ok) {
            const Reply p = problem(ok.error());
            failure = p.log_detail.empty() ? ok.error().message : p.log_detail;
            reply.status = p.status;
            held = p.body;
            resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(p.status));
            resp.setContentType(p.content_type);
          }
          resp.setContentLength64(static_cast<Poco::Int64>(held.size()));
          resp.sendBuffer(held.data(), held.size());
          streamed = held.size();
        } else {
          streamed = sent;
          if (!ok || !*out) {
            // The head is out: cut the connection, so the client sees a body that never
            // ended rather than a short document that looks whole (no last chunk).
            failure = "streaming the body after " + std::to_string(sent) + " bytes: " +
                      (ok ? std::string("the client stopped reading") : ok.error().message);
            resp.setKeepAlive(false);
            try {
              static_cast<Poco::Net::HTTPServerRequestImpl&>(req).socket().shutdown();
            } catch (...) {
            }
          }
        }
      } else {
        resp.setContentType(reply.content_type);
        resp.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
        resp.sendBuffer(reply.body.data(), reply.body.size());
      }
      if (reply.close && has_body && reply.status == 413) {
        // Lingering close: discard what the client is still sending (up to a bound) so it can
        // read the 413 instead of a connection reset in the middle of its upload.
        std::istream& in = req.stream();
        char buf[65536];
        std::size_t discarded = 0;
        while (discarded < kLingerBytes && (in.read(buf, sizeof buf) || in.gcount() > 0))
          discarded += static_cast<std::size_t>(in.gcount());
      }
    } catch (const std::exception& e) {
      if (failure.empty()) failure = std::string("sending the response: ") + e.what();
    } catch (...) {
      if (failure.empty()) failure = "sending the response: unknown exception";
    }
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    cx_.metrics.record(route, rq.method, reply.status, micros);
    try {
      if (!cx_.log.off()) {
        std::string line;
        line.reserve(256);
        line += "{\"time\":\"" + now_rfc3339_millis() + "\",\"remote\":\"" +
                req.clientAddress().host().toString() + "\",\"method\":";
        append_json_string(line, rq.method);
        line += ",\"target\":";
        append_json_string(line, rq.target);
        line += ",\"route\":\"";
        line += route_name(route);
        line += "\",\"status\":" + std::to_string(reply.status) +
                ",\"bytes\":" + std::to_string(reply.stream ? streamed : reply.body.size()) +
                ",\"duration_us\":" + std::to_string(micros) + ",\"token\":";
        if (token_id.empty())
          line += "null";
        else
          append_json_string(line, token_id);
        if (!failure.empty()) {
          line += ",\"error\":";
          append_json_string(line, failure);
        }
        line += "}\n";
        cx_.log.write(line);
      }
    } catch (...) {
      // The access log must never take a response down.
    }
  }

 private:
  Context& cx_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Context& cx) : cx_(cx) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new BaseHandler(cx_);
  }

 private:
  Context& cx_;
};

}  // namespace

void log_refused(Context& cx, const std::string& remote, int status, const std::string& why) {
  cx.metrics.record(Route::not_found, "", status, 0);
  if (cx.log.off()) return;
  try {
    std::string line = "{\"time\":\"" + now_rfc3339_millis() + "\",\"remote\":";
    append_json_string(line, remote);
    line += ",\"method\":null,\"target\":null,\"route\":\"unmatched\",\"status\":" +
            std::to_string(status) + ",\"bytes\":0,\"duration_us\":0,\"token\":null,\"error\":";
    append_json_string(line, why);
    line += "}\n";
    cx.log.write(line);
  } catch (...) {
  }
}

}  // namespace detail

struct Server::Impl {
  std::unique_ptr<detail::Context> cx;
  std::unique_ptr<detail::Factory> factory;
  std::unique_ptr<detail::Connections> connections;
  int port = 0;
  bool stopped = false;
};

namespace {

// Serving thousands of connections needs as many descriptors: the soft limit goes up to the
// hard one. Returns the soft limit in force afterwards.
long raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit want = lim;
    want.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &want) == 0) lim = want;
  }
  return lim.rlim_cur == RLIM_INFINITY ? (1L << 20) : static_cast<long>(lim.rlim_cur);
}

// Bounds glibc's malloc arenas before the request threads start. By default glibc gives a thread
// that finds the arenas busy a new one, up to 8 per core; memory freed in an arena stays with it,
// so under 64 request threads the resident set kept growing with fragmented free space
// (docs/PERFORMANCE.md "Soak"). Two arenas cost nothing measurable here: the request threads
// spend their time in SQLite and the kernel, not in malloc's locks. The environment variable
// MALLOC_ARENA_MAX, which glibc reads itself, is left to win.
// A fixed mmap threshold as well (malloc_mmap_threshold): glibc's own threshold rises to the
// size of every mmapped block freed, up to 32 MiB, after which large bodies and documents are
// carved from the arenas and fragment them; kept fixed, each is mmapped and given back whole.
// MALLOC_MMAP_THRESHOLD_ in the environment wins.
void limit_malloc_arenas(int arenas, int mmap_threshold) {
#if defined(__GLIBC__)
  if (arenas > 0 && std::getenv("MALLOC_ARENA_MAX") == nullptr) ::mallopt(M_ARENA_MAX, arenas);
  if (mmap_threshold > 0 && std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr)
    ::mallopt(M_MMAP_THRESHOLD, mmap_threshold);
#else
  (void)arenas;
  (void)mmap_threshold;
#endif
}

}  // namespace

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  try {
    stop(std::chrono::seconds(impl_->cx ? impl_->cx->options.shutdown_grace_seconds : 0));
  } catch (...) {
  }
}

int Server::port() const { return impl_->port; }

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options) {
  auto checked = check_options(options);
  if (!checked) return checked.error();
  limit_malloc_arenas(options.malloc_arenas, options.malloc_mmap_threshold);
  auto impl = std::make_unique<Impl>();
  impl->cx = std::make_unique<detail::Context>(options);
  if (!impl->cx->log.ok())
    return make_error("bad_config", "access_log",
                      "cannot open the access log " + options.access_log);
  {
    auto first = impl->cx->pool.lease();  // the database must be there, with a current schema
    if (!first) return first.error();
  }
  const long fds = raise_fd_limit();
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(options.host, static_cast<Poco::UInt16>(options.port)),
                true, false);
    socket.listen(std::max(64, options.max_queued));
    impl->port = socket.address().port();
    // SO_REUSEADDR (a restart binds at once) but never SO_REUSEPORT: with it a second server on
    // a port in use would start and the kernel would split the connections between the two.
  } catch (const Poco::Exception& e) {
    return make_error("bind_failed", "--port",
                      "cannot listen on " + options.host + ":" + std::to_string(options.port) +
                          ": " + e.displayText());
  }
  detail::ConnectionLimits limits;
  limits.threads = options.threads;
  // Keep descriptors for the database connections, the access log and the process itself.
  const long spare = 64 + (options.db_pool > 0 ? options.db_pool : options.threads);
  limits.max_connections =
      static_cast<int>(std::max(1L, std::min<long>(options.max_connections, fds - spare)));
  limits.max_connections_per_peer = options.max_connections_per_peer;
  limits.header_timeout = std::chrono::milliseconds(options.header_timeout_ms);
  limits.max_header_bytes = options.max_header_bytes;
  limits.keep_alive = std::chrono::seconds(options.keep_alive_seconds);
  limits.max_keep_alive_requests = options.max_keep_alive_requests;
  limits.body_min_rate = static_cast<std::size_t>(options.body_min_rate);
  limits.next_request_wait = std::chrono::milliseconds(options.next_request_wait_ms);
  impl->factory = std::make_unique<detail::Factory>(*impl->cx);
  try {
    impl->connections =
        std::make_unique<detail::Connections>(*impl->cx, std::move(socket), *impl->factory, limits);
  } catch (const std::exception& e) {
    return make_error("bind_failed", "--port",
                      std::string("cannot start serving connections: ") + e.what());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::stop(std::chrono::seconds grace) {
  if (impl_->stopped || !impl_->connections) return;
  impl_->stopped = true;
  impl_->cx->stopping = true;            // /readyz says 503; every response closes its connection
  impl_->connections->stop_accepting();  // no new connections; idle ones are closed now
  // Requests in flight (and complete requests waiting for a worker) finish.
  if (!impl_->connections->wait_idle(std::chrono::steady_clock::now() + grace))
    impl_->connections->force_close();  // out of patience
  impl_->connections->join();
  impl_->connections.reset();
  impl_->cx->log.flush();
}

}  // namespace passline::http
