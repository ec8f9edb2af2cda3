// Witnesses over real processes: the built `passline witness serve` on a free loopback port,
// a real store with a real log, `passline audit witness` submitting its checkpoints, and the
// verifiers (`audit verify`, `audit verify-receipt`) requiring a witness quorum. A split view (two
// checkpoints of one origin that do not extend each other, at the same and at a diverging size)
// is refused with nothing stored on either side; the witness's state survives a restart;
// concurrent submissions for one origin are serialised (exactly one extends the state).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "http_support.h"
#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/sql/log_key.h"
#include "passline/sql/witness.h"
#include "passline/witness.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
namespace app = passline::app;
namespace sql = passline::sql;
using passline::Hash;
using passline::test::Backend;
using passline::test::make_case;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

std::string line1(const std::string& path) {
  std::string s = slurp(path);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// `passline witness serve` as a process; stopped (SIGTERM) with the object.
struct WitnessProcess {
  passline::test::Child child;
  int port = 0;
  WitnessProcess(const fs::path& io, const std::string& key_dir, const std::string& state,
                 const std::vector<std::string>& logs, int at_port = 0) {
    port = at_port ? at_port : free_port();
    std::vector<std::string> args = {"witness", "serve", "--port", std::to_string(port),
                                     "--state", state,   "--key",  key_dir};
    for (const std::string& l : logs) {
      args.push_back("--log");
      args.push_back(l);
    }
    child = passline::test::spawn_cli(args, io);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts_connections(port)) {
      int status = 0;
      if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
        child.pid = 0;
        FAIL("passline witness serve exited: " << slurp(child.err_path));
      }
      REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the witness did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  void stop() {
    if (child.pid == 0) return;
    ::kill(child.pid, SIGTERM);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    child.pid = 0;
  }
  ~WitnessProcess() { stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  passline::test::HttpResult post(const std::string& body) const {
    passline::test::Client c(port);
    return c.request("POST", "/add-checkpoint", "", body, "text/plain");
  }
};

void decide(const std::string& db, const std::string& id, const std::string& agency,
            std::size_t n) {
  auto store = sql::Store::open(db);
  REQUIRE(store.ok());
  auto imported = app::import_case(**store, make_case(id, agency, "admin", 3, n), {});
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  auto decided = app::decide(**store, id, passline::bundled_rules());
  REQUIRE_MESSAGE(decided.ok(), decided.error().message);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The signature lines of a note that are not the log's (the cosignatures).
std::size_t cosignature_lines(const std::string& note, const std::string& origin) {
  auto parts = passline::split_note(note);
  REQUIRE(parts.ok());
  std::size_t n = 0;
  for (const std::string& s : parts->signatures)
    if (!has(s, "\xE2\x80\x94 " + origin + " ")) ++n;
  return n;
}

// A log made in the test (its own key and leaves), for checkpoints of any size.
struct Log {
  passline::KeyPair key;
  std::vector<Hash> leaves;
  explicit Log(const std::string& origin = "unknown.test/passline/9") {
    auto k = passline::generate_key(origin);
    REQUIRE(k.ok());
    key = *k;
    for (int i = 0; i < 64; ++i)
      leaves.push_back(passline::leaf_hash("entry " + std::to_string(i)));
  }
  std::string note(std::size_t n) const {
    passline::Checkpoint c;
    c.origin = key.name;
    c.tree_size = n;
    c.root = passline::root_of(std::span<const Hash>(leaves).first(n));
    auto note = passline::sign_checkpoint(c, key.private_pem, key.name);
    REQUIRE(note.ok());
    return *note;
  }
  std::string request(std::size_t old, std::size_t n) const {
    passline::AddCheckpointRequest r;
    r.old_size = old;
    if (old > 0 && old < n) r.proof = passline::consistency_proof(old, n, leaves);
    r.checkpoint = note(n);
    return passline::add_checkpoint_body(r);
  }
};

}  // namespace

TEST_SUITE("witness service") {

TEST_CASE("witness serve refuses a configuration it cannot trust, before it listens") {
  TempDir d;
  Log log("config.test/passline/1");
  const std::string pub = (d.path / "log.pub").string();
  spit(pub, log.key.verifier_key + "\n");
  const std::string wdir = (d.path / "w").string();
  REQUIRE(run_cli({"witness", "keys", "init", "--name", "witness.test/c", "--out", wdir}).exit ==
          0);
  const std::string state = (d.path / "state.json").string();
  // A log key under another origin than its name.
  Run renamed = run_cli({"witness", "serve", "--state", state, "--key", wdir, "--log",
                         "other.test/passline/1=" + pub});
  CHECK(renamed.exit == 64);
  CHECK(has(renamed.err, "a log's key is named by its origin"));
  // A witness key whose .pub is another key's.
  const std::string other = (d.path / "other").string();
  REQUIRE(run_cli({"witness", "keys", "init", "--name", "witness.test/c", "--out", other}).exit ==
          0);
  fs::copy_file(other + "/witness.pub", wdir + "/witness.pub",
                fs::copy_options::overwrite_existing);
  Run mismatched = run_cli({"witness", "serve", "--state", state, "--key", wdir, "--log", pub});
  CHECK(mismatched.exit == 64);
  CHECK(has(mismatched.err, "is not the verifier key of"));
  // A state file that is not one.
  spit(state, "{\"format\":\"something else\"}");
  Run corrupt = run_cli({"witness", "serve", "--state", state, "--key", other, "--log", pub});
  CHECK(corrupt.exit == 2);
  CHECK(has(corrupt.err, "is not a passline-witness/1 document"));
  CHECK(slurp(state) == "{\"format\":\"something else\"}");
}

TEST_CASE("concurrent submissions for one origin: exactly one extends the witness's state") {
  TempDir d;
  Log log("threads.test/passline/1");
  spit(d.path / "log.pub", log.key.verifier_key + "\n");
  const std::string wdir = (d.path / "w").string();
  REQUIRE(run_cli({"witness", "keys", "init", "--name", "witness.test/t", "--out", wdir}).exit ==
          0);
  const std::string state = (d.path / "state").string();
  fs::create_directories(state);  // a directory: the state is a file inside it
  WitnessProcess witness(d.path, wdir, state,
                         std::vector<std::string>{(d.path / "log.pub").string()});
  auto first = witness.post(log.request(0, 10));
  REQUIRE_MESSAGE(first.status == 200, first.body);
  auto wkey = passline::parse_witness_key(line1(wdir + "/witness.pub"));
  REQUIRE(wkey.ok());
  auto with = passline::add_signatures(log.note(10), std::vector<std::string>{first.body});
  REQUIRE(with.ok());
  CHECK(passline::verify_cosignature(*with, *wkey).ok());

  // Eight submissions from old 10 to sizes 11 … 18 at once, each on its own connection.
  std::vector<passline::test::HttpResult> answers(8);
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < answers.size(); ++i) bodies.push_back(log.request(10, 11 + i));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < answers.size(); ++i)
    threads.emplace_back([&, i] {
      passline::test::Client c(witness.port);
      answers[i] = c.request("POST", "/add-checkpoint", "", bodies[i], "text/plain");
    });
  for (auto& t : threads) t.join();
  std::size_t accepted = 0, size = 0;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].status == 200) {
      ++accepted;
      size = 11 + i;
    } else {
      CHECK(answers[i].status == 409);
      CHECK(answers[i].content_type == "text/x.tlog.size");
    }
  }
  CHECK(accepted == 1);
  for (const auto& a : answers)
    if (a.status == 409) CHECK(a.body == std::to_string(size) + "\n");
  // What it persisted is the one it cosigned; the next one goes on from there.
  CHECK(has(slurp(state + "/witness-state.json"), "\"size\": " + std::to_string(size)));
  CHECK(witness.post(log.request(size, 40)).status == 200);
  CHECK(witness.post(log.request(10, 41)).status == 409);
  // Another key of the log's name is not trusted: 403.
  Log impostor("threads.test/passline/1");
  CHECK(witness.post(impostor.request(40, 40)).status == 403);
}

