// Real faults under the service (issue: the service under attack): a PostgreSQL server killed
// with `pg_ctl stop -m immediate` in the middle of a decide and started again, a backend killed
// with pg_terminate_backend, and `passline serve` itself killed with SIGKILL mid-request. Each
// time: 503 (never a half answer) while the database is gone, service resumes without a restart
// of passline, nothing partial is stored, and the exported log still verifies.
//
// These cases start their own PostgreSQL server (scripts/pg-test-server.sh in a temp dir), not
// the suite's shared one, since they crash it.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include <csignal>
#include <cstdlib>
#include <future>
#include <thread>

#include "http_support.h"

namespace {

using passline::test::Backend;
using passline::test::Client;
using passline::test::HttpResult;
using passline::test::make_case;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::TempDir;
namespace sql = passline::sql;
using nlohmann::json;

/// A private PostgreSQL server for one test case; the PASSLINE_TEST_PG_URL_FILE of this
/// process points at it, so TestDb and Service create their databases there.
struct PrivatePostgres {
  TempDir state;
  std::string script = std::string(PASSLINE_SOURCE_DIR) + "/scripts/pg-test-server.sh";

  PrivatePostgres() {
    REQUIRE_MESSAGE(run("start") == 0, "cannot start a PostgreSQL server");
    ::setenv("PASSLINE_TEST_PG_URL_FILE", (state.path / "url").c_str(), 1);
  }
  ~PrivatePostgres() { run("stop"); }
  int run(const std::string& cmd) const {
    const std::string line = script + " " + cmd + " " + state.path.string() + " >" +
                             (state.path / (cmd + ".log")).string() + " 2>&1";
    return std::system(line.c_str());
  }
  void crash() const { REQUIRE(run("crash") == 0); }
  void restart() const { REQUIRE(run("restart") == 0); }
};

std::string big_case(const std::string& id, std::size_t applicants) {
  return passline::case_to_json(make_case(id, "BUSAN-A", "office", 400, applicants));
}

/// The log exported from `url` verifies; returns `audit verify`'s output.
std::string exported_log_verifies(const std::string& url, const std::filesystem::path& dir) {
  const std::string log = (dir / "exported.jsonl").string();
  Run e = run_cli({"audit", "export", "--out", log, "--db", url});
  REQUIRE_MESSAGE(e.exit == 0, e.err);
  Run v = run_cli({"audit", "verify", log});
  CHECK_MESSAGE(v.exit == 0, v.out << v.err);
  return v.out;
}

/// The stored recruitment is whole: imported and undecided, or decided with every applicant's
/// decision; and the log holds exactly one decision entry per decided recruitment.
void recruitment_is_whole(Client& c, const std::string& token, const std::string& id,
                          std::size_t applicants) {
  auto got = c.get("/v1/recruitments/" + id, token);
  REQUIRE_MESSAGE(got.status == 200, got.body);
  const std::string state = got.json().at("state");
  const auto decisions = c.get("/v1/recruitments/" + id + "/decisions", token);
  if (state == "decided") {
    REQUIRE_MESSAGE(decisions.status == 200, decisions.body.substr(0, 400));
    std::size_t decided = 0;
    const json doc = decisions.json();
    for (const json& unit : doc.at("units")) decided += unit.at("applicants").size();
    CHECK(decided == applicants);
  } else {
    CHECK(state == "imported");
    CHECK(decisions.status == 409);
  }
}

/// Waits until a transaction of another session on `url`'s database has written (holds a
/// transaction id) without committing: the decide is mid-write. False after `limit`.
bool pg_write_under_way(const std::string& url,
                        std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto parsed = sql::parse_database_url(url);
  REQUIRE(parsed.ok());
  soci::session s(parsed->soci_backend, parsed->connect_string);
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    int writing = 0;
    s << "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
         "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
        soci::into(writing);
    if (writing > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

/// Waits until SQLite's write-ahead log of `db` grows past `from` bytes: a write transaction is
/// spilling or committing its pages.
bool sqlite_write_under_way(const std::filesystem::path& wal, std::uintmax_t from,
                            std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    if (!ec && size > from) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

template <class F>
HttpResult eventually(F&& f, int want, int tries = 100) {
  HttpResult r;
  for (int i = 0; i < tries; ++i) {
    r = f();
    if (r.status == want) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return r;
}

}  // namespace

TEST_SUITE("faults") {

TEST_CASE("faults.postgres_killed_mid_decide_then_restarted") {
  PrivatePostgres pg;
  passline::test::Service svc(Backend::postgresql);
  Client c = svc.client();
  const std::size_t n = 60000;
  auto created = c.post("/v1/recruitments", svc.recruiter, big_case("R-CRASH", n));
  REQUIRE_MESSAGE(created.status == 201, created.body);

  // The decide runs on its own connection; the server is killed while it is under way.
  auto decide = std::async(std::launch::async, [&] {
    Client d = svc.client();
    return d.post("/v1/recruitments/R-CRASH/decide", svc.recruiter, "");
  });
  REQUIRE_MESSAGE(pg_write_under_way(svc.db.url()), "the decide never started writing");
  pg.crash();
  const HttpResult decided = decide.get();
  INFO("decide answered " << decided.status << ": " << decided.body);
  CHECK((decided.status == 503 || decided.status == 200));
  if (decided.status == 503) {
    CHECK(decided.content_type == "application/problem+json");
    const std::string detail = decided.json().at("detail");
    CHECK(detail.find("SELECT") == std::string::npos);
    CHECK(detail.find("INSERT") == std::string::npos);
  }

  // While the database is down: a problem details 503, and /healthz (no database) still 200.
  Client down = svc.client();
  auto read = down.get("/v1/recruitments/R-CRASH", svc.recruiter);
  CHECK(read.status == 503);
  CHECK(read.content_type == "application/problem+json");
  CHECK(down.get("/healthz").status == 200);
  CHECK(down.get("/readyz").status == 503);

  // Back up: the same passline process serves again, with nothing partial stored.
  pg.restart();
  Client up = svc.client();
  auto ready = eventually([&] { return up.get("/readyz"); }, 200);
  REQUIRE_MESSAGE(ready.status == 200, ready.body);
  recruitment_is_whole(up, svc.recruiter, "R-CRASH", n);
  auto again = up.post("/v1/recruitments/R-CRASH/decide", svc.recruiter, "");
  CHECK_MESSAGE((again.status == 200 || again.status == 409), again.body);
  recruitment_is_whole(up, svc.recruiter, "R-CRASH", n);
  CHECK(up.get("/v1/recruitments/R-CRASH", svc.recruiter).json().at("state") == "decided");
  CHECK(exported_log_verifies(svc.db.url(), svc.db.dir()).rfind("OK: ", 0) == 0);
}

TEST_CASE("faults.postgres_backend_terminated") {
  PrivatePostgres pg;
  passline::test::Service svc(Backend::postgresql);
  Client c = svc.client();
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, big_case("R-TERM", 200)).status == 201);
  REQUIRE(c.get("/v1/recruitments/R-TERM", svc.recruiter).status == 200);  // pool warm

  {
    auto admin_url = sql::parse_database_url(svc.db.url());
    REQUIRE(admin_url.ok());
    soci::session s(admin_url->soci_backend, admin_url->connect_string);
    int killed = 0;
    s << "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
         "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        soci::into(killed);
    CHECK(killed >= 1);
  }
  // The next request may meet the dead connection (a 503, never a wrong answer); the pool
  // drops it, and the service goes on without a restart.
  auto first = c.get("/v1/recruitments/R-TERM", svc.recruiter);
  CHECK((first.status == 200 || first.status == 503));
  auto later = eventually([&] { return c.get("/v1/recruitments/R-TERM", svc.recruiter); }, 200);
  CHECK(later.status == 200);
  auto decided = c.post("/v1/recruitments/R-TERM/decide", svc.recruiter, "");
  CHECK_MESSAGE(decided.status == 200, decided.body);
  exported_log_verifies(svc.db.url(), svc.db.dir());
}

namespace {

/// `passline serve` as a process over `url`; the port it printed.
struct ServeProcess {
  passline::test::Child child;
  int port = 0;
  ServeProcess(const std::string& url, const std::filesystem::path& dir) {
    child = passline::test::spawn_cli({"serve", "--db", url, "--port", "0", "--access-log", "off"},
                                      dir);
    for (int i = 0; i < 200 && port == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const std::string err = passline::test::slurp(child.err_path);
      auto at = err.find("http://127.0.0.1:");
      if (at != std::string::npos) port = std::stoi(err.substr(at + 17));
    }
    REQUIRE(port > 0);
  }
  void kill9() {
    ::kill(child.pid, SIGKILL);
    auto r = passline::test::wait_cli(child);
    CHECK(r.exit == -1);
  }
};

void serve_killed_mid_decide(Backend backend) {
  passline::test::TestDb db(backend);
  REQUIRE(run_cli({"db", "init", "--db", db.url()}).exit == 0);
  Run made =
      run_cli({"token", "create", "--role", "recruiter", "--agency", "BUSAN-A", "--db", db.url()});
  REQUIRE_MESSAGE(made.exit == 0, made.err);
  const std::string token = made.out_lines().back();
  const std::size_t n = 60000;
  {
    ServeProcess serve(db.url(), db.dir());
    Client c(serve.port);
    auto created = c.post("/v1/recruitments", token, big_case("R-KILL", n));
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto decide = std::async(std::launch::async, [&] {
      try {
        Client d(serve.port);
        return d.post("/v1/recruitments/R-KILL/decide", token, "").status;
      } catch (const std::exception&) {
        return 0;  // the connection died with the server
      }
    });
    if (backend == Backend::postgresql) {
      REQUIRE_MESSAGE(pg_write_under_way(db.url()), "the decide never started writing");
    } else {
      const std::string file = db.url().substr(std::string("sqlite:").size());
      std::error_code ec;
      const auto wal_size = std::filesystem::file_size(file + "-wal", ec);
      REQUIRE_MESSAGE(sqlite_write_under_way(file + "-wal", ec ? 0 : wal_size),
                      "the decide never started writing");
    }
    serve.kill9();
    const int status = decide.get();
    CHECK(status == 0);  // killed before it could answer
  }
  // A new server over the same database: the recruitment is whole, the log verifies.
  ServeProcess serve(db.url(), db.dir());
  Client c(serve.port);
  recruitment_is_whole(c, token, "R-KILL", n);
  auto again = c.post("/v1/recruitments/R-KILL/decide", token, "");
  CHECK_MESSAGE((again.status == 200 || again.status == 409), again.body);
  recruitment_is_whole(c, token, "R-KILL", n);
  exported_log_verifies(db.url(), db.dir());
  ::kill(serve.child.pid, SIGTERM);
  CHECK(passline::test::wait_cli(serve.child).exit == 0);
}

}  // namespace

TEST_CASE("faults.serve_killed_mid_decide.sqlite") { serve_killed_mid_decide(Backend::sqlite); }

TEST_CASE("faults.serve_killed_mid_decide.postgresql") {
  PrivatePostgres pg;
  serve_killed_mid_decide(Backend::postgresql);
}

}  // TEST_SUITE
