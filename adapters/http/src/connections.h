// The connection model of the HTTP service (docs/HTTP.md, "Connections"): one poller thread
// owns every connection while it is idle or still sending its request head, and hands a
// connection to the worker threads only once its head is complete; a worker serves exactly one
// request with Poco's HTTPServerSession and gives a keep-alive connection back to the poller,
// unless the next request head arrives whole within a few milliseconds while no other request
// waits for a worker: then the worker serves it too.
// So a client that sends slowly, or not at all, costs a file descriptor and a few hundred bytes,
// never a thread. Not part of the public API.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <cstddef>
#include <memory>

namespace passline::http::detail {

struct Context;

/// The limits the poller and the workers enforce, from ServerOptions.
struct ConnectionLimits {
  int threads = 64;                                 ///< workers: requests served at once
  int max_connections = 10000;                      ///< open connections; beyond: 503 and close
  int max_connections_per_peer = 256;               ///< open connections of one client address
  std::chrono::milliseconds header_timeout{10000};  ///< a request head must arrive in this
  std::size_t max_header_bytes = 16384;             ///< a larger request head: 431 and close
  std::chrono::milliseconds keep_alive{2000};       ///< an idle connection is closed after this
  int max_keep_alive_requests = 10000;              ///< requests on one connection
  std::size_t body_min_rate = 16384;  ///< bytes/s a body must keep up, after header_timeout
  /// After answering on a keep-alive connection, a worker with no other request queued waits
  /// this long for the connection's next request head and serves it itself when it arrives
  /// whole, instead of handing the connection back to the poller (a futex wake-up, two epoll
  /// changes and an eventfd write per request). 0: always hand back.
  std::chrono::milliseconds next_request_wait{5};
};

/// The listening socket, the poller and the workers. start() runs them; the destructor stops
/// them (after stop_accepting(), wait_idle() and force_close() when a graceful stop is wanted).
/// Thread-safety: start, stop_accepting, wait_idle, force_close and join are called from one
/// thread (Server's); everything else runs on the service's own threads.
class Connections {
 public:
  /// Serves `listener` (bound and listening) with handlers from `factory`, which must outlive
  /// this object. Throws Poco::Exception or std::system_error when a thread or the epoll set
  /// cannot be made.
  Connections(Context& cx, Poco::Net::ServerSocket listener,
              Poco::Net::HTTPRequestHandlerFactory& factory, ConnectionLimits limits);
  ~Connections();
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  /// Closes the listening socket and every connection that is not in a request; connections
  /// whose request is being served are closed once it is answered.
  void stop_accepting();
  /// Waits until no request is being served or `deadline` passes; true if none is.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);
  /// Shuts down the sockets of the requests still being served (their reads and writes fail).
  void force_close();
  /// Stops the workers and the poller and closes what is left. Idempotent.
  void join();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// True when the body of `req` (served by Connections) stopped because it arrived too slowly:
/// less than body_min_rate bytes/s once header_timeout had passed (the read then fails and the
/// connection is closed after the response). Thread-safe for the request's own thread.
bool body_timed_out(Poco::Net::HTTPServerRequest& req);

}  // namespace passline::http::detail
