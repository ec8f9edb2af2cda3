// passline CLI: the HTTP service (`serve`) and its access tokens (`token create`).
#include <Poco/Util/ServerApplication.h>

#include <csignal>
#include <cstdio>

#include "commands.h"
#include "passline/http/server.h"
#include "passline/sql/access.h"

namespace passline::cli {
namespace {

// Poco's ServerApplication: waits for SIGTERM/SIGINT/SIGQUIT, then stops the server gracefully.
class ServeApp final : public Poco::Util::ServerApplication {
 public:
  explicit ServeApp(http::ServerOptions o) : options_(std::move(o)) {}
  int exit_code = 0;

 protected:
  int main(const std::vector<std::string>&) override {
    // Block the termination signals before any server thread starts, so they inherit the mask
    // and the signal reaches waitForTerminationRequest() (sigwait) instead of ending the process.
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGQUIT}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    auto server = http::Server::start(options_);
    if (!server) {
      exit_code = report(server.error());
      return exit_code;
    }
    write_err("passline: serving API v1 on http://" + options_.host + ":" +
              std::to_string((*server)->port()) + "/ (" + std::to_string(options_.threads) +
              " threads, keep-alive " + std::to_string(options_.keep_alive_seconds) + " s)\n");
    if (http::console_built())
      write_err("passline: web console at http://" + options_.host + ":" +
                std::to_string((*server)->port()) +
                "/ (sign in with a token of `passline token create`)\n");
    std::fflush(stderr);
    waitForTerminationRequest();
    write_err("passline: stopping: finishing the requests in flight\n");
    (*server)->stop(std::chrono::seconds(options_.shutdown_grace_seconds));
    write_err("passline: stopped\n");
    return 0;
  }

 private:
  http::ServerOptions options_;
};

Result<int> parse_port(const std::string& text) {
  try {
    std::size_t used = 0;
    const int p = std::stoi(text, &used);
    if (used == text.size() && p >= 0 && p <= 65535) return p;
  } catch (...) {
  }
  return make_error("usage", "--port", "--port must be 0..65535, not '" + text + "'");
}

}  // namespace

int run_serve(const Options& o) {
  http::ServerOptions opts;
  if (o.config) {
    auto loaded = http::load_config(*o.config, opts);
    if (!loaded) return report(loaded.error());
    opts = *loaded;
  }
  if (o.db) opts.db_url = *o.db;
  if (o.port) {
    auto p = parse_port(*o.port);
    if (!p) return report(p.error());
    opts.port = *p;
  }
  if (o.access_log) opts.access_log = *o.access_log;
  if (o.key) opts.log_key = *o.key;
  ServeApp app(opts);
  const int rc = app.run(std::vector<std::string>{"passline"});
  return app.exit_code ? app.exit_code : rc;
}

int run_token_create(const Options& o) {
  auto role = sql::parse_role(o.role.value_or(""));
  if (!role)
    return report(make_error("usage", "--role", "--role must be recruiter, auditor or admin"));
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto t = sql::create_token(**store, *role, o.agency.value_or(""));
  if (!t) return report(t.error());
  write_out("created token " + t->principal.token_id + " (" + std::string(sql::to_string(*role)) +
            (t->principal.agency.empty() ? "" : ", agency " + t->principal.agency) +
            "); only its hash is stored, so this is the one time it is shown:\n" + t->token + "\n");
  return 0;
}

}  // namespace passline::cli