STORAGE_TEST(a_witness_process_cosigns_the_log_and_refuses_a_split_view) {
  passline::test::TestDb db(backend);
  (void)db.open_initialised();
  TempDir d;
  const std::string origin = "split.test/passline/1";
  const std::string key = (d.path / "log.key").string(), pub = key + ".pub";
  REQUIRE(run_cli({"keys", "init", "--key", key, "--name", origin}).exit == 0);
  const std::string wdir = (d.path / "w1").string();
  Run wk = run_cli({"witness", "keys", "init", "--name", "witness.test/w1", "--out", wdir});
  REQUIRE_MESSAGE(wk.exit == 0, wk.err);
  const std::string wpub = wdir + "/witness.pub", wvkey = line1(wpub);
  CHECK(has(wk.out, wvkey));
  CHECK((fs::status(wdir + "/witness.key").permissions() & fs::perms::group_read) ==
        fs::perms::none);
  // keys init never replaces a key.
  CHECK(run_cli({"witness", "keys", "init", "--name", "witness.test/w1", "--out", wdir}).exit ==
        64);

  const std::string state = (d.path / "witness-state.json").string();
  auto witness = std::make_unique<WitnessProcess>(d.path, wdir, state,
                                                  std::vector<std::string>{origin + "=" + pub});
  const std::string witnesses = (d.path / "witnesses.txt").string();
  spit(witnesses, "# the auditor's witness\n" + wvkey + " " + witness->url() + "\n");

  // 1. The first checkpoint: cosigned, stored, served with the cosignature.
  decide(db.url(), "R1", "AG-A", 30);  // 31 entries
  Run s1 = run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", db.url()});
  REQUIRE_MESSAGE(s1.exit == 0, s1.out << s1.err);
  CHECK(has(s1.out, "witness witness.test/w1: cosigned the checkpoint of 31 entries"));
  Run cp1 = run_cli({"audit", "checkpoint", "--key", key, "--db", db.url()});
  REQUIRE(cp1.exit == 0);
  CHECK(cosignature_lines(cp1.out, origin) == 1);
  CHECK(has(slurp(state), "\"size\": 31"));
  {
    auto store = sql::Store::open(db.url());
    REQUIRE(store.ok());
    auto rows = sql::cosignatures_of(**store, 31, line1(pub));
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].witness == "witness.test/w1");
    CHECK(*sql::witnessed_size(**store, line1(pub), wvkey) == 31);
  }

  // 2. The verifiers: the cosignature satisfies a quorum of one; without it, with a forged one
  // (another key of the witness's name) or with a tampered one, witness_quorum.
  const std::string log_file = (d.path / "log.jsonl").string();
  REQUIRE(run_cli({"audit", "export", "--out", log_file, "--db", db.url()}).exit == 0);
  const std::string cp_file = (d.path / "cp1.txt").string();
  spit(cp_file, cp1.out);
  Run ok = run_cli({"audit", "verify", log_file, "--checkpoint", cp_file, "--pubkey", pub,
                    "--witness", "witness.test/w1=" + wpub, "--witness-threshold", "1"});
  CHECK_MESSAGE(ok.exit == 0, ok.out << ok.err);
  CHECK(has(ok.out, "cosigned by 1 of 1 witnesses (threshold 1): witness.test/w1"));
  Run by_key = run_cli(
      {"audit", "verify", log_file, "--checkpoint", cp_file, "--pubkey", pub, "--witness", wvkey});
  CHECK_MESSAGE(by_key.exit == 0, by_key.out << by_key.err);

  auto parts = passline::split_note(cp1.out);
  REQUIRE(parts.ok());
  std::string bare = parts->body + "\n";
  for (const std::string& s : parts->signatures)
    if (has(s, origin + " ")) bare += s + "\n";
  spit(d.path / "bare.txt", bare);
  Run without = run_cli({"audit", "verify", log_file, "--checkpoint",
                         (d.path / "bare.txt").string(), "--pubkey", pub, "--witness",
                         "witness.test/w1=" + wpub, "--witness-threshold", "1"});
  CHECK(without.exit == 1);
  CHECK_MESSAGE(has(without.out, "FAILED: witness_quorum: 0 of the 1 required"), without.out);

  auto impostor = passline::generate_witness_key("witness.test/w1");
  REQUIRE(impostor.ok());
  auto forged_line = passline::cosign(bare, 1800000000, impostor->private_pem, impostor->name);
  REQUIRE(forged_line.ok());
  spit(d.path / "forged.txt", bare + *forged_line);
  Run forged = run_cli({"audit", "verify", log_file, "--checkpoint",
                        (d.path / "forged.txt").string(), "--pubkey", pub, "--witness",
                        "witness.test/w1=" + wpub, "--witness-threshold", "1"});
  CHECK(forged.exit == 1);
  CHECK(has(forged.out, "witness_quorum"));

  std::string tampered = cp1.out;
  const auto wline = tampered.find("\xE2\x80\x94 witness.test/w1 ");
  REQUIRE(wline != std::string::npos);
  const auto last = tampered.find('\n', wline) - 4;  // a digit carrying the last byte
  tampered[last] = tampered[last] == 'A' ? 'B' : 'A';
  spit(d.path / "tampered.txt", tampered);
  Run bad =
      run_cli({"audit", "verify", log_file, "--checkpoint", (d.path / "tampered.txt").string(),
               "--pubkey", pub, "--witness", "witness.test/w1=" + wpub});
  CHECK(bad.exit == 1);
  CHECK(has(bad.out, "witness_quorum"));
  CHECK(has(bad.out, "does not verify"));

  // A threshold above the witnesses given, or witnesses without a checkpoint: usage.
  CHECK(run_cli({"audit", "verify", log_file, "--checkpoint", cp_file, "--pubkey", pub, "--witness",
                 wvkey, "--witness-threshold", "2"})
            .exit == 64);
  CHECK(run_cli({"audit", "verify", log_file, "--witness", wvkey}).exit == 64);

  // The receipt carries the cosignature; verify-receipt requires it.
  const std::string receipt = (d.path / "receipt.json").string();
  REQUIRE(run_cli({"audit", "receipt", "--recruitment", "R1", "--applicant", "A100003", "--out",
                   receipt, "--db", db.url()})
              .exit == 0);
  Run vr = run_cli({"audit", "verify-receipt", receipt, "--pubkey", pub, "--witness",
                    "witness.test/w1=" + wpub, "--witness-threshold", "1"});
  CHECK_MESSAGE(vr.exit == 0, vr.out << vr.err);
  CHECK(has(vr.out, "cosigned by 1 of 1 witnesses"));
  Run vr_other = run_cli(
      {"audit", "verify-receipt", receipt, "--pubkey", pub, "--witness", impostor->verifier_key});
  CHECK(vr_other.exit == 1);
  CHECK(has(vr_other.out, "witness_quorum"));

  // 3. Split view at the same size: another history of 31 entries under the same key. The
  // witness answers 409 to old 0 (its size, 31), then 409 again (same size, another root).
  const std::string state_before = slurp(state);
  TempDir other;
  const std::string fork_db = "sqlite:" + (other.path / "fork.db").string();
  REQUIRE(sql::Store::migrate(fork_db).ok());
  decide(fork_db, "R1", "AG-Z", 30);
  Run split =
      run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", fork_db});
  CHECK(split.exit == 69);
  CHECK_MESSAGE(has(split.out, "refused the checkpoint of 31 entries: HTTP 409"), split.out);
  CHECK(has(split.out, "forked"));
  CHECK(slurp(state) == state_before);
  Run fork_cp = run_cli({"audit", "checkpoint", "--key", key, "--db", fork_db});
  CHECK(cosignature_lines(fork_cp.out, origin) == 0);

  // 4. A consistent larger checkpoint, the old size taken from the stored cosignatures.
  decide(db.url(), "R2", "AG-B", 300);
  Run s2 = run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", db.url()});
  REQUIRE_MESSAGE(s2.exit == 0, s2.out << s2.err);
  CHECK(has(s2.out, "cosigned the checkpoint of 332 entries"));
  CHECK(has(slurp(state), "\"size\": 332"));

  // 5. Split view at a diverging size: the fork grows past 332 with its own history; the
  // consistency proof from 332 in its tree does not lead from the witnessed root: 422.
  decide(fork_db, "R2", "AG-Z", 400);
  const std::string state_332 = slurp(state);
  Run diverge =
      run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", fork_db});
  CHECK(diverge.exit == 69);
  CHECK_MESSAGE(has(diverge.out, "HTTP 422"), diverge.out);
  CHECK(slurp(state) == state_332);
  CHECK(cosignature_lines(run_cli({"audit", "checkpoint", "--key", key, "--db", fork_db}).out,
                          origin) == 0);

  // 6. The witness restarts: its state is what it cosigned last (old 0 is answered 409 with 332
  // as text/x.tlog.size, not cosigned as a first checkpoint).
  const int port = witness->port;
  witness->stop();
  witness = std::make_unique<WitnessProcess>(d.path, wdir, state,
                                             std::vector<std::string>{origin + "=" + pub}, port);
  passline::AddCheckpointRequest fresh{0, {}, cp1.out};
  auto conflict = witness->post(passline::add_checkpoint_body(fresh));
  CHECK(conflict.status == 409);
  CHECK(conflict.content_type == "text/x.tlog.size");
  CHECK(conflict.body == "332\n");
  decide(db.url(), "R3", "AG-A", 5);
  Run s3 = run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", db.url()});
  CHECK_MESSAGE(s3.exit == 0, s3.out << s3.err);
  CHECK(has(s3.out, "cosigned the checkpoint of 338 entries"));

  // 7. Requests the witness refuses at its door.
  CHECK(witness->post("not a request").status == 400);
  CHECK(witness->post(std::string(70000, 'x')).status == 413);
  {
    passline::test::Client c(witness->port);
    CHECK(c.get("/add-checkpoint").status == 405);
    CHECK(c.request("POST", "/other", "", "old 0\n\nx\n", "text/plain").status == 404);
  }
  Log unknown;  // an origin the witness does not follow: 404
  passline::AddCheckpointRequest stranger{0, {}, unknown.note(5)};
  CHECK(witness->post(passline::add_checkpoint_body(stranger)).status == 404);

  // 8. An unreachable witness: witness_failed, exit 69, the other witnesses still asked.
  const std::string two = (d.path / "two.txt").string();
  auto w2 = passline::generate_witness_key("witness.test/down");
  REQUIRE(w2.ok());
  spit(two, w2->verifier_key + " http://127.0.0.1:" + std::to_string(free_port()) + "\n" + wvkey +
                " " + witness->url() + "\n");
  Run down = run_cli({"audit", "witness", "--witnesses", two, "--key", key, "--db", db.url()});
  CHECK(down.exit == 69);
  CHECK(has(down.out, "witness witness.test/down: FAILED: cannot reach the witness"));
  CHECK(has(down.out, "witness witness.test/w1: cosigned the checkpoint of 338 entries"));
  // Cosigned twice, kept once: the newer line replaced the older one.
  Run cp338 = run_cli({"audit", "checkpoint", "--db", db.url()});
  CHECK(cosignature_lines(cp338.out, origin) == 1);
}

