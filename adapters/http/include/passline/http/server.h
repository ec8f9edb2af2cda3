// passline's HTTP service (docs/HTTP.md): API v1 over a pool of Store connections; connections
// are held by one poller thread and requests served by Poco's HTTP server session on a pool of
// request threads.
//
// Thread-safety: a Server is started and stopped from one thread; it serves requests on its own
// thread pool. Every request leases one Store from the pool for its duration (sessions are not
// thread-safe), so the pool is sized with the thread pool (docs/HTTP.md, "Sizing").
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "passline/result.h"

namespace passline::http {

/// Everything `passline serve` can be told, with its defaults (docs/HTTP.md, "Configuration").
struct ServerOptions {
  std::string db_url = "sqlite:passline.db";
  std::string host = "127.0.0.1";  ///< address to listen on (0.0.0.0 for every interface)
  int port = 8080;                 ///< 0: any free port (Server::port() tells which)
  int threads = 64;                ///< request threads: requests served at once
  int max_queued = 256;            ///< the listen backlog: connections not yet accepted
  int keep_alive_seconds = 2;      ///< an idle keep-alive connection is closed after this
  int max_keep_alive_requests = 10000;
  std::size_t max_body_bytes = 64u << 20;  ///< larger request bodies get 413
  int db_pool = 0;                         ///< Store connections; 0: as many as threads
  int lease_timeout_ms = 5000;             ///< waiting for a free connection longer gives 503
  int token_cache_seconds = 10;  ///< a valid token is re-checked in the database this often
  /// Compliance and report documents are kept this long (ms; 0: never kept). Any create or
  /// decide through this server drops them at once; writes by other processes on a shared
  /// database show after at most this long.
  int report_cache_ms = 1000;
  std::string access_log;           ///< JSON-lines access log file; empty: stderr; "off": none
  int shutdown_grace_seconds = 30;  ///< in-flight requests get this long to finish on stop
  /// Open connections at most (lowered to fit the descriptor limit); beyond, a new connection
  /// gets 503 `too_many_connections` and is closed (docs/HTTP.md, "Connections").
  int max_connections = 10000;
  int max_connections_per_peer = 256;  ///< the same, for one client address
  int header_timeout_ms = 10000;  ///< a request head must arrive within this, else 408 and close
  std::size_t max_header_bytes = 16384;  ///< a larger request head gets 431 and close
  /// Bytes per second a request body must keep up once header_timeout_ms has passed since the
  /// request was taken up, else 408 and close; 0: no minimum.
  long long body_min_rate = 16384;
  /// After a keep-alive response, a request thread with nothing else queued waits this long
  /// (ms) for the connection's next complete request head and serves it itself, instead of
  /// handing the connection back to the poller (docs/HTTP.md, "Connections"); 0: never waits.
  int next_request_wait_ms = 5;
  /// The log key (sql/log_key.h: FILE and FILE.pub). With it, receipts and the checkpoint
  /// endpoint sign a new checkpoint when the stored ones do not cover the log; without it they
  /// serve the newest stored one (`passline audit checkpoint` signs).
  std::string log_key;
  /// glibc malloc arenas for the whole process, set when the server starts (mallopt
  /// M_ARENA_MAX; docs/PERFORMANCE.md "Soak"): with one arena per busy request thread the
  /// resident set grew by half in a 3-minute soak, fragmented free memory no arena gave back.
  /// 0: glibc's default (8 per core). The MALLOC_ARENA_MAX environment variable, when set, wins.
  int malloc_arenas = 2;
  /// Blocks of at least this many bytes are mmapped and unmapped whole when freed (mallopt
  /// M_MMAP_THRESHOLD, fixed instead of glibc's sliding one; docs/PERFORMANCE.md "Soak"): 3-minute
  /// soak +18.9% RSS with 131072 against +28.2% without. 0: glibc's default. The
  /// MALLOC_MMAP_THRESHOLD_ environment variable, when set, wins.
  int malloc_mmap_threshold = 131072;
  /// Free memory malloc holds is given back to the system (malloc_trim) this often (ms; 0:
  /// never), so that freed request bodies and documents do not stay resident.
  int malloc_trim_ms = 10000;
};

/// Reads a Poco properties file (`key = value` lines; keys as the fields above, e.g. `threads`,
/// `keep_alive_seconds`, `db_url`) over `base`. Errors: `bad_config` (path `FILE:key`) for an
/// unreadable file, an unknown key or a value out of range.
Result<ServerOptions> load_config(const std::string& path, ServerOptions base);

/// Checks option ranges: `bad_config` naming the option.
Status check_options(const ServerOptions& o);

class Server {
 public:
  /// Opens one Store (the schema must be current: errors as sql::Store::open), binds the
  /// socket (`storage` → no; `bind_failed` when the port is taken) and starts serving.
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options);

  /// Stops gracefully if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port actually bound.
  int port() const;

  /// Graceful stop: stops accepting, lets every request in flight finish (at most `grace`; then
  /// their sockets are shut down) and closes idle keep-alive connections, then the Store pool.
  /// No request is cut in the middle of a database write: each write is one transaction.
  /// Idempotent.
  void stop(std::chrono::seconds grace = std::chrono::seconds(30));

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// HTTP status for an error code: the one mapping of docs/HTTP.md ("Errors"), like ClickHouse's
/// exceptionCodeToHTTPStatus; the statuses are the table of passline/error_code.h. Thread-safe.
int http_status_for(ErrorCode error_code) noexcept;

/// True when the web console (console/, docs/CONSOLE.md) is built into this service and served
/// at `/`; false when it was built with PASSLINE_CONSOLE=OFF.
bool console_built() noexcept;

/// The RFC 9457 problem details document (`application/problem+json`) for `e` answered with
/// `status`: {"type", "title", "status", "detail", "code", "path"}. Thread-safe.
std::string problem_json(const Error& e, int status);

}  // namespace passline::http
