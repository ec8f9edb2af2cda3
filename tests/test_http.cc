// The HTTP service over both backends, through real HTTP on a loopback port: every endpoint,
// every error status, idempotency, recruiter scoping, strict quota-case/2 input (body, path and
// CSV form), concurrent deciders, keep-alive sizing and graceful shutdown.
#include <doctest/doctest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <tuple>

#include "http_support.h"
#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/app/openings.h"
#include "passline/receipt.h"
#include "passline/sql/log_key.h"
#include "passline/app/report_format.h"

namespace {

using passline::test::Backend;
using passline::test::Client;
using passline::test::HttpResult;
using passline::test::make_case;
using passline::test::Service;
namespace sql = passline::sql;
namespace app = passline::app;
using nlohmann::json;

std::string case_body(const std::string& id, const std::string& agency = "BUSAN-A",
                      std::size_t applicants = 40) {
  return passline::case_to_json(make_case(id, agency, "office", 5, applicants));
}

void check_problem(const HttpResult& r, int status, const std::string& code) {
  CHECK_MESSAGE(r.status == status, r.body);
  CHECK(r.content_type == "application/problem+json");
  const json j = json::parse(r.body);
  CHECK(j.at("status") == status);
  CHECK(j.at("code") == code);
  CHECK(j.contains("type"));
  CHECK(j.contains("title"));
  CHECK(j.contains("detail"));
  CHECK(j.contains("path"));
}

std::string metric_line(Client& c, const std::string& prefix) {
  const std::string text = c.get("/metrics").body;
  auto pos = text.find(prefix);
  if (pos == std::string::npos) return "";
  return text.substr(pos, text.find('\n', pos) - pos);
}

}  // namespace

