// `passline serve` and `passline token create` as real processes: the token is the last line;
// the server answers on the port it reports and exits 0 after SIGTERM.
#include <doctest/doctest.h>

#include <csignal>
#include <thread>

#include "http_support.h"

TEST_CASE("http_cli.serve_answers_and_stops_on_sigterm") {
  passline::test::TestDb db(passline::test::Backend::sqlite);
  REQUIRE(passline::test::run_cli({"db", "init", "--db", db.url()}).exit == 0);
  auto made = passline::test::run_cli({"token", "create", "--role", "auditor", "--db", db.url()});
  REQUIRE(made.exit == 0);
  const std::string token = made.out_lines().back();
  CHECK(token.rfind("pl_", 0) == 0);
  CHECK(token.size() == 46);
  CHECK(
      passline::test::run_cli({"token", "create", "--role", "recruiter", "--db", db.url()}).exit ==
      2);
  CHECK(passline::test::run_cli({"token", "create", "--role", "king", "--db", db.url()}).exit ==
        64);

  auto child =
      passline::test::spawn_cli({"serve", "--db", db.url(), "--port", "0", "--access-log", "off"},
                                db.dir());
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string err = passline::test::slurp(child.err_path);
    auto at = err.find("http://127.0.0.1:");
    if (at != std::string::npos) port = std::stoi(err.substr(at + 17));
  }
  REQUIRE(port > 0);
  passline::test::Client c(port);
  CHECK(c.get("/v1/rules", token).status == 200);
  CHECK(c.get("/v1/rules").status == 401);
  ::kill(child.pid, SIGTERM);
  auto r = passline::test::wait_cli(child);
  CHECK(r.exit == 0);
  CHECK(r.err.find("stopped") != std::string::npos);
}
