// The connection model (connections.h, docs/HTTP.md "Connections"): an epoll poller that owns
// idle connections and connections still sending their request head, and workers that serve one
// complete request each with Poco's HTTPServerSession.
#include "connections.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timestamp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "request.h"
#include "service.h"

namespace passline::http::detail {
namespace {

using Clock = std::chrono::steady_clock;

// A connection's socket as Poco sees it. It serves first the bytes an earlier request's session
// read past the end of its request (a pipelined next request), and while armed it waits for
// body bytes no longer than the minimum rate allows: at any moment after `grace`, at least
// `rate` bytes per second since the request was taken up must have arrived.
class ConnSocketImpl final : public Poco::Net::StreamSocketImpl {
 public:
  explicit ConnSocketImpl(poco_socket_t fd) : StreamSocketImpl(fd) {}

  std::string_view unread() const { return std::string_view(pending_).substr(pending_at_); }
  void set_unread(std::string bytes) {
    pending_ = std::move(bytes);
    pending_at_ = 0;
  }

  void arm(std::chrono::milliseconds grace, std::size_t rate) {
    start_ = Clock::now();
    grace_ = grace;
    rate_ = rate;
    received_ = 0;
    timed_out_ = false;
    armed_ = true;
  }
  void disarm() { armed_ = false; }
  bool timed_out() const { return timed_out_; }

  using StreamSocketImpl::receiveBytes;
  int receiveBytes(void* buffer, int length, int flags) override {
    if (flags == 0 && pending_at_ < pending_.size() && length > 0) {
      const std::size_t n =
          std::min(pending_.size() - pending_at_, static_cast<std::size_t>(length));
      std::memcpy(buffer, pending_.data() + pending_at_, n);
      pending_at_ += n;
      received_ += n;
      if (pending_at_ == pending_.size()) set_unread({});
      return static_cast<int>(n);
    }
    if (armed_ && rate_ > 0) wait_readable();
    const int n = StreamSocketImpl::receiveBytes(buffer, length, flags);
    if (n > 0) received_ += static_cast<std::size_t>(n);
    return n;
  }

 private:
  void wait_readable() {
    const auto allowed =
        start_ + grace_ +
        std::chrono::milliseconds(static_cast<long long>(received_ * 1000 / rate_));
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(allowed - Clock::now()).count();
      if (left <= 0) {
        timed_out_ = true;
        throw Poco::TimeoutException("the request arrives more slowly than the server accepts");
      }
      pollfd p{sockfd(), POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
      if (r > 0 || (r < 0 && errno != EINTR)) return;  // readable, or let recv report it
    }
  }

  std::string pending_;
  std::size_t pending_at_ = 0;
  bool armed_ = false, timed_out_ = false;
  Clock::time_point start_{};
  std::chrono::milliseconds grace_{0};
  std::size_t rate_ = 0, received_ = 0;
};

class ConnSocket final : public Poco::Net::StreamSocket {
 public:
  explicit ConnSocket(ConnSocketImpl* impl) : StreamSocket(impl) {}  // takes ownership
};

// Poco's server session for one request. HTTPSession closes its socket when destroyed: this one
// detaches it first, so the connection outlives the request.
class OneRequestSession final : public Poco::Net::HTTPServerSession {
 public:
  OneRequestSession(const Poco::Net::StreamSocket& s, Poco::Net::HTTPServerParams::Ptr p)
      : HTTPServerSession(s, p) {}
  ~OneRequestSession() override {
    try {
      detachSocket();
    } catch (...) {
    }
  }
  OneRequestSession(const OneRequestSession&) = delete;
  OneRequestSession& operator=(const OneRequestSession&) = delete;
  // What Poco read from the socket past the end of the request.
  std::string take_buffered() {
    std::string out;
    while (buffered() > 0) out.push_back(static_cast<char>(get()));
    return out;
  }
};

struct Conn {
  Conn(ConnSocketImpl* i, std::string p) : impl(i), socket(i), peer(std::move(p)) {}
  ConnSocketImpl* impl;  // owned by socket
  ConnSocket socket;
  std::string peer;
  int fd = -1;
  Clock::time_point deadline{};
  bool in_head = true;     // the deadline is the head's (else the idle keep-alive one)
  bool got_bytes = false;  // part of a request head has arrived
  bool busy = false;       // with a worker (or queued for one)
  bool closing = false;    // answered with an error: discarding input until EOF or deadline
  bool forced = false;     // shut down by force_close()
  bool keep = false;       // the worker's verdict: keep alive
  int requests = 0;
};

std::string peer_of(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// A complete response closing the connection, for refusals made before any request is parsed.
std::string refusal(int status, std::string_view reason, const Error& e, bool retry_after) {
  const std::string body = problem_json(e, status);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                    "\r\nServer: passline\r\nContent-Type: application/problem+json\r\n"
                    "Content-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n";
  if (retry_after) out += "Retry-After: 1\r\n";
  out += "\r\n" + body;
  return out;
}

void discard_input(int fd) {
  char buf[16384];
  for (int i = 0; i < 64; ++i)
    if (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) return;
}

}  // namespace

struct Connections::Impl {
  Impl(Context& c, Poco::Net::ServerSocket l, Poco::Net::HTTPRequestHandlerFactory& f,
       ConnectionLimits lim)
      : cx(c), listener(std::move(l)), factory(f), limits(lim) {}