TEST_SUITE("http") {

STORAGE_TEST(http_every_endpoint) {
  Service svc(backend);
  Client c = svc.client();

  CHECK(c.get("/healthz").status == 200);
  auto ready = c.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.json().at("status") == "ready");
  auto openapi = c.get("/v1/openapi.json");
  CHECK(openapi.status == 200);
  CHECK(openapi.json().contains("openapi"));

  // create, read, list
  auto created = c.post("/v1/recruitments", svc.recruiter, case_body("R-1"));
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(created.headers["Location"] == "/v1/recruitments/R-1");
  CHECK(created.json().at("state") == "imported");
  CHECK(created.json().at("applicants") == 40);
  auto got = c.get("/v1/recruitments/R-1", svc.recruiter);
  CHECK(got.status == 200);
  CHECK(got.json().at("agency") == "BUSAN-A");
  auto list = c.get("/v1/recruitments?agency=BUSAN-A&year=2022", svc.auditor);
  CHECK(list.status == 200);
  CHECK(list.json().at("recruitments").size() == 1);

  // decide: the quota-decision/1 document, byte for byte what the store gives back
  auto decided = c.post("/v1/recruitments/R-1/decide", svc.recruiter, "");
  REQUIRE_MESSAGE(decided.status == 200, decided.body);
  {
    auto store = sql::Store::open(svc.db.url());
    REQUIRE(store.ok());
    auto d = app::load_decision(**store, "R-1");
    REQUIRE(d.ok());
    std::string expected;
    passline::write_decision_json(d->input, d->decision,
                                  [&](std::string_view s) { expected += s; });
    CHECK(decided.body == expected);
    auto decisions = c.get("/v1/recruitments/R-1/decisions", svc.auditor);
    CHECK(decisions.status == 200);
    CHECK(decisions.body == expected);
  }
  CHECK(c.get("/v1/recruitments/R-1", svc.recruiter).json().at("state") == "decided");

  // paged and filtered decisions: pages of 7 chain to the whole list
  const json full = json::parse(c.get("/v1/recruitments/R-1/decisions", svc.auditor).body);
  std::size_t seen = 0;
  std::string token;
  for (int page = 0; page < 20; ++page) {
    auto r = c.get("/v1/recruitments/R-1/decisions?page_size=7" +
                       (token.empty() ? std::string() : "&page_token=" + token),
                   svc.auditor);
    REQUIRE(r.status == 200);
    const json j = r.json();
    CHECK(j.at("format") == "passline-decisions-page/1");
    for (const json& a : j.at("applicants")) {
      CHECK(a.at("id") == full.at("units")[0].at("applicants")[seen].at("id"));
      ++seen;
    }
    if (j.at("next_page_token").is_null()) break;
    token = j.at("next_page_token").get<std::string>();
  }
  CHECK(seen == 40);
  auto rank = c.get("/v1/recruitments/R-1/decisions?basis=rank&stage=final", svc.auditor).json();
  CHECK(rank.at("applicants").size() == 5);
  for (const json& a : rank.at("applicants")) CHECK(a.at("stages")[0].at("basis") == "rank");
  auto one = c.get("/v1/recruitments/R-1/decisions?applicant=A100004", svc.recruiter).json();
  REQUIRE(one.at("applicants").size() == 1);
  CHECK(one.at("applicants")[0].at("unit") == "U1");

  // compliance, report, rules
  auto compliance = c.get("/v1/agencies/BUSAN-A/compliance?year=2022", svc.recruiter);
  REQUIRE_MESSAGE(compliance.status == 200, compliance.body);
  CHECK(compliance.json().at("format") == "passline-report/2");
  CHECK(compliance.json().at("agencies").size() == 1);
  CHECK(compliance.json().at("agencies")[0].at("region") == "busan");
  auto report = c.get("/v1/report?year=2022", svc.auditor);
  REQUIRE(report.status == 200);
  {
    auto store = sql::Store::open(svc.db.url());
    auto annual = app::annual_report(**store, 2022);
    REQUIRE(annual.ok());
    CHECK(report.body == app::report_json(*annual));
  }
  auto rules = c.get("/v1/rules", svc.recruiter);
  CHECK(rules.status == 200);
  CHECK(rules.json().at("rules").size() >= 2);
  auto rule = c.get("/v1/rules/kr-innovation-city", svc.auditor);
  CHECK(rule.status == 200);
  CHECK(rule.json().at("versions")[0].contains("pack"));

  // tokens: the admin creates and revokes; a revoked token is refused at once
  auto made = c.post("/v1/tokens", svc.admin, R"({"role": "auditor"})");
  REQUIRE_MESSAGE(made.status == 201, made.body);
  const std::string fresh = made.json().at("token");
  CHECK(c.get("/v1/report?year=2022", fresh).status == 200);
  auto tokens = c.get("/v1/tokens", svc.admin);
  CHECK(tokens.status == 200);
  CHECK(tokens.json().at("tokens").size() == 5);
  CHECK(tokens.body.find(fresh) == std::string::npos);  // secrets are never shown again
  auto revoked =
      c.request("DELETE", "/v1/tokens/" + made.json().at("id").get<std::string>(), svc.admin);
  CHECK(revoked.status == 204);
  check_problem(c.get("/v1/report?year=2022", fresh), 401, "invalid_token");

  // metrics
  CHECK(metric_line(c,
                    "passline_http_requests_total{route=\"/v1/recruitments/{id}/"
                    "decide\",method=\"POST\",status=\"200\"}") != "");
  CHECK(metric_line(c, "passline_decisions_total{basis=\"rank\"}") ==
        "passline_decisions_total{basis=\"rank\"} 5");
  CHECK(metric_line(
            c, "passline_http_request_duration_seconds_bucket{route=\"/v1/report\",le=\"+Inf\"}") !=
        "");
  // access log: one JSON object per request
  svc.server->stop();
  const std::string log = passline::test::slurp(svc.access_log);
  CHECK(log.find("\"route\":\"/v1/recruitments/{id}/decide\"") != std::string::npos);
  std::istringstream lines(log);
  for (std::string l; std::getline(lines, l);) CHECK(json::parse(l).contains("status"));
}

