// The service under attack (issue 12): ids that try to inject headers or escape their path
// segment, request heads Poco refuses or should refuse, HEAD, another agency's recruitments on
// every route, storage errors that must not reach the client, a second server on a port in use.
// Everything over real HTTP on loopback, raw sockets where a client library would not send it.
#include <doctest/doctest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <sstream>
#include <thread>

#include "http_support.h"
#include "passline/app/recruitments.h"

namespace {

using passline::test::Backend;
using passline::test::Client;
using passline::test::HttpResult;
using passline::test::make_case;
using passline::test::Service;
namespace sql = passline::sql;
namespace app = passline::app;
using nlohmann::json;

std::string case_body(const std::string& id, const std::string& agency = "BUSAN-A") {
  return passline::case_to_json(make_case(id, agency, "office", 5, 12));
}

/// A response read from a raw socket up to the end of its body (Content-Length) or the close.
struct Raw {
  std::string head, body;
  int status = 0;
  std::string header(const std::string& name) const {
    std::string lower_head = head, key = "\r\n" + name + ":";
    for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto pos = lower_head.find(key);
    if (pos == std::string::npos) return "";
    pos += key.size();
    auto end = head.find("\r\n", pos);
    std::string v = head.substr(pos, end - pos);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
  }
};

/// Sends `bytes` as they are and reads one response (the connection closed after it, or the
/// body's Content-Length read; `head_only` for a HEAD request, whose response has no body).
Raw raw_request(int port, const std::string& bytes, bool head_only = false) {
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  s.setReceiveTimeout(Poco::Timespan(10, 0));
  std::size_t sent = 0;
  try {
    while (sent < bytes.size())
      sent += static_cast<std::size_t>(
          s.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
  } catch (...) {
    // the server may close before reading everything: its answer is still there to read
  }
  std::string in;
  char buf[65536];
  Raw r;
  for (;;) {
    int n = 0;
    try {
      n = s.receiveBytes(buf, sizeof buf);
    } catch (...) {
      break;
    }
    if (n <= 0) break;
    in.append(buf, static_cast<std::size_t>(n));
    const auto end = in.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    r.head = in.substr(0, end + 2);
    const std::string length = r.header("Content-Length");
    if (head_only) break;
    if (!length.empty() && in.size() >= end + 4 + std::stoull(length)) break;
  }
  const auto end = in.find("\r\n\r\n");
  if (end != std::string::npos) {
    r.head = in.substr(0, end + 2);
    r.body = in.substr(end + 4);
    if (r.head.size() > 12) r.status = std::stoi(r.head.substr(9, 3));
  }
  return r;
}

void check_problem(const Raw& r, int status, const std::string& code) {
  INFO(r.head << r.body);
  CHECK(r.status == status);
  CHECK(r.header("Content-Type") == "application/problem+json");
  REQUIRE_FALSE(r.body.empty());
  const json j = json::parse(r.body);
  CHECK(j.at("status") == status);
  CHECK(j.at("code") == code);
  CHECK(j.at("type") == "urn:passline:error:" + code);
  CHECK(j.contains("title"));
  CHECK(j.contains("detail"));
  CHECK(j.contains("path"));
}

std::string post_case(const std::string& token, const std::string& body,
                      const std::string& target = "/v1/recruitments") {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
         token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

std::string get(const std::string& target, const std::string& token = {},
                const std::string& method = "GET") {
  return method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
         (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
}

}  // namespace

TEST_SUITE("http_strict") {

// Finding 1: an id is checked at the door; Location is percent-encoded; no header is injected.
STORAGE_TEST(http_ids_cannot_inject_or_escape) {
  Service svc(backend);
  // CR LF in the recruitment id: refused with bad_id, and no second header anywhere.
  const Raw injected =
      raw_request(svc.port(), post_case(svc.recruiter, case_body("KEPCO-X\r\nSet-Cookie: evil=1")));
  check_problem(injected, 422, "bad_id");
  CHECK(json::parse(injected.body).at("path") == "recruitment.id");
  CHECK(injected.head.find("Set-Cookie") == std::string::npos);
  // ... nor with an Idempotency-Key (the replay path).
  for (const char* bad : {"a/b", "a?b", "a#b", "a%41", "", "\xc2\x85x"}) {
    const Raw r = raw_request(svc.port(), post_case(svc.recruiter, case_body(bad)));
    INFO(bad);
    check_problem(r, 422, "bad_id");
  }
  // Spaces and non-ASCII are allowed by the rule, and percent-encoded in Location.
  const Raw spaced = raw_request(svc.port(), post_case(svc.recruiter, case_body("R 1 채용")));
  REQUIRE_MESSAGE(spaced.status == 201, spaced.body);
  CHECK(spaced.header("Location") == "/v1/recruitments/R%201%20%EC%B1%84%EC%9A%A9");
  const Raw at = raw_request(svc.port(), get(spaced.header("Location"), svc.recruiter));
  CHECK(at.status == 200);
  CHECK(json::parse(at.body).at("id") == "R 1 채용");
  // The agency code in a token and in the registry's path follow the same rule.
  Client c = svc.client();
  auto token =
      c.request("POST", "/v1/tokens", svc.admin, R"({"role": "recruiter", "agency": "AG/1"})");
  CHECK(token.status == 422);
  CHECK(token.json().at("code") == "bad_id");
  // A path id breaking the rule that names nothing: bad_id, not a bare 404.
  const Raw odd = raw_request(svc.port(), get("/v1/recruitments/x%3Fy", svc.auditor));
  check_problem(odd, 422, "bad_id");
  const Raw bad_escape = raw_request(svc.port(), get("/v1/recruitments/x%zz", svc.auditor));
  check_problem(bad_escape, 400, "bad_request");
}

// Stored rows from older versions whose ids break today's rule stay addressable, percent-encoded.
TEST_CASE("sqlite.http_legacy_ids_stay_addressable") {
  Service svc(Backend::sqlite);
  REQUIRE(svc.client().post("/v1/recruitments", svc.recruiter, case_body("R-NOW")).status == 201);
  {
    auto opened = sql::Store::open(svc.db.url());
    REQUIRE(opened.ok());
    auto& store = *opened;
    passline::Case legacy = make_case("OLD/2019?1", "BUSAN-A", "office", 5, 12);
    app::NewRecruitment meta{std::nullopt, 12, "2022-05-03T00:00:00Z"};
    auto stored = store->insert_recruitment(legacy, meta);  // as an older version stored it
    REQUIRE(stored.ok());
    REQUIRE(*stored);
  }
  const Raw got = raw_request(svc.port(), get("/v1/recruitments/OLD%2F2019%3F1", svc.recruiter));
  REQUIRE_MESSAGE(got.status == 200, got.body);
  CHECK(json::parse(got.body).at("id") == "OLD/2019?1");
  // It cannot be decided as it stands: the engine checks every id of the case it decides, and
  // says which one (a correction under a valid id is the way on: docs/HTTP.md, "Ids").
  const Raw decided = raw_request(svc.port(), post_case(svc.recruiter, "",
                                                        "/v1/recruitments/OLD%2F2019%3F1/decide"));
  check_problem(decided, 422, "bad_id");
  CHECK(json::parse(decided.body).at("path") == "recruitment.id");
  const Raw other =
      raw_request(svc.port(), get("/v1/recruitments/OLD%2F2019%3F1", svc.other_recruiter));
  check_problem(other, 422, "bad_id");  // the same as for an id that names nothing
  const Raw none =
      raw_request(svc.port(), get("/v1/recruitments/NEW%2F2019%3F1", svc.other_recruiter));
  check_problem(none, 422, "bad_id");
  std::string expected = json::parse(none.body).at("detail");
  expected.replace(expected.find("NEW"), 3, "OLD");
  CHECK(json::parse(other.body).at("detail") == expected);
}

// Finding 2: what the parser refuses is a problem document, with the connection closed.
TEST_CASE("sqlite.http_malformed_heads_get_problems") {
  Service svc(Backend::sqlite);
  const int port = svc.port();
  const std::string body = "{}";
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nContent-Type: "
                            "application/json\r\nContent-Length: 2\r\nContent-Length: "
                            "200\r\n\r\n{}"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            "2\r\nContent-Length: 2\r\n\r\n{}"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            "12345678901234567890\r\n\r\n{}"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            "-2\r\n\r\n{}"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                            "chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "POST /v1/recruitments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                            "gzip, chunked\r\n\r\n0\r\n\r\n"),
                400, "bad_request");
  check_problem(raw_request(port,
                            "GET /" + std::string(70 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                414, "uri_too_long");
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  check_problem(raw_request(port, many + "\r\n"), 431, "header_too_large");
  check_problem(raw_request(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " +
                                      std::string(9000, 'v') + "\r\n\r\n"),
                431, "header_too_large");
  check_problem(raw_request(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + std::string(300, 'n') +
                                      ": v\r\n\r\n"),
                431, "header_too_large");
  check_problem(raw_request(port, "HELLO WORLD\r\n\r\n"), 400, "bad_request");
  // The server is still there for a well-formed request.
  CHECK(raw_request(port, get("/healthz")).status == 200);
}

// Finding 3: HEAD wherever GET: the same status and headers, no body.
TEST_CASE("sqlite.http_head_wherever_get") {
  Service svc(Backend::sqlite);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("R-1")).status == 201);
  for (const std::string target : {"/healthz", "/v1/openapi.json", "/v1/rules", "/v1/recruitments",
                                   "/v1/recruitments/R-1", "/v1/recruitments/NONE"}) {
    INFO(target);
    const Raw g = raw_request(svc.port(), get(target, svc.recruiter));
    const Raw h = raw_request(svc.port(), get(target, svc.recruiter, "HEAD"), true);
    CHECK(h.status == g.status);
    CHECK(h.header("Content-Type") == g.header("Content-Type"));
    CHECK(h.header("Content-Length") == std::to_string(g.body.size()));
    CHECK(h.body.empty());
  }
  const Raw not_allowed = raw_request(svc.port(), get("/v1/rules", svc.recruiter, "DELETE"));
  check_problem(not_allowed, 405, "method_not_allowed");
  CHECK(not_allowed.header("Allow") == "GET, HEAD");
  const Raw post_only =
      raw_request(svc.port(), get("/v1/recruitments/R-1/decide", svc.recruiter, "HEAD"), true);
  CHECK(post_only.status == 405);
  CHECK(post_only.header("Allow") == "POST");
}

// Finding 4: another agency's recruitment is answered as one that does not exist, everywhere.
STORAGE_TEST(http_other_agency_answers_as_absent) {
  Service svc(backend);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("2018-A-01")).status == 201);
  REQUIRE(c.post("/v1/recruitments/2018-A-01/decide", svc.recruiter, "").status == 200);
  auto same = [&](const HttpResult& theirs, const HttpResult& none, const std::string& id) {
    CHECK(theirs.status == none.status);
    std::string body = none.body;
    for (auto pos = body.find("NONE-01"); pos != std::string::npos; pos = body.find("NONE-01"))
      body.replace(pos, 7, id);
    CHECK(theirs.body == body);
    CHECK(theirs.body.find("BUSAN-A") == std::string::npos);
  };
  const std::string& b = svc.other_recruiter;
  same(c.get("/v1/recruitments/2018-A-01", b), c.get("/v1/recruitments/NONE-01", b), "2018-A-01");
  same(c.get("/v1/recruitments/2018-A-01/decisions", b),
       c.get("/v1/recruitments/NONE-01/decisions", b), "2018-A-01");
  same(c.get("/v1/recruitments/2018-A-01/applicants/A100000/receipt", b),
       c.get("/v1/recruitments/NONE-01/applicants/A100000/receipt", b), "2018-A-01");
  same(c.post("/v1/recruitments/2018-A-01/decide", b, ""),
       c.post("/v1/recruitments/NONE-01/decide", b, ""), "2018-A-01");
  // supersedes another agency's recruitment: "not stored", never its agency or year.
  const auto sup_theirs =
      c.post("/v1/recruitments?supersedes=2018-A-01", b, case_body("2018-B-02", "BUSAN-B"));
  const auto sup_none =
      c.post("/v1/recruitments?supersedes=NONE-01", b, case_body("2018-B-02", "BUSAN-B"));
  CHECK(sup_theirs.status == 422);
  same(sup_theirs, sup_none, "2018-A-01");
  // A duplicate id answers the same whichever agency holds it: taken, never whose.
  const auto dup_theirs = c.post("/v1/recruitments", b, case_body("2018-A-01", "BUSAN-B"));
  const auto dup_own = c.post("/v1/recruitments", svc.recruiter, case_body("2018-A-01"));
  CHECK(dup_theirs.status == 409);
  CHECK(dup_theirs.body == dup_own.body);
  CHECK(dup_theirs.body.find("BUSAN-A") == std::string::npos);
  CHECK(dup_theirs.body.find("decided") == std::string::npos);
}

