// The HTTP suites' fixtures: a real passline HTTP server started in-process on a free loopback
// port over a fresh database of either backend, with one token per role, and a small client
// speaking real HTTP through Poco::Net::HTTPClientSession.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "passline/http/server.h"
#include "passline/json.h"
#include "passline/sql/access.h"
#include "storage_support.h"

namespace passline::test {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string content_type;
  std::map<std::string, std::string> headers;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// One keep-alive connection to the server.
class Client {
 public:
  explicit Client(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(30, 0));
    // Reconnect rather than reuse a connection idle for a second or more: the server closes
    // idle keep-alive connections after keep_alive_seconds (2 by default), and a request sent
    // on one it has just closed meets "No message received" (Poco's default here is 8 s, so a
    // test that spent 2 s parsing a large answer between two requests failed on a busy machine).
    session_.setKeepAliveTimeout(Poco::Timespan(1, 0));
  }
  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& token = {}, const std::string& body = {},
                     const std::string& content_type = "application/json",
                     const std::map<std::string, std::string>& headers = {}) {
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    if (!token.empty()) req.set("Authorization", "Bearer " + token);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST") {
      req.setContentType(content_type);
      req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session_.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session_.receiveResponse(resp);
    HttpResult r;
    r.status = resp.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    r.content_type = resp.getContentType();
    for (const auto& [k, v] : resp) r.headers[k] = v;
    return r;
  }
  HttpResult get(const std::string& path, const std::string& token = {}) {
    return request("GET", path, token);
  }
  HttpResult post(const std::string& path, const std::string& token, const std::string& body,
                  const std::map<std::string, std::string>& headers = {}) {
    return request("POST", path, token, body, "application/json", headers);
  }

 private:
  Poco::Net::HTTPClientSession session_;
};

/// A running server over a fresh database, with tokens: recruiter of BUSAN-A, recruiter of
/// BUSAN-B, auditor, admin.
struct Service {
  TestDb db;
  std::unique_ptr<http::Server> server;
  std::string recruiter, other_recruiter, auditor, admin;
  std::string access_log;

  explicit Service(Backend b, http::ServerOptions opts = {}) : db(b) {
    {
      auto store = db.open_initialised();
      auto token = [&](sql::Role r, std::string agency) {
        auto t = sql::create_token(*store, r, agency);
        REQUIRE_MESSAGE(t.ok(), t.error().message);
        return t->token;
      };
      recruiter = token(sql::Role::recruiter, "BUSAN-A");
      other_recruiter = token(sql::Role::recruiter, "BUSAN-B");
      auditor = token(sql::Role::auditor, "");
      admin = token(sql::Role::admin, "");
    }
    access_log = (db.dir() / "access.log").string();
    opts.db_url = db.url();
    opts.port = 0;
    opts.access_log = access_log;
    if (b == Backend::postgresql && opts.threads > 32)
      opts.threads = 32;  // test server's connections
    auto s = http::Server::start(opts);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    server = std::move(s).value();
  }
  int port() const { return server->port(); }
  Client client() const { return Client(port()); }
};

}  // namespace passline::test