// Found by tests/fuzz/fuzz_http.cc: the path was decoded before it was split, so an id with an
// encoded '/' added segments (POST /v1/recruitments/E-1%2Fdecide decided E-1), and a '%' not
// followed by two hex digits made Poco::URI throw: a 500.
STORAGE_TEST(http_path_segments_are_split_before_decoding) {
  Service svc(backend);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("E-1")).status == 201);
  check_problem(c.post("/v1/recruitments/E-1%2Fdecide", svc.recruiter, ""), 405,
                "method_not_allowed");
  CHECK(json::parse(c.get("/v1/recruitments/E-1", svc.recruiter).body)["state"] == "imported");
  // one segment, the id 'E-1/decisions': not a route to E-1's decisions, and not an id
  check_problem(c.get("/v1/recruitments/E-1%2Fdecisions", svc.auditor), 422, "bad_id");
  check_problem(c.get("/v1/recruitments/%zz", svc.auditor), 400, "bad_request");
  check_problem(c.get("/v1/recruitments/E-1%2", svc.auditor), 400, "bad_request");
  CHECK(c.get("/v1/recruitments/E%2D1", svc.recruiter).status == 200);  // %2D is '-'
}

STORAGE_TEST(http_every_error_status) {
  passline::http::ServerOptions opts;
  opts.max_body_bytes = 64 * 1024;
  Service svc(backend, opts);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("E-1")).status == 201);

  check_problem(c.post("/v1/recruitments", svc.recruiter, "{\"format\": "), 400, "malformed_json");
  check_problem(c.get("/v1/report?year=abc", svc.auditor), 400, "bad_query");
  check_problem(c.get("/v1/report?year=2022&colour=red", svc.auditor), 400, "bad_query");
  check_problem(c.get("/v1/recruitments/E-1/decisions?basis=luck", svc.auditor), 400, "bad_query");
  check_problem(c.get("/v1/recruitments/E-1"), 401, "unauthorized");
  check_problem(c.get("/v1/recruitments/E-1", "pl_not-a-real-token"), 401, "invalid_token");
  CHECK(c.get("/v1/recruitments/E-1").headers["WWW-Authenticate"] == "Bearer");
  check_problem(c.post("/v1/recruitments", svc.auditor, case_body("E-2")), 403, "forbidden");
  check_problem(c.post("/v1/recruitments/E-1/decide", svc.auditor, ""), 403, "forbidden");
  check_problem(c.get("/v1/report?year=2022", svc.recruiter), 403, "forbidden");
  check_problem(c.get("/v1/recruitments/E-1", svc.admin), 403, "forbidden");
  check_problem(c.post("/v1/recruitments", svc.recruiter, case_body("E-3", "BUSAN-B")), 403,
                "forbidden");
  check_problem(c.get("/v1/recruitments/NOPE", svc.auditor), 404, "unknown_recruitment");
  check_problem(c.get("/v1/nothing-here", svc.auditor), 404, "not_found");
  check_problem(c.request("DELETE", "/v1/recruitments/E-1", svc.auditor), 405,
                "method_not_allowed");
  check_problem(c.get("/v1/recruitments/E-1/decisions", svc.auditor), 409, "not_decided");
  REQUIRE(c.post("/v1/recruitments/E-1/decide", svc.recruiter, "").status == 200);
  check_problem(c.post("/v1/recruitments/E-1/decide", svc.recruiter, ""), 409, "already_decided");
  check_problem(c.post("/v1/recruitments", svc.recruiter, case_body("E-1")), 409,
                "duplicate_recruitment");
  check_problem(c.post("/v1/recruitments", svc.recruiter, case_body("E-BIG", "BUSAN-A", 1000)), 413,
                "body_too_large");
  Client c2 = svc.client();  // 413 closes the connection
  check_problem(c2.request("POST", "/v1/recruitments", svc.recruiter, case_body("E-4"),
                           "text/plain"),
                415, "unsupported_media_type");
  std::string bad = case_body("E-5");
  bad.replace(bad.find("\"min_score\": \"60\""), 17, "\"min_score\": \"6O\"");
  auto invalid = c2.post("/v1/recruitments", svc.recruiter, bad);
  check_problem(invalid, 422, "bad_decimal");
  CHECK(invalid.json().at("path") == "units[0].stages[0].threshold.min_score");
  // the connection survives every error answered above
  CHECK(c2.get("/healthz").status == 200);
  CHECK(c.get("/v1/recruitments/E-5", svc.auditor).status == 404);  // nothing was stored
}