// Finding 5: a storage failure's raw text (SQL, the database's path) goes to the log only.
TEST_CASE("sqlite.http_storage_errors_keep_sql_in_the_log") {
  Service svc(Backend::sqlite, [] {
    passline::http::ServerOptions o;
    o.token_cache_seconds = 60;
    return o;
  }());
  Client c = svc.client();
  REQUIRE(c.get("/v1/recruitments", svc.auditor).status == 200);  // the token is cached
  {
    auto parsed = sql::parse_database_url(svc.db.url());
    REQUIRE(parsed.ok());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << "ALTER TABLE recruitments RENAME TO recruitments_gone";
  }
  const auto r = c.get("/v1/recruitments?year=2022", svc.auditor);
  REQUIRE(r.status == 503);
  const json j = r.json();
  CHECK(j.at("code") == "storage");
  const std::string detail = j.at("detail");
  CHECK(detail.find("SELECT") == std::string::npos);
  CHECK(detail.find("recruitments") == std::string::npos);
  CHECK(detail.find(svc.db.dir().string()) == std::string::npos);
  CHECK(r.body.find(svc.db.dir().string()) == std::string::npos);
  svc.server->stop(std::chrono::seconds(1));
  const std::string log = passline::test::slurp(svc.access_log);
  CHECK(log.find("recruitments") != std::string::npos);  // the raw text, for the operator
}