  Context& cx;
  Poco::Net::ServerSocket listener;
  Poco::Net::HTTPRequestHandlerFactory& factory;
  ConnectionLimits limits;
  Poco::Net::HTTPServerParams::Ptr params;
  int ep = -1, wake = -1, listen_fd = -1;
  std::thread poller;
  std::vector<std::thread> workers;
  bool joined = false;

  // The poller's own state.
  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  std::unordered_map<std::string, int> per_peer;
  bool listening = true, accept_paused = false, force_done = false;
  Clock::time_point accept_resume{};
  std::vector<char> peek;

  // Complete requests waiting for a worker.
  std::mutex work_mu;
  std::condition_variable work_cv;
  std::deque<Conn*> work;
  bool workers_done = false;

  // Connections the workers are done with.
  std::mutex returned_mu;
  std::vector<Conn*> returned;

  // Requests with a worker or waiting for one.
  std::mutex busy_mu;
  std::condition_variable busy_cv;
  int busy = 0;

  std::atomic<bool> cmd_stop_accepting{false}, cmd_force{false}, cmd_quit{false};

  void wake_poller() { ::eventfd_write(wake, 1); }

  void epoll_add(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }

  void publish_gauges() {
    int b = 0;
    {
      std::lock_guard lock(busy_mu);
      b = busy;
    }
    cx.metrics.set_connections(static_cast<std::int64_t>(conns.size()), b);
  }

  // --- the poller ---------------------------------------------------------------------------

  void run_poller() {
    std::vector<epoll_event> events(512);
    peek.resize(limits.max_header_bytes + 1);
    auto next_sweep = Clock::now();
    while (!cmd_quit.load()) {
      const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake) {
          eventfd_t v;
          ::eventfd_read(wake, &v);
        } else if (fd == listen_fd) {
          accept_all();
        } else if (auto it = conns.find(fd); it != conns.end() && !it->second->busy) {
          on_readable(*it->second);
        }
      }
      take_returns();
      commands();
      const auto now = Clock::now();
      if (now >= next_sweep) {
        sweep(now);
        next_sweep = now + std::chrono::milliseconds(100);
      }
    }
    commands();
  }

