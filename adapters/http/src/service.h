// Internals of the HTTP service shared by server.cc (the Poco side: sockets, the base handler,
// stopping) and api.cc (the routes). Not part of the public API.
#pragma once

#include <atomic>
#include <condition_variable>
#include <string_view>
#include <thread>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "metrics.h"
#include "passline/http/server.h"
#include "passline/sql/access.h"
#include "pool.h"

namespace passline::http::detail {

/// A request as the routes see it: the body already read (at most max_body_bytes).
struct Request {
  std::string method;
  std::string target;                                      ///< as sent: path and query
  std::vector<std::string> segments;                       ///< path segments, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
  std::string media_type;       ///< Content-Type without parameters, lower case
  std::string authorization;    ///< the Authorization header, or empty
  std::string idempotency_key;  ///< the Idempotency-Key header, or empty
  std::string if_none_match;    ///< the If-None-Match header, or empty (console.cc)
  std::string body;
};

/// What a route answers.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;      ///< close the connection after this response
  std::string log_detail;  ///< what the access log says of a failure the client is not told
  /// Set instead of `body` for a document written while it is sent (chunked, never whole in
  /// memory): called once, after the head, with a sink for the body's pieces. An error it
  /// returns comes after the head, so the connection is cut rather than the body ended.
  std::function<Status(const std::function<void(std::string_view)>&)> stream;
  std::shared_ptr<void> holds;  ///< what `stream` needs kept until it has run (a store lease)
};

/// The problem+json reply for an error, its status from http_status_for().
Reply problem(const Error& e);

/// Valid tokens seen recently, so most requests need no database look-up for their token
/// (token_cache_seconds; revoking through this server clears it at once). Thread-safe.
class TokenCache {
 public:
  explicit TokenCache(std::chrono::seconds ttl) : ttl_(ttl) {}
  std::optional<sql::Principal> find(const std::string& hash);
  void put(const std::string& hash, const sql::Principal& p);
  void clear();

 private:
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<sql::Principal, std::chrono::steady_clock::time_point>>
      map_;
};

/// Compliance and report documents by (agency, year), "" for the whole report. An entry is
/// served while younger than the TTL and no create or decide went through this server since it
/// was computed (invalidate() bumps the generation). Thread-safe.
class ReportCache {
 public:
  explicit ReportCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}
  std::optional<std::string> find(const std::string& agency, int year);
  /// The generation to pass to put(): read it before computing the document.
  std::uint64_t generation() const { return generation_.load(); }
  void put(const std::string& agency, int year, std::uint64_t generation, std::string body);
  void invalidate() { generation_.fetch_add(1); }

 private:
  struct Entry {
    std::string body;
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  std::atomic<std::uint64_t> generation_{0};
  std::mutex mu_;
  std::map<std::pair<std::string, int>, Entry> map_;
};

/// JSON-lines access log: one object per request. Lines are appended whole to a buffer under a
/// lock and written out by a background thread every 200 ms (or when 1 MiB is waiting), so no
/// request pays for a write system call; flush() and the destructor write what is left.
/// Thread-safe.
class AccessLog {
 public:
  /// `path` empty: stderr; "off": nothing.
  explicit AccessLog(const std::string& path);
  ~AccessLog();
  bool ok() const { return file_ != nullptr || off_; }
  bool off() const { return off_; }
  void write(std::string_view line);
  void flush();

 private:
  void flush_locked(std::unique_lock<std::mutex>& lock);
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  std::FILE* file_ = nullptr;
  bool own_ = false, off_ = false, done_ = false;
  std::thread flusher_;
};

/// Gives the memory glibc's malloc holds free back to the system (malloc_trim) every
/// `period` while the server runs: freed request bodies and documents otherwise stay in the
/// arenas, fragmented, and the resident set creeps up (docs/PERFORMANCE.md "Soak"). A period of
/// 0 starts no thread. Thread-safe; the destructor stops the thread.
class MemoryTrimmer {
 public:
  explicit MemoryTrimmer(std::chrono::milliseconds period);
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

/// Everything the request threads share.
struct Context {
  explicit Context(const ServerOptions& o);
  ServerOptions options;
  StorePool pool;
  Metrics metrics;
  TokenCache tokens;
  ReportCache reports;
  AccessLog log;
  MemoryTrimmer trimmer;
  std::atomic<bool> stopping{false};
};

/// A request's database connection, leased on first use and returned when the request ends.
class Session {
 public:
  explicit Session(Context& cx) : cx_(cx) {}
  /// The leased Store; errors as StorePool::lease().
  Result<sql::Store*> store();
  /// Drops the connection instead of returning it (after a `storage` error).
  void discard() {
    if (lease_) lease_->discard();
  }

 private:
  Context& cx_;
  std::optional<Lease> lease_;
};

/// Serves one API request (api.cc): routes it, checks the token and the role, acts. `route`
/// is set to the matched route template, `token_id` to the caller's token when one was valid.
/// Expected failures come back as problem replies; exceptions escape to the base handler.
Reply serve_api(Context& cx, const Request& rq, Route& route, std::string& token_id);

/// The web console's files (console.cc): the reply for GET or HEAD of `/` or one of the built
/// assets, 405 for another method on them, nullopt for every other path (the API's). Sets
/// `route` to Route::console when it answers. No part of the request reaches the filesystem:
/// the files are a fixed set embedded at build time.
std::optional<Reply> serve_console(const Request& rq, Route& route);

/// Serves the log as C2SP tlog-tiles (tiles.cc): `/checkpoint` and `/tile/…`, no token needed.
/// Errors come back as problem replies.
Reply serve_log_tiles(Context& cx, const Request& rq, Route route);

/// The OpenAPI document docs/openapi.json, embedded at build time.
const std::string& openapi_json();

}  // namespace passline::http::detail