STORAGE_TEST(http_recruiter_sees_only_its_agency) {
  Service svc(backend);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("S-1")).status == 201);
  REQUIRE(c.post("/v1/recruitments/S-1/decide", svc.recruiter, "").status == 200);
  // Another agency's recruiter learns nothing: the same 404 as for an id that does not exist.
  auto theirs = c.get("/v1/recruitments/S-1", svc.other_recruiter);
  auto missing = c.get("/v1/recruitments/S-404", svc.other_recruiter);
  check_problem(theirs, 404, "unknown_recruitment");
  CHECK(json::parse(theirs.body).at("detail") != "");
  CHECK(theirs.body.substr(0, 20) == missing.body.substr(0, 20));
  check_problem(c.get("/v1/recruitments/S-1/decisions", svc.other_recruiter), 404,
                "unknown_recruitment");
  check_problem(c.post("/v1/recruitments/S-1/decide", svc.other_recruiter, ""), 404,
                "unknown_recruitment");
  check_problem(c.get("/v1/agencies/BUSAN-A/compliance?year=2022", svc.other_recruiter), 404,
                "unknown_agency");
  check_problem(c.get("/v1/agencies/NOWHERE/compliance?year=2022", svc.auditor), 404,
                "unknown_agency");
  // A stored agency with nothing decided that year: an empty report, not 404.
  auto empty = c.get("/v1/agencies/BUSAN-A/compliance?year=2019", svc.auditor);
  CHECK(empty.status == 200);
  CHECK(empty.json().at("agencies").empty());
  CHECK(c.get("/v1/recruitments?agency=BUSAN-A", svc.other_recruiter)
            .json()
            .at("recruitments")
            .empty());
  CHECK(c.get("/v1/recruitments", svc.other_recruiter).json().at("recruitments").empty());
  CHECK(c.get("/v1/recruitments", svc.recruiter).json().at("recruitments").size() == 1);
}

STORAGE_TEST(http_idempotency_keys) {
  Service svc(backend);
  Client c = svc.client();
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "create-I-1"}};
  auto first = c.post("/v1/recruitments", svc.recruiter, case_body("I-1"), key);
  REQUIRE_MESSAGE(first.status == 201, first.body);
  auto again = c.post("/v1/recruitments", svc.recruiter, case_body("I-1"), key);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.headers["Idempotent-Replayed"] == "true");
  // the same key with another body is refused, and does nothing
  check_problem(c.post("/v1/recruitments", svc.recruiter, case_body("I-2"), key), 422,
                "idempotency_key_reused");
  check_problem(c.get("/v1/recruitments/I-2", svc.auditor), 404, "unknown_recruitment");
  // keys belong to their token: another caller's same key is a new request
  auto other =
      svc.client().post("/v1/recruitments", svc.other_recruiter, case_body("I-B", "BUSAN-B"), key);
  CHECK(other.status == 201);

  // decide: the replay is the first decision document; the decision happened once
  const std::map<std::string, std::string> dkey = {{"Idempotency-Key", "decide-I-1"}};
  auto d1 = c.post("/v1/recruitments/I-1/decide", svc.recruiter, "", dkey);
  REQUIRE_MESSAGE(d1.status == 200, d1.body);
  const std::string rank_before = metric_line(c, "passline_decisions_total{basis=\"rank\"}");
  auto d2 = c.post("/v1/recruitments/I-1/decide", svc.recruiter, "", dkey);
  CHECK(d2.status == 200);
  CHECK(d2.body == d1.body);
  CHECK(metric_line(c, "passline_decisions_total{basis=\"rank\"}") == rank_before);
  check_problem(c.post("/v1/recruitments/I-1/decide", svc.recruiter, ""), 409, "already_decided");

  // a failed action records nothing: the key may be used again once the request can succeed
  const std::map<std::string, std::string> fkey = {{"Idempotency-Key", "decide-I-9"}};
  check_problem(c.post("/v1/recruitments/I-9/decide", svc.recruiter, "", fkey), 404,
                "unknown_recruitment");
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("I-9")).status == 201);
  CHECK(c.post("/v1/recruitments/I-9/decide", svc.recruiter, "", fkey).status == 200);

  // concurrent requests with one key: one effect, every answer the same
  const std::map<std::string, std::string> ckey = {{"Idempotency-Key", "create-I-C"}};
  std::vector<std::thread> threads;
  std::vector<HttpResult> results(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      results[i] = svc.client().post("/v1/recruitments", svc.recruiter, case_body("I-C"), ckey);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    CHECK_MESSAGE(r.status == 201, r.body);
    CHECK(r.body == results[0].body);
  }
}

