// One HTTP/1.1 connection, served the way Poco's HTTPServerConnection serves it, except that
// what Poco refuses before any handler runs (a bad request line, a target over 16 KiB, too many
// or too long header fields, a Content-Length that is not a number) and what it lets through
// but should not (two Content-Length fields, Transfer-Encoding with Content-Length or other than
// chunked) is answered with a problem document and the connection closed, not with a bare 400
// or nothing at all (docs/HTTP.md, "Requests the server refuses to read").
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "service.h"

namespace passline::http::detail {

/// The one request handler (server.cc's base handler) for a request on `cx`.
std::unique_ptr<Poco::Net::HTTPRequestHandler> make_request_handler(Context& cx);

/// Writes the access-log line of a request refused before it reached the handler (server.cc).
void log_refused(Context& cx, const std::string& remote, int status, const std::string& why);

/// The problem reply for a request head whose framing is ambiguous (RFC 9112 §6.3: several
/// Content-Length fields, Content-Length with Transfer-Encoding, a transfer coding other than
/// chunked, a Content-Length that is not 1 to 18 digits), or nullopt when it is sound.
std::optional<Reply> framing_problem(const Poco::Net::HTTPServerRequest& req);

/// The problem reply for what Poco's parser threw while reading a request head: 414
/// `uri_too_long`, 431 `headers_too_large` or 400 `bad_request`.
Reply unreadable_head_problem(const std::string& what);

/// Makes the connections of a TCPServer. Thread-safe.
class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  ConnectionFactory(Context& cx, Poco::Net::HTTPServerParams::Ptr params)
      : cx_(cx), params_(std::move(params)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override;
  /// Shuts down the socket of every connection still open (requests in flight fail).
  void abort_all();
  void add(Poco::Net::StreamSocket* s);
  void remove(Poco::Net::StreamSocket* s);

 private:
  Context& cx_;
  Poco::Net::HTTPServerParams::Ptr params_;
  std::mutex mu_;
  std::set<Poco::Net::StreamSocket*> live_;
};

}  // namespace passline::http::detail