  void accept_all() {
    for (int k = 0; k < 256; ++k) {
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment rather than spin on the listener.
          ::epoll_ctl(ep, EPOLL_CTL_DEL, listen_fd, nullptr);
          accept_paused = true;
          accept_resume = Clock::now() + std::chrono::milliseconds(100);
        }
        return;
      }
      std::string peer = peer_of(ss);
      if (static_cast<int>(conns.size()) >= limits.max_connections) {
        cx.metrics.count_connection(ConnEvent::refused_server_full);
        refuse(fd, make_error("too_many_connections", "",
                              "the server has " + std::to_string(conns.size()) +
                                  " connections open, its limit: try again later"));
        continue;
      }
      int& mine = per_peer[peer];
      if (mine >= limits.max_connections_per_peer) {
        cx.metrics.count_connection(ConnEvent::refused_peer_limit);
        refuse(fd, make_error("too_many_connections", "",
                              "this client has " + std::to_string(mine) +
                                  " connections open, the limit per client address: reuse them"));
        continue;
      }
      ++mine;
      auto c = std::make_unique<Conn>(new ConnSocketImpl(fd), std::move(peer));
      c->fd = fd;
      try {
        c->socket.setNoDelay(true);
        c->socket.setReceiveTimeout(Poco::Timespan(60, 0));  // backstops; the deadlines rule
        c->socket.setSendTimeout(Poco::Timespan(60, 0));
      } catch (const Poco::Exception&) {
      }
      c->deadline = Clock::now() + limits.header_timeout;
      c->in_head = true;
      cx.metrics.count_connection(ConnEvent::accepted);
      Conn& ref = *c;
      conns.emplace(fd, std::move(c));
      epoll_add(fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
      on_readable(ref);  // what arrived with the handshake, if anything
    }
  }

  void refuse(int fd, const Error& e) {
    discard_input(fd);
    const std::string r = refusal(503, "Service Unavailable", e, true);
    [[maybe_unused]] auto sent = ::send(fd, r.data(), r.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::close(fd);
  }

  // Reads without consuming (MSG_PEEK): hands the connection to a worker once its request head
  // is complete, answers 431 once it is larger than max_header_bytes, closes it on EOF.
  void on_readable(Conn& c) {
    if (c.closing) {
      char buf[16384];
      for (;;) {
        const auto r = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) continue;
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) close_conn(c);
        return;
      }
    }
    const std::string_view pend = c.impl->unread();
    const std::size_t room = peek.size() > pend.size() ? peek.size() - pend.size() : 0;
    bool eof = false;
    std::size_t got = 0;
    if (room > 0) {
      const auto r = ::recv(c.fd, peek.data(), room, MSG_PEEK | MSG_DONTWAIT);
      if (r > 0)
        got = static_cast<std::size_t>(r);
      else if (r == 0)
        eof = true;
      else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        eof = true;
    }
    std::string joined;
    std::string_view have(peek.data(), got);
    if (!pend.empty()) {
      joined.reserve(pend.size() + got);
      joined.append(pend).append(peek.data(), got);
      have = joined;
    }
    if (!have.empty() && !c.in_head) {  // an idle connection starts its next request
      c.in_head = true;
      c.deadline = Clock::now() + limits.header_timeout;
    }
    c.got_bytes = !have.empty();
    const std::size_t end = head_end(have.substr(0, limits.max_header_bytes));
    if (end != std::string_view::npos) {
      hand_off(c);
    } else if (eof) {
      close_conn(c);
    } else if (have.size() > limits.max_header_bytes) {
      cx.metrics.count_connection(ConnEvent::header_too_large);
      if (have.substr(0, limits.max_header_bytes).find('\n') == std::string_view::npos) {
        // The request line alone is over the limit: its target is too long (RFC 9110 §15.5.15).
        answer_and_close(c, 414, "URI Too Long",
                         make_error("uri_too_long", "",
                                    "the request target is longer than this server accepts (" +
                                        std::to_string(limits.max_header_bytes) + " bytes)"));
        return;
      }
      answer_and_close(c, 431, "Request Header Fields Too Large",
                       make_error("header_too_large", "",
                                  "the request head is larger than this server accepts (" +
                                      std::to_string(limits.max_header_bytes) + " bytes)"));
    }
  }

  // Shuts down the sending side and discards what the client still sends until it closes too
  // or two seconds pass: a close with unread input would reset the connection, and the client
  // could lose the response it has not read yet.
  void linger(Conn& c) {
    ::shutdown(c.fd, SHUT_WR);
    c.closing = true;
    c.deadline = Clock::now() + std::chrono::seconds(2);
    epoll_add(c.fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
    on_readable(c);
  }

  // Sends an error response, then discards what the client still sends for up to two seconds so
  // it reads the response rather than a connection reset.
  void answer_and_close(Conn& c, int status, std::string_view reason, const Error& e) {
    discard_input(c.fd);
    const std::string r = refusal(status, reason, e, false);
    [[maybe_unused]] auto sent = ::send(c.fd, r.data(), r.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(c.fd, SHUT_WR);
    c.closing = true;
    c.deadline = Clock::now() + std::chrono::seconds(2);
  }

  void hand_off(Conn& c) {
    ::epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
    c.busy = true;
    {
      std::lock_guard lock(busy_mu);
      ++busy;
    }
    {
      std::lock_guard lock(work_mu);
      work.push_back(&c);
    }
    work_cv.notify_one();
  }

  void close_conn(Conn& c) {
    if (!c.busy) ::epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
    if (auto it = per_peer.find(c.peer); it != per_peer.end() && --it->second <= 0)
      per_peer.erase(it);
    conns.erase(c.fd);  // the socket closes with it
  }

  void take_returns() {
    std::vector<Conn*> back;
    {
      std::lock_guard lock(returned_mu);
      back.swap(returned);
    }
    if (back.empty()) return;
    {
      std::lock_guard lock(busy_mu);
      busy -= static_cast<int>(back.size());
    }
    busy_cv.notify_all();
    const auto now = Clock::now();
    for (Conn* c : back) {
      c->busy = false;
      if (!listening || cx.stopping.load() || c->forced) {
        close_conn(*c);
        continue;
      }
      if (!c->keep) {  // answered with Connection: close, maybe with input left unread
        linger(*c);
        continue;
      }
      c->in_head = false;
      c->got_bytes = false;
      c->deadline = now + limits.keep_alive;
      epoll_add(c->fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
      on_readable(*c);  // the next request may be here already
    }
  }

  void commands() {
    if (cmd_stop_accepting.load() && listening) {
      listening = false;
      if (!accept_paused) ::epoll_ctl(ep, EPOLL_CTL_DEL, listen_fd, nullptr);
      try {
        listener.close();
      } catch (...) {
      }
      std::vector<Conn*> idle;
      for (auto& [fd, c] : conns)
        if (!c->busy) idle.push_back(c.get());
      for (Conn* c : idle) close_conn(*c);
    }
    if (cmd_force.load() && !force_done) {
      force_done = true;
      for (auto& [fd, c] : conns)
        if (c->busy && !c->forced) {
          c->forced = true;
          ::shutdown(fd, SHUT_RDWR);
        }
    }
  }

  void sweep(Clock::time_point now) {
    if (accept_paused && listening && now >= accept_resume) {
      accept_paused = false;
      epoll_add(listen_fd, EPOLLIN);
    }
    std::vector<Conn*> due;
    for (auto& [fd, c] : conns)
      if (!c->busy && c->deadline <= now) due.push_back(c.get());
    for (Conn* c : due) {
      if (c->closing) {
        close_conn(*c);
      } else if (c->in_head && c->got_bytes) {
        cx.metrics.count_connection(ConnEvent::header_timeout);
        answer_and_close(*c, 408, "Request Timeout",
                         make_error("request_timeout", "",
                                    "the request head did not arrive within " +
                                        std::to_string(limits.header_timeout.count()) + " ms"));
      } else {
        cx.metrics.count_connection(ConnEvent::idle_closed);
        close_conn(*c);
      }
    }
    publish_gauges();
  }

  // --- the workers --------------------------------------------------------------------------

  void run_worker() {
    for (;;) {
      Conn* c = nullptr;
      {
        std::unique_lock lock(work_mu);
        work_cv.wait(lock, [&] { return workers_done || !work.empty(); });
        if (work.empty()) return;
        c = work.front();
        work.pop_front();
      }
      serve(*c);
      while (c->keep && next_request_ready(*c)) serve(*c);
      {
        std::lock_guard lock(returned_mu);
        returned.push_back(c);
      }
      wake_poller();
    }
  }

  // True when the worker should serve `c`'s next request itself: nothing else waits for a
  // worker, the server is not stopping, and the next request head is complete within
  // next_request_wait (bytes already read past the last request count). Anything else (no
  // request yet, a partial or oversized head, EOF) goes back to the poller, which owns deadlines,
  // 408/414/431 and closing.
  bool next_request_ready(Conn& c) {
    if (limits.next_request_wait.count() <= 0 || c.forced || cx.stopping.load() ||
        cmd_stop_accepting.load() || c.requests >= limits.max_keep_alive_requests)
      return false;
    {
      std::lock_guard lock(work_mu);
      if (!work.empty() || workers_done) return false;
    }
    const std::string_view pend = c.impl->unread();
    if (!pend.empty() &&
        head_end(pend.substr(0, limits.max_header_bytes)) != std::string_view::npos)
      return true;  // pipelined: the next head is here already
    pollfd p{c.fd, POLLIN, 0};
    int r = 0;
    do {
      r = ::poll(&p, 1, static_cast<int>(limits.next_request_wait.count()));
    } while (r < 0 && errno == EINTR);
    if (r <= 0 || (p.revents & POLLIN) == 0) return false;
    thread_local std::vector<char> buf;
    const std::size_t room =
        limits.max_header_bytes + 1 > pend.size() ? limits.max_header_bytes + 1 - pend.size() : 0;
    if (room == 0) return false;
    buf.resize(pend.size() + room);
    std::memcpy(buf.data(), pend.data(), pend.size());
    const auto got = ::recv(c.fd, buf.data() + pend.size(), room, MSG_PEEK | MSG_DONTWAIT);
    if (got <= 0) return false;
    const std::string_view have(buf.data(), pend.size() + static_cast<std::size_t>(got));
    return head_end(have.substr(0, limits.max_header_bytes)) != std::string_view::npos;
  }

  // One request, as Poco's HTTPServerConnection::run serves each of its requests, except that it
  // never waits for the next one: the connection goes back to the poller.
  void serve(Conn& c) {
    c.keep = false;
    ++c.requests;
    c.impl->arm(limits.header_timeout, limits.body_min_rate);
    try {
      OneRequestSession session(c.socket, params);
      try {
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params.get());
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(request.getKeepAlive() &&
                              c.requests < limits.max_keep_alive_requests && !cx.stopping.load());
        response.set("Server", "passline");
        if (auto bad = framing_problem(request)) {
          log_refused(cx, c.peer, bad->status, "ambiguous message framing");
          send_refusal(session, *bad);
          c.impl->disarm();
          return;  // keep is false: the poller lingers, then closes
        }
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
            factory.createRequestHandler(request));
        if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
          response.sendContinue();
        handler->handleRequest(request, response);
        c.keep = response.getKeepAlive() && response.sent() && !session.networkException() &&
                 !c.impl->timed_out();
        if (c.keep) {
          std::string left = session.take_buffered();
          left.append(c.impl->unread());
          c.impl->set_unread(std::move(left));
        }
      } catch (const Poco::Net::NoMessageException&) {
        // the client closed before a request: nothing to answer
      } catch (const Poco::Net::MessageException& e) {
        // What Poco's parser refuses: a request line that is not HTTP, a target over 16 KiB,
        // too many or too long header fields.
        const Reply r = unreadable_head_problem(e.message());
        log_refused(cx, c.peer, r.status, e.displayText());
        send_refusal(session, r);
      } catch (const Poco::SyntaxException& e) {
        // Poco reads Content-Length while it builds the request: not a number, or over 2^63.
        const Reply r = bad_content_length_problem();
        log_refused(cx, c.peer, r.status, e.displayText());
        send_refusal(session, r);
      }
    } catch (...) {
      c.keep = false;  // the socket failed; the poller closes the connection
    }
    c.impl->disarm();
  }

  // Sends `r` on a session whose request could not be read or was refused before any handler
  // ran: HTTP/1.1, and the connection closes after it (the poller lingers first).
  static void send_refusal(Poco::Net::HTTPServerSession& session, const Reply& r) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
      response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
      response.setKeepAlive(false);
      response.setDate(Poco::Timestamp());
      response.set("Server", "passline");
      response.setContentType(r.content_type);
      // Not sendBuffer: without an attached request Poco's sendBuffer writes the head only.
      response.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
      std::ostream& out = response.send();
      out.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
      out.flush();
    } catch (...) {
    }
  }
};