STORAGE_TEST(audit_watch_requires_the_witness_quorum_on_the_served_checkpoint) {
  TempDir d;
  const std::string origin = "watch.test/passline/1";
  const std::string key = (d.path / "log.key").string(), pub = key + ".pub";
  REQUIRE(sql::create_log_key(key, origin).ok());
  passline::http::ServerOptions opts;
  opts.log_key = key;
  passline::test::Service svc(backend, opts);
  const std::string wdir = (d.path / "w").string();
  REQUIRE(run_cli({"witness", "keys", "init", "--name", "witness.test/m", "--out", wdir}).exit ==
          0);
  const std::string wvkey = line1(wdir + "/witness.pub");
  WitnessProcess witness(d.path, wdir, (d.path / "state.json").string(),
                         std::vector<std::string>{origin + "=" + pub});
  const std::string witnesses = (d.path / "witnesses.txt").string();
  spit(witnesses, wvkey + " " + witness.url() + "/\n");  // a trailing '/' is dropped
  decide(svc.db.url(), "R1", "AG-A", 20);
  Run s1 =
      run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", svc.db.url()});
  REQUIRE_MESSAGE(s1.exit == 0, s1.out << s1.err);

  // The service's own checkpoints carry the cosignature.
  auto served = svc.client().get("/checkpoint");
  REQUIRE(served.status == 200);
  CHECK(cosignature_lines(served.body, origin) == 1);
  auto api = svc.client().get("/v1/audit/checkpoint", svc.auditor);
  REQUIRE(api.status == 200);
  CHECK(api.json()["note"].get<std::string>() == served.body);

  const std::string token = (d.path / "token").string();
  spit(token, svc.auditor + "\n");
  const std::string url = "http://127.0.0.1:" + std::to_string(svc.port());
  const std::string state = (d.path / "watch.json").string();
  auto other = passline::generate_witness_key("witness.test/m");
  REQUIRE(other.ok());
  Run refused = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub, "--token-file",
                         token, "--witness", other->verifier_key});
  CHECK(refused.exit == 1);
  CHECK_MESSAGE(has(refused.out, "FAILED: note: witness_quorum: 0 of the 1"), refused.out);
  CHECK_FALSE(fs::exists(state));
  Run watched =
      run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub, "--token-file", token,
               "--witness", "witness.test/m=" + wvkey, "--witness-threshold", "1"});
  CHECK_MESSAGE(watched.exit == 0, watched.out << watched.err);
  CHECK(has(watched.out, "checkpoint cosigned by 1 of 1 witnesses (threshold 1): witness.test/m"));
  CHECK(fs::exists(state));

  // The log grows and is not witnessed yet: the served checkpoint (signed on the spot) has no
  // cosignature, and the monitor requiring one refuses it, its state unchanged.
  decide(svc.db.url(), "R2", "AG-A", 5);
  const std::string seen = slurp(state);
  Run stale = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub, "--token-file",
                       token, "--witness", wvkey});
  CHECK(stale.exit == 1);
  CHECK(has(stale.out, "witness_quorum"));
  CHECK(slurp(state) == seen);
  REQUIRE(
      run_cli({"audit", "witness", "--witnesses", witnesses, "--key", key, "--db", svc.db.url()})
          .exit == 0);
  Run caught_up = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub, "--token-file",
                           token, "--witness", wvkey});
  CHECK_MESSAGE(caught_up.exit == 0, caught_up.out << caught_up.err);
  CHECK(has(caught_up.out, "consistent with the 21 entries seen before"));
}

}  // TEST_SUITE
