// One HTTP/1.1 connection (connection.h): Poco's HTTPServerConnection::run, with problem
// documents for the requests Poco refuses or should refuse.
#include "connection.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>

namespace passline::http::detail {
namespace {

// Poco 1.11's parser limits (private in HTTPRequest and MessageHeader), for the messages.
constexpr int kMaxTarget = 16384, kMaxFields = 100, kMaxName = 256, kMaxValue = 8192;

Reply refused(ErrorCode code, const std::string& detail) {
  Reply r = problem(make_error(code, "", detail));
  r.close = true;
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Sends `r` on a session whose request could not be read: no request object to attach it to,
// so HTTP/1.1, and the connection closes after it.
void send_refusal(Poco::Net::HTTPServerSession& session, const Reply& r) {
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
  session.setKeepAlive(false);
}

// Lingering close after a refusal: the client may still be sending the rest of what was
// refused, and closing with unread bytes would reset the connection and could destroy the
// answer before the client reads it. Reads and discards at most 1 MiB for at most a second.
void linger(Poco::Net::StreamSocket& socket) {
  try {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(1, 0));
    char buf[16384];
    std::size_t discarded = 0;
    while (discarded < (1u << 20)) {
      const int n = socket.receiveBytes(buf, sizeof buf);
      if (n <= 0) break;
      discarded += static_cast<std::size_t>(n);
    }
  } catch (...) {
  }
}

class Connection final : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& s, Context& cx, Poco::Net::HTTPServerParams::Ptr params,
             ConnectionFactory& factory)
      : TCPServerConnection(s), cx_(cx), params_(std::move(params)), factory_(factory) {}

  void run() override {
    factory_.add(&socket());
    try {
      serve();
    } catch (...) {
      // The client went away or the socket was shut down: nothing left to answer.
    }
    factory_.remove(&socket());
  }

 private:
  void serve() {
    Poco::Net::HTTPServerSession session(socket(), params_);
    std::string remote;
    try {
      remote = socket().peerAddress().host().toString();
    } catch (...) {
    }
    while (session.hasMoreRequests()) {
      try {
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params_);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                              session.canKeepAlive());
        response.set("Server", "passline");
        if (auto bad = framing_problem(request)) {
          log_refused(cx_, remote, bad->status, "ambiguous message framing");
          send_refusal(session, *bad);
          linger(socket());
          return;
        }
        auto handler = make_request_handler(cx_);
        if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
          response.sendContinue();
        handler->handleRequest(request, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                             session.canKeepAlive());
      } catch (const Poco::Net::NoMessageException&) {
        return;  // the client closed the connection, or kept it idle too long
      } catch (const Poco::Net::MessageException& e) {
        const Reply r = unreadable_head_problem(e.message());
        log_refused(cx_, remote, r.status, e.displayText());
        send_refusal(session, r);
        linger(socket());
        return;
      } catch (const Poco::SyntaxException& e) {
        // Poco reads Content-Length while it builds the request: not a number, or over 2^63.
        const Reply r =
            refused("bad_request", "Content-Length must be a decimal number of at most 18 digits");
        log_refused(cx_, remote, r.status, e.displayText());
        send_refusal(session, r);
        linger(socket());
        return;
      }
    }
  }

  Context& cx_;
  Poco::Net::HTTPServerParams::Ptr params_;
  ConnectionFactory& factory_;
};

}  // namespace

Reply unreadable_head_problem(const std::string& what) {
  if (what.find("URI") != std::string::npos)
    return refused("uri_too_long", "the request target is longer than this server accepts (" +
                                       std::to_string(kMaxTarget) + " bytes)");
  if (what.find("ield") != std::string::npos)  // "Too many header fields", "Field ... too long"
    return refused("headers_too_large", "the request has more than " + std::to_string(kMaxFields) +
                                            " header fields, a field name over " +
                                            std::to_string(kMaxName) + " bytes or a value over " +
                                            std::to_string(kMaxValue) + " bytes");
  return refused("bad_request", "the request line is not 'METHOD TARGET HTTP/1.x' (" + what + ")");
}

std::optional<Reply> framing_problem(const Poco::Net::HTTPServerRequest& req) {
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

Poco::Net::TCPServerConnection* ConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& s) {
  return new Connection(s, cx_, params_, *this);
}

void ConnectionFactory::add(Poco::Net::StreamSocket* s) {
  std::lock_guard lock(mu_);
  live_.insert(s);
}

void ConnectionFactory::remove(Poco::Net::StreamSocket* s) {
  std::lock_guard lock(mu_);
  live_.erase(s);
}

void ConnectionFactory::abort_all() {
  std::lock_guard lock(mu_);
  for (Poco::Net::StreamSocket* s : live_) {
    try {
      s->shutdown();
    } catch (...) {
    }
  }
}

}  // namespace passline::http::detail