Connections::Connections(Context& cx, Poco::Net::ServerSocket listener,
                         Poco::Net::HTTPRequestHandlerFactory& factory, ConnectionLimits limits)
    : impl_(std::make_unique<Impl>(cx, std::move(listener), factory, limits)) {
  Impl& m = *impl_;
  m.params = new Poco::Net::HTTPServerParams;
  m.params->setKeepAlive(true);
  m.params->setKeepAliveTimeout(
      Poco::Timespan(static_cast<long>(limits.keep_alive.count() / 1000), 0));
  m.params->setMaxKeepAliveRequests(limits.max_keep_alive_requests);
  m.params->setTimeout(Poco::Timespan(60, 0));
  m.params->setServerName("passline");
  m.listener.setBlocking(false);
  m.listen_fd = m.listener.impl()->sockfd();
  m.ep = ::epoll_create1(EPOLL_CLOEXEC);
  m.wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m.ep < 0 || m.wake < 0) {
    if (m.ep >= 0) ::close(m.ep);
    if (m.wake >= 0) ::close(m.wake);
    throw std::system_error(errno, std::generic_category(), "epoll");
  }
  m.epoll_add(m.wake, EPOLLIN);
  m.epoll_add(m.listen_fd, EPOLLIN);
  m.poller = std::thread([&m] { m.run_poller(); });
  for (int i = 0; i < limits.threads; ++i) m.workers.emplace_back([&m] { m.run_worker(); });
}