// Finding 5: the access log stays valid UTF-8 JSON whatever the target holds.
TEST_CASE("sqlite.http_access_log_escapes_bytes") {
  Service svc(Backend::sqlite);
  raw_request(svc.port(),
              "GET /v1/\xfe\xfd\x01\x7f"
              "x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  raw_request(svc.port(), "GET /\x1b[31mred HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  svc.server->stop(std::chrono::seconds(1));
  std::istringstream lines(passline::test::slurp(svc.access_log));
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    json j;
    CHECK_NOTHROW(j = json::parse(line));  // nlohmann refuses invalid UTF-8
    CHECK(std::none_of(line.begin(), line.end(),
                       [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }));
    ++n;
  }
  CHECK(n >= 2);
  const std::string all = passline::test::slurp(svc.access_log);
  CHECK_MESSAGE(all.find("/v1/\\\\xfe\\\\xfd\\\\x01\\\\x7fx") != std::string::npos, all);
}

// Finding 6: a second server on a port in use fails, naming the address; the first still serves.
TEST_CASE("sqlite.http_port_in_use_fails") {
  Service svc(Backend::sqlite);
  passline::test::TempDir io;
  const std::string port = std::to_string(svc.port());
  auto second = passline::test::spawn_cli({"serve", "--db", svc.db.url(), "--port", port,
                                           "--access-log", "off"},
                                          io.path);
  // It must stop by itself: give it 20 s, then stop it and fail.
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && done == 0; ++i) {
    done = ::waitpid(second.pid, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (done == 0) {
    ::kill(second.pid, SIGKILL);
    ::waitpid(second.pid, &status, 0);
    FAIL("a second passline serve on port " << port << " kept running");
  }
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  const std::string err = passline::test::slurp(second.err_path);
  CHECK_MESSAGE(err.find("127.0.0.1:" + port) != std::string::npos, err);
  CHECK_MESSAGE(err.find("in use") != std::string::npos, err);
  // In process too: Server::start on the same port is bind_failed.
  passline::http::ServerOptions o;
  o.db_url = svc.db.url();
  o.port = svc.port();
  o.access_log = "off";
  auto again = passline::http::Server::start(o);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "bind_failed");
  for (int i = 0; i < 20; ++i) CHECK(Client(svc.port()).get("/healthz").status == 200);
}

}  // TEST_SUITE