STORAGE_TEST(http_concurrent_deciders_of_one_agency) {
  Service svc(backend);
  {
    Client c = svc.client();
    for (int i = 0; i < 8; ++i)
      REQUIRE(c.post("/v1/recruitments", svc.recruiter,
                     case_body("C-" + std::to_string(i), "BUSAN-A", 30))
                  .status == 201);
  }
  std::atomic<int> ok{0};
  std::atomic<long long> hires{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Client c = svc.client();
      for (int i = t; i < 8; i += 4) {
        auto r = c.post("/v1/recruitments/C-" + std::to_string(i) + "/decide", svc.recruiter, "");
        if (r.status != 200) continue;
        ++ok;
        const json j = json::parse(r.body);
        for (const json& u : j.at("units")) hires += u.at("hires").get<long long>();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 8);
  auto store = sql::Store::open(svc.db.url());
  REQUIRE(store.ok());
  auto ledger = app::ledger(**store, "BUSAN-A", 2022);
  REQUIRE(ledger.ok());
  long long total = 0;
  for (const auto& e : *ledger) total += e.hires;
  CHECK(total == hires.load());
  CHECK(total >= 8 * 5);
}

STORAGE_TEST(http_idle_keep_alive_connections_do_not_stall_requests) {
  passline::http::ServerOptions opts;
  opts.keep_alive_seconds = 10;  // idle connections stay for the whole test
  Service svc(backend, opts);
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 20; ++i) {  // more than Poco's default of 16 threads
    idle.push_back(std::make_unique<Client>(svc.port()));
    REQUIRE(idle.back()->get("/healthz").status == 200);
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = svc.client().get("/v1/rules", svc.auditor);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  CHECK(r.status == 200);
  CHECK_MESSAGE(ms < 1000, "the request took " << ms << " ms");
}

STORAGE_TEST(http_stop_lets_the_request_in_flight_finish) {
  Service svc(backend);
  // A create whose body is half sent when the stop is requested.
  const std::string body = case_body("G-1");
  const std::string head =
      "POST /v1/recruitments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      svc.recruiter +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n";
  Poco::Net::StreamSocket sock(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(svc.port())));
  sock.setReceiveTimeout(Poco::Timespan(30, 0));
  const std::string first = head + body.substr(0, body.size() / 2);
  sock.sendBytes(first.data(), static_cast<int>(first.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the handler is reading the body
  std::thread stopper([&] { svc.server->stop(std::chrono::seconds(20)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string rest = body.substr(body.size() / 2);
  sock.sendBytes(rest.data(), static_cast<int>(rest.size()));
  std::string response;
  char buf[4096];
  for (int n; (n = sock.receiveBytes(buf, sizeof buf)) > 0;)
    response.append(buf, static_cast<std::size_t>(n));
  stopper.join();
  CHECK_MESSAGE(response.rfind("HTTP/1.1 201", 0) == 0, response);
  CHECK_MESSAGE(response.find("Connection: Close") != std::string::npos,
                response);  // Poco's spelling
  auto store = sql::Store::open(svc.db.url());
  REQUIRE(store.ok());
  auto info = app::recruitment(**store, "G-1");
  REQUIRE(info.ok());
  CHECK(info->applicants == 40);
  // stopped: nothing listens any more
  CHECK_THROWS(Client(svc.port()).get("/healthz"));
}

// SPEC §6's strict input over HTTP: a quota-case/2 body with an unknown key or a malformed id,
// a malformed id in the path or the query, the CSV form with a quota-case/2 header, each refused
// with a problem naming the path (422, as every SPEC §6 code) and nothing stored.
STORAGE_TEST(http_strict_quota_case_2_input) {
  Service svc(backend);
  Client c = svc.client();
  const std::filesystem::path source = PASSLINE_SOURCE_DIR;
  auto imported = c.post("/v1/agencies/import", svc.admin,
                         passline::test::slurp(source / "data/agencies/innovation-city-2018.json"));
  REQUIRE_MESSAGE(imported.status == 200, imported.body);
  auto token = c.post("/v1/tokens", svc.admin, R"({"role": "recruiter", "agency": "KHNP"})");
  REQUIRE(token.status == 201);
  const std::string khnp = token.json().at("token").get<std::string>();
  auto problem = [](const HttpResult& r, int status, const std::string& code,
                    const std::string& path) {
    check_problem(r, status, code);
    CHECK(json::parse(r.body).at("path") == path);
  };
  const std::string text = passline::test::slurp(source / "examples/gyeongju-v2.case.json");
  const json doc = json::parse(text);

  // The body: unknown keys and malformed ids anywhere.
  for (const auto& [pointer, value, code, path] :
       std::vector<std::tuple<std::string, json, std::string, std::string>>{
           {"/units/0/requires_experiance", true, "unknown_key", "units[0].requires_experiance"},
           {"/ledgr", json::object(), "unknown_key", "ledgr"},
           {"/units/0/applicants/3/education/0/yaer", 2019, "unknown_key",
            "units[0].applicants[3].education[0].yaer"},
           {"/units/0/applicants/2/id", "KHNP/2024/003", "bad_id", "units[0].applicants[2].id"},
           {"/units/0/id", std::string(65, 'u'), "bad_id", "units[0].id"},
           {"/recruitment/id", "KHNP#2024", "bad_id", "recruitment.id"},
           {"/units/0/applicants/0/education/0/year", "2016", "wrong_type",
            "units[0].applicants[0].education[0].year"},
           {"/units/0/applicants/0/education/0/status", "graduate", "invalid_value",
            "units[0].applicants[0].education[0].status"}}) {
    CAPTURE(pointer);
    json bad = doc;
    bad[json::json_pointer(pointer)] = value;
    problem(c.post("/v1/recruitments", khnp, bad.dump()), 422, code, path);
  }
  // Path and query ids: bad_id when they name nothing visible and break the rule (ids older
  // versions stored are looked up first), or at once when they are not text at all.
  problem(c.get("/v1/recruitments/A%25B", svc.auditor), 422, "bad_id", "id");
  problem(c.get("/v1/recruitments/" + std::string(65, 'r'), khnp), 422, "bad_id", "id");
  problem(c.post("/v1/recruitments/A%3FB/decide", khnp, ""), 422, "bad_id", "id");
  problem(c.get("/v1/recruitments/A%23B/decisions", svc.auditor), 422, "bad_id", "id");
  problem(c.get("/v1/recruitments/R-1/applicants/A%0AB/receipt", svc.auditor), 422, "bad_id",
          "applicant");
  problem(c.get("/v1/agencies/K%25/compliance?year=2024", svc.auditor), 422, "bad_id", "code");
  problem(c.post("/v1/recruitments?supersedes=A%25B", khnp, text), 422, "bad_id", "supersedes");
  CHECK(c.get("/v1/recruitments", svc.auditor).json().at("recruitments").empty());

  // The CSV form with a quota-case/2 header: the form itself is strict too...
  auto csv_form = [&](const std::string& applicants, const std::string& education,
                      const std::string& scores) {
    const std::filesystem::path dir = source / "examples/csv-v2";
    return json{{"format", "passline-case-csv/1"},
                {"case", json::parse(passline::test::slurp(dir / "recruitment.json"))},
                {"applicants",
                 applicants.empty() ? passline::test::slurp(dir / "applicants.csv") : applicants},
                {"education",
                 education.empty() ? passline::test::slurp(dir / "education.csv") : education},
                {"scores", scores.empty() ? passline::test::slurp(dir / "scores.csv") : scores}};
  };
  json form = csv_form("", "", "");
  json extra = form;
  extra["score"] = "";
  problem(c.post("/v1/recruitments", khnp, extra.dump()), 422, "unknown_key", "score");
  json missing = form;
  missing.erase("scores");
  problem(c.post("/v1/recruitments", khnp, missing.dump()), 422, "missing_field", "scores");
  json wrong = form;
  wrong["scores"] = 5;
  problem(c.post("/v1/recruitments", khnp, wrong.dump()), 422, "wrong_type", "scores");
  json header_typo = form;
  header_typo["case"]["units"][0]["requires_experiance"] = true;
  problem(c.post("/v1/recruitments", khnp, header_typo.dump()), 422, "unknown_key",
          "case.units[0].requires_experiance");
  // ...and every error of the files is listed.
  json bad_csv = csv_form(form["applicants"].get<std::string>() + "office-5,KHNP?21,\r\n",
                          "unit,applicant,level,region,status,kind,yaer\r\n", "");
  auto listed = c.post("/v1/recruitments", khnp, bad_csv.dump());
  problem(listed, 422, "bad_id", "applicants.csv:22:2");
  const json errors = json::parse(listed.body).at("errors");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].at("code") == "bad_id");
  CHECK(errors[1].at("code") == "unknown_key");
  CHECK(errors[1].at("path") == "education.csv:1:7");
  CHECK(errors[1].at("detail").get<std::string>().find("'yaer'") != std::string::npos);
  CHECK(json::parse(listed.body).at("error_count") == 2);
  CHECK(c.get("/v1/recruitments", svc.auditor).json().at("recruitments").empty());

  // The example's CSV form is stored and decides as its JSON case does.
  auto created = c.post("/v1/recruitments", khnp, form.dump());
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(created.headers["Location"] == "/v1/recruitments/KHNP-2024-H2-CSV");
  auto decided = c.post("/v1/recruitments/KHNP-2024-H2-CSV/decide", khnp, "");
  REQUIRE_MESSAGE(decided.status == 200, decided.body);
  auto direct = passline::parse_case_json(text);
  REQUIRE(direct.ok());
  direct->recruitment.id = "KHNP-2024-H2-CSV";
  auto d = passline::decide(*direct, passline::bundled_rules());
  REQUIRE(d.ok());
  CHECK(decided.body == passline::decision_to_json(*direct, *d));
}

}  // TEST_SUITE

TEST_SUITE("http audit") {

STORAGE_TEST(http_audit_endpoints) {
  // A log key for the server, so it signs the checkpoints receipts need.
  passline::test::TempDir keys;
  const std::string key = (keys.path / "log.key").string();
  auto made = sql::create_log_key(key, "test.passline/log");
  REQUIRE(made.ok());
  passline::http::ServerOptions opts;
  opts.log_key = key;
  Service svc(backend, opts);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, case_body("L-1")).status == 201);
  REQUIRE(c.post("/v1/recruitments/L-1/decide", svc.recruiter, "").status == 200);
  REQUIRE(c.post("/v1/recruitments", svc.other_recruiter, case_body("L-2", "BUSAN-B", 20)).status ==
          201);
  REQUIRE(c.post("/v1/recruitments/L-2/decide", svc.other_recruiter, "").status == 200);

  // The checkpoint: signed, covering the whole log (1 + 40 + 1 + 20 entries).
  auto cp = c.get("/v1/audit/checkpoint", svc.auditor);
  REQUIRE_MESSAGE(cp.status == 200, cp.body);
  const json cpj = cp.json();
  CHECK(cpj.at("tree_size") == 62);
  CHECK(cpj.at("log_size") == 62);
  auto verified =
      passline::verify_checkpoint(cpj.at("note").get<std::string>(), made->verifier_key);
  REQUIRE(verified.ok());
  CHECK(passline::to_hex(verified->root) == cpj.at("root"));

  // Entry ranges: canonical JSON lines, hashing to the checkpoint's root.
  std::vector<passline::Hash> leaves;
  for (std::uint64_t start = 0; start < 62; start += 25) {
    auto page = c.get("/v1/audit/entries?start=" + std::to_string(start) +
                          "&end=" + std::to_string(start + 25),
                      svc.auditor);
    REQUIRE(page.status == 200);
    CHECK(page.content_type == "application/x-ndjson");
    std::istringstream in(page.body);
    for (std::string l; std::getline(in, l);) leaves.push_back(passline::leaf_hash(l));
  }
  REQUIRE(leaves.size() == 62);
  CHECK(passline::root_of(leaves) == verified->root);

  // Proofs verify against the roots they name.
  auto inc = c.get("/v1/audit/proofs/inclusion?index=17&tree_size=62", svc.auditor).json();
  std::vector<passline::Hash> proof;
  for (const auto& h : inc.at("proof"))
    proof.push_back(*passline::hash_from_hex(h.get<std::string>()));
  CHECK(passline::verify_inclusion(17, 62, leaves[17], proof, verified->root));
  auto con = c.get("/v1/audit/proofs/consistency?first=41&second=62", svc.auditor).json();
  std::vector<passline::Hash> cproof;
  for (const auto& h : con.at("proof"))
    cproof.push_back(*passline::hash_from_hex(h.get<std::string>()));
  const auto first_root = passline::root_of(std::span<const passline::Hash>(leaves).first(41));
  CHECK(con.at("first_root") == passline::to_hex(first_root));
  CHECK(passline::verify_consistency(41, 62, first_root, verified->root, cproof));

  // An applicant's receipt: for the recruiter of its agency and auditors; verifies offline.
  auto receipt = c.get("/v1/recruitments/L-1/applicants/A100004/receipt", svc.recruiter);
  REQUIRE_MESSAGE(receipt.status == 200, receipt.body);
  auto summary = passline::verify_receipt(receipt.body, made->verifier_key);
  REQUIRE_MESSAGE(summary.ok(), summary.error().message);
  CHECK(summary->applicant == "A100004");
  CHECK(summary->recruitment == "L-1");
  CHECK(c.get("/v1/recruitments/L-1/applicants/A100004/receipt", svc.auditor).status == 200);

  // Access: audit endpoints are the auditor's; another agency's receipt is not there.
  check_problem(c.get("/v1/audit/checkpoint", svc.recruiter), 403, "forbidden");
  check_problem(c.get("/v1/audit/entries?start=0", svc.admin), 403, "forbidden");
  check_problem(c.get("/v1/recruitments/L-1/applicants/A100004/receipt", svc.other_recruiter), 404,
                "unknown_recruitment");
  check_problem(c.get("/v1/recruitments/L-1/applicants/NOBODY/receipt", svc.auditor), 404,
                "unknown_applicant");
  check_problem(c.get("/v1/audit/proofs/inclusion?index=62&tree_size=62", svc.auditor), 400,
                "bad_query");
  check_problem(c.get("/v1/audit/entries", svc.auditor), 400, "bad_query");

  // passline-log/3: the receipt carries the applicant's opening; once its retention ended and
  // `passline audit erase` destroyed it, no receipt can be issued (410 erased), while the
  // checkpoint and every proof still verify.
  CHECK(json::parse(receipt.body).contains("opening"));
  {
    auto store = sql::Store::open(svc.db.url());
    REQUIRE(store.ok());
    auto erased = passline::app::erase_openings(**store, *passline::Date::parse("2999-01-01"));
    REQUIRE_MESSAGE(erased.ok(), erased.error().message);
    CHECK(erased->size() == 2);
  }
  check_problem(c.get("/v1/recruitments/L-1/applicants/A100004/receipt", svc.auditor), 410,
                "erased");
  CHECK(passline::verify_receipt(receipt.body, made->verifier_key).ok());
  auto inc2 = c.get("/v1/audit/proofs/inclusion?index=17&tree_size=62", svc.auditor).json();
  CHECK(inc2.at("proof") == inc.at("proof"));
}

}  // TEST_SUITE