Connections::~Connections() {
  try {
    join();
  } catch (...) {
  }
}

void Connections::stop_accepting() {
  impl_->cmd_stop_accepting = true;
  impl_->wake_poller();
}

bool Connections::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(impl_->busy_mu);
  return impl_->busy_cv.wait_until(lock, deadline, [&] { return impl_->busy == 0; });
}

void Connections::force_close() {
  impl_->cmd_force = true;
  impl_->wake_poller();
}

void Connections::join() {
  Impl& m = *impl_;
  if (m.joined) return;
  m.joined = true;
  m.cmd_stop_accepting = true;  // the poller closes the listener before it stops
  m.cmd_quit = true;
  m.wake_poller();
  if (m.poller.joinable()) m.poller.join();
  {
    std::lock_guard lock(m.work_mu);
    m.workers_done = true;
  }
  m.work_cv.notify_all();
  for (auto& t : m.workers)
    if (t.joinable()) t.join();
  m.conns.clear();
  if (m.listening) {
    try {
      m.listener.close();
    } catch (...) {
    }
  }
  ::close(m.ep);
  ::close(m.wake);
}

bool body_timed_out(Poco::Net::HTTPServerRequest& req) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&req);
  if (!impl) return false;
  auto* s = dynamic_cast<ConnSocketImpl*>(impl->socket().impl());
  return s && s->timed_out();
}

std::vector<ParsedRequest> parse_request_for_fuzzing(std::string_view bytes,
                                                     std::size_t max_header_bytes,
                                                     std::size_t max_body_bytes) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw std::system_error(errno, std::generic_category(), "socketpair");
  ::close(fds[1]);  // the peer has sent everything: past `bytes`, reads see the end
  auto* impl = new ConnSocketImpl(fds[0]);
  ConnSocket socket(impl);
  impl->set_unread(std::string(bytes));
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setServerName("passline");
  std::vector<ParsedRequest> out;
  while (out.size() < 64) {
    // The poller: a complete head within max_header_bytes, or no request is served.
    if (head_end(impl->unread().substr(0, max_header_bytes)) == std::string_view::npos) break;
    ParsedRequest p;
    bool keep = false;
    try {
      OneRequestSession session(socket, params);
      Poco::Net::HTTPServerResponseImpl response(session);
      Poco::Net::HTTPServerRequestImpl request(response, session, params.get());
      p.request.method = request.getMethod();
      p.bad_target = !build_request(request, p.request);
      if (!p.bad_target) {
        p.match = match_route(p.request.segments);
        p.allowed =
            p.match.route != Route::not_found && route_allows(p.match.allow, p.request.method);
      }
      // The body as read_body() reads it: only with Content-Length or chunked encoding.
      bool body_ok = true;
      const bool chunked = request.getChunkedTransferEncoding();
      if (chunked || request.hasContentLength()) {
        if (!chunked && request.getContentLength64() > static_cast<Poco::Int64>(max_body_bytes)) {
          body_ok = false;
        } else {
          std::istream& in = request.stream();
          char buf[4096];
          while (in && p.request.body.size() <= max_body_bytes) {
            in.read(buf, sizeof buf);
            if (in.gcount() <= 0) break;
            p.request.body.append(buf, static_cast<std::size_t>(in.gcount()));
          }
          body_ok = !in.bad() && p.request.body.size() <= max_body_bytes &&
                    (chunked || static_cast<Poco::Int64>(p.request.body.size()) ==
                                    request.getContentLength64());
        }
      }
      p.keep_alive = keep = body_ok && request.getKeepAlive();
      if (keep) {
        std::string left = session.take_buffered();
        left.append(impl->unread());
        impl->set_unread(std::move(left));
      }
      out.push_back(std::move(p));
    } catch (const Poco::Net::NoMessageException&) {
      break;  // nothing more was sent
    } catch (const Poco::Exception&) {
      // A head that is not HTTP (bad_head: 400 and close) or a body that is not (400, close).
      if (!p.request.method.empty()) out.push_back(std::move(p));
      break;
    }
    if (!keep) break;
  }
  return out;
}

}  // namespace passline::http::detail
