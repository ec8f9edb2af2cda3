// The decision log end to end: appended by decide in its transaction (both backends), exported,
// verified, tampered with, replayed, and an applicant's receipt checked offline; through the
// real `passline` command line.
#include <doctest/doctest.h>

#include <soci/soci.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/canonical_json.h"
#include "passline/log.h"
#include "passline/merkle.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
using passline::test::Backend;
using passline::test::make_case;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;
using passline::test::TestDb;
namespace sql = passline::sql;
namespace app = passline::app;

const fs::path kSource = PASSLINE_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// A log of three decided recruitments (1 + 12, 1 + 9, 1 + 15 entries), exported, with a key and
// a checkpoint of it.
struct AuditFixture {
  TempDir dir;
  std::string db, key, pub, log, openings, checkpoint;
  std::vector<std::string> entries;

  AuditFixture() {
    db = "sqlite:" + (dir.path / "audit.db").string();
    key = (dir.path / "log.key").string();
    pub = key + ".pub";
    log = (dir.path / "log.jsonl").string();
    openings = (dir.path / "openings.jsonl").string();
    checkpoint = (dir.path / "checkpoint.txt").string();
    REQUIRE(sql::Store::migrate(db).ok());
    {
      auto store = sql::Store::open(db);
      REQUIRE(store.ok());
      int i = 0;
      for (std::size_t n : {12, 9, 15}) {
        const std::string id = "R" + std::to_string(++i);
        REQUIRE(app::import_case(**store, make_case(id, "AG", "admin", 3, n)).ok());
        REQUIRE(app::decide(**store, id, passline::bundled_rules()).ok());
      }
    }
    Run k = run_cli({"keys", "init", "--key", key, "--name", "test.passline/log"});
    REQUIRE_MESSAGE(k.exit == 0, k.err);
    Run c = run_cli({"audit", "checkpoint", "--key", key, "--db", db});
    REQUIRE_MESSAGE(c.exit == 0, c.err);
    spit(checkpoint, c.out);
    // passline-log/3: the applicants' inputs are exported apart from the log (AUDIT_LOG.md §1).
    Run e = run_cli({"audit", "export", "--out", log, "--openings", openings, "--db", db});
    REQUIRE_MESSAGE(e.exit == 0, e.err);
    entries = lines_of(slurp(log));
    REQUIRE(entries.size() == 3 + 12 + 9 + 15);
  }

  // `audit verify` of `lines` against the checkpoint.
  Run verify(const std::vector<std::string>& lines, bool with_checkpoint = true) {
    const std::string path = (dir.path / "tampered.jsonl").string();
    spit(path, joined(lines));
    std::vector<std::string> args = {"audit", "verify", path};
    if (with_checkpoint) args.insert(args.end(), {"--checkpoint", checkpoint, "--pubkey", pub});
    return run_cli(args);
  }
};

// The index `audit verify` names in "FAILED: entry K: ...".
long long failed_at(const Run& r) {
  if (r.out.rfind("FAILED: entry ", 0) != 0) return -1;
  return std::stoll(r.out.substr(14));
}

}  // namespace

TEST_SUITE("audit") {

STORAGE_TEST(decide_appends_to_the_log_in_its_transaction) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 4, 30)).ok());
  passline::Case refused = make_case("R2", "AG", "admin", 9, 30);
  refused.units[0].exemptions = {"small_field"};  // 4 + 9 > 5: the claim fails at decide
  REQUIRE(app::import_case(*store, refused).ok());
  auto empty = app::log_head(*store);
  REQUIRE(empty.ok());
  CHECK(empty->size == 0);
  CHECK(empty->root == passline::empty_root());

  REQUIRE(app::decide(*store, "R1", passline::bundled_rules()).ok());
  auto head = app::log_head(*store);
  REQUIRE(head.ok());
  CHECK(head->size == 31);
  auto leaves = store->leaf_hashes(head->size);
  REQUIRE(leaves.ok());
  CHECK(passline::root_of(*leaves) == head->root);

  // The stored entries are exactly the engine's for the stored case and decision.
  std::vector<std::string> stored;
  REQUIRE(store
              ->read_log(0, head->size,
                         [&](std::uint64_t, std::string_view e) { stored.emplace_back(e); })
              .ok());
  auto decision = app::load_decision(*store, "R1");
  REQUIRE(decision.ok());
  auto info = app::recruitment(*store, "R1");
  passline::LogContext ctx;
  ctx.decided_at = *info->decided_at;
  // passline-log/3: with the salts of the stored openings, one per applicant entry.
  ctx.salts.emplace();
  REQUIRE(store
              ->read_openings(0, head->size,
                              [&](std::uint64_t, std::string_view o) {
                                ctx.salts->push_back(
                                    nlohmann::json::parse(o)["salt"].get<std::string>());
                              })
              .ok());
  CHECK(ctx.salts->size() == 30);
  CHECK(passline::log_entries(decision->input, decision->decision, ctx) == stored);

  // A decide that fails leaves the log exactly as it was.
  auto failed = app::decide(*store, "R2", passline::bundled_rules());
  REQUIRE_FALSE(failed.ok());
  auto after = app::log_head(*store);
  REQUIRE(after.ok());
  CHECK(after->size == head->size);
  CHECK(after->root == head->root);
  auto leaves_after = store->leaf_hashes(1000);
  REQUIRE(leaves_after.ok());
  CHECK(leaves_after->size() == 31);

  // Receipts need the entries of a decided recruitment.
  auto indices = app::log_indices(*store, "R1", "A100004");
  REQUIRE(indices.ok());
  CHECK(*indices == std::vector<std::uint64_t>{0, 5});
  CHECK(app::log_indices(*store, "R2", "A100004").error().code == "not_decided");
  CHECK(app::log_indices(*store, "R1", "nobody").error().code == "unknown_applicant");
}

TEST_CASE("audit verify accepts the exported log and names the first bad entry of a tampered one") {
  AuditFixture f;
  Run ok = f.verify(f.entries);
  CHECK_MESSAGE(ok.exit == 0, ok.out << ok.err);
  CHECK(ok.out.rfind("OK: 39 entries, root ", 0) == 0);
  const std::size_t n = f.entries.size();

  SUBCASE("a flipped byte") {
    auto t = f.entries;
    const auto at = t[7].find("\"commitment\":\"");  // passline-log/3: no applicant id
    REQUIRE(at != std::string::npos);
    t[7][at + 14] ^= 0x01;
    Run r = f.verify(t);
    CHECK(r.exit == 1);
    CHECK(failed_at(r) == 7);
    CHECK(failed_at(f.verify(t, false)) == 7);  // the chain alone finds it
  }
  SUBCASE("a flipped byte in the recorded prev hash") {
    auto t = f.entries;
    const auto at = t[7].find("\"prev\":\"");
    t[7][at + 8] = t[7][at + 8] == 'a' ? 'b' : 'a';
    CHECK(failed_at(f.verify(t)) == 7);
  }
  SUBCASE("a dropped entry") {
    auto t = f.entries;
    t.erase(t.begin() + 20);
    CHECK(failed_at(f.verify(t)) == 20);
  }
  SUBCASE("two entries swapped") {
    auto t = f.entries;
    std::swap(t[14], t[22]);
    CHECK(failed_at(f.verify(t)) == 14);
  }
  SUBCASE("a duplicated entry") {
    auto t = f.entries;
    t.insert(t.begin() + 10, t[10]);
    CHECK(failed_at(f.verify(t)) == 11);
  }
  SUBCASE("an entry appended out of band, with a correct index and chain") {
    auto t = f.entries;
    auto forged = nlohmann::json::parse(t.back());
    forged["log_index"] = n;
    forged["prev"] = passline::to_hex(passline::leaf_hash(t.back()));
    forged["applicant"] = "A999999";
    t.push_back(passline::canonical_json(forged.dump()).value());
    CHECK(failed_at(f.verify(t, false)) == -1);  // nothing but the checkpoint can tell
    Run r = f.verify(t);
    CHECK(failed_at(r) == static_cast<long long>(n));
    CHECK(r.out.find("not covered by the signed checkpoint") != std::string::npos);
  }
  SUBCASE("a truncated log") {
    auto t = f.entries;
    t.resize(n - 3);
    Run r = f.verify(t);
    CHECK(failed_at(r) == static_cast<long long>(n - 3));
    CHECK(r.out.find("removed") != std::string::npos);
  }
  SUBCASE("the last entry altered") {
    auto t = f.entries;
    const auto at = t.back().find("\"commitment\":\"");
    REQUIRE(at != std::string::npos);
    t.back()[at + 14] ^= 0x01;
    CHECK(failed_at(f.verify(t)) == static_cast<long long>(n - 1));
  }
  SUBCASE("a checkpoint signed by another key") {
    TempDir other;
    const std::string key = (other.path / "other.key").string();
    REQUIRE(run_cli({"keys", "init", "--key", key, "--name", "test.passline/log"}).exit == 0);
    Run r =
        run_cli({"audit", "verify", f.log, "--checkpoint", f.checkpoint, "--pubkey", key + ".pub"});
    CHECK(r.exit == 2);
    CHECK(r.err.find("signature") != std::string::npos);
  }
}

TEST_CASE("audit replay decides every logged recruitment again and catches an edited rule pack") {
  AuditFixture f;
  Run r = run_cli({"audit", "replay", f.log, "--openings", f.openings});
  CHECK_MESSAGE(r.exit == 0, r.err);
  CHECK(r.out == "3 recruitments replayed, 0 differ\n");

  // A released pack edited afterwards: its digest no longer matches the logged one.
  TempDir rules;
  fs::copy(kSource / "rules", rules.path / "rules", fs::copy_options::recursive);
  const fs::path pack = rules.path / "rules/kr-innovation-city/2018-01-25.yaml";
  std::string text = slurp(pack);
  const std::string was = "{from: 2022-01-01, value: \"30%\"";
  const auto at = text.find(was);
  REQUIRE(at != std::string::npos);
  text.replace(at, was.size(), "{from: 2022-01-01, value: \"31%\"");
  spit(pack, text);
  Run edited = run_cli({"audit", "replay", f.log, "--openings", f.openings, "--rules",
                        (rules.path / "rules").string()});
  CHECK(edited.exit == 1);
  CHECK(edited.out == "3 recruitments replayed, 3 differ\n");
  CHECK(edited.err.find("unknown_rule_digest") != std::string::npos);

  // An altered outcome differs at its own entry.
  auto t = f.entries;
  const auto o = t[5].find("pass_rank");
  if (o != std::string::npos) {
    t[5].replace(o, 9, "pass_tie");
    t[5] = passline::canonical_json(t[5]).value();
    const std::string path = (f.dir.path / "altered.jsonl").string();
    spit(path, joined(t));
    Run a = run_cli({"audit", "replay", path, "--openings", f.openings});
    CHECK(a.exit == 1);
    CHECK(a.out == "3 recruitments replayed, 1 differ\n");
    CHECK(a.err.find("entry 5 differs") != std::string::npos);
  }
}

TEST_CASE("an applicant's receipt verifies offline and fails when altered") {
  AuditFixture f;
  const std::string receipt = (f.dir.path / "receipt.json").string();
  Run r = run_cli({"audit", "receipt", "--recruitment", "R2", "--applicant", "A100003", "--out",
                   receipt, "--db", f.db});
  REQUIRE_MESSAGE(r.exit == 0, r.err);
  // Offline: the receipt file and the log's public key, or an explicit trust in the key the
  // receipt names; never the receipt alone.
  Run alone = run_cli({"audit", "verify-receipt", receipt});
  CHECK(alone.exit == 64);
  CHECK(alone.err.find("--trust-receipt-key") != std::string::npos);
  Run pinned = run_cli({"audit", "verify-receipt", receipt, "--pubkey", f.pub});
  CHECK_MESSAGE(pinned.exit == 0, pinned.out << pinned.err);
  CHECK(pinned.out.find("applicant A100003 of unit U1 in R2") != std::string::npos);
  CHECK(pinned.out.find("signed by") == std::string::npos);
  Run trusted = run_cli({"audit", "verify-receipt", receipt, "--trust-receipt-key"});
  CHECK(trusted.exit == 0);
  const std::string vkey = slurp(f.pub);
  const std::string key_id = vkey.substr(vkey.find('+') + 1, 8);
  CHECK_MESSAGE(trusted.out.find("signed by test.passline/log, key id " + key_id) !=
                    std::string::npos,
                trusted.out);
  CHECK(run_cli({"audit", "verify-receipt", receipt, "--trust-receipt-key", "--pubkey", f.pub})
            .exit == 64);

  auto doc = nlohmann::json::parse(slurp(receipt));
  SUBCASE("an altered outcome") {
    std::string e = doc["entries"][1]["entry"];
    const auto at = e.find("\"outcome\":\"");
    REQUIRE(at != std::string::npos);
    e[at + 11] = e[at + 11] == 'p' ? 'f' : 'p';  // pass_* <-> fass_*, fail_* <-> pail_*
    doc["entries"][1]["entry"] = e;
  }
  SUBCASE("an altered proof") {
    std::string h = doc["entries"][1]["inclusion_proof"][0];
    h[0] = h[0] == 'a' ? 'b' : 'a';
    doc["entries"][1]["inclusion_proof"][0] = h;
  }
  SUBCASE("an altered checkpoint") {
    std::string c = doc["checkpoint"];
    c[c.find('\n') + 1] = '9';
    doc["checkpoint"] = c;
  }
  const std::string bad = (f.dir.path / "bad.json").string();
  spit(bad, doc.dump(1));
  Run failed = run_cli({"audit", "verify-receipt", bad, "--trust-receipt-key"});
  CHECK(failed.exit == 1);
  CHECK(failed.out.rfind("FAILED: ", 0) == 0);
}

TEST_CASE("a receipt re-signed by another key with the log's name is refused without --pubkey") {
  AuditFixture f;
  const std::string receipt = (f.dir.path / "receipt.json").string();
  REQUIRE(run_cli({"audit", "receipt", "--recruitment", "R1", "--applicant", "A100002", "--out",
                   receipt, "--db", f.db})
              .exit == 0);
  // The impostor signs the same checkpoint text with its own key of the same name and puts
  // its key in the receipt: every hash still checks out.
  auto impostor = passline::generate_key("test.passline/log");
  REQUIRE(impostor.ok());
  auto doc = nlohmann::json::parse(slurp(receipt));
  const std::string note = doc["checkpoint"];
  const std::string text = note.substr(0, note.rfind("\n\n") + 1);
  auto forged = passline::sign_note(text, impostor->private_pem, impostor->name);
  REQUIRE(forged.ok());
  doc["checkpoint"] = *forged;
  doc["verifier_key"] = impostor->verifier_key;
  const std::string resigned = (f.dir.path / "resigned.json").string();
  spit(resigned, doc.dump());

  Run alone = run_cli({"audit", "verify-receipt", resigned});
  CHECK(alone.exit == 64);  // refused: nothing says which key to trust
  CHECK(alone.out.find("OK") == std::string::npos);
  Run pinned = run_cli({"audit", "verify-receipt", resigned, "--pubkey", f.pub});
  CHECK(pinned.exit == 1);
  CHECK_MESSAGE(pinned.out.find("key_mismatch") != std::string::npos, pinned.out);
  // Told to trust the receipt's key, it verifies, and says whose key that is: not the log's.
  Run trusted = run_cli({"audit", "verify-receipt", resigned, "--trust-receipt-key"});
  CHECK(trusted.exit == 0);
  const std::string real = slurp(f.pub), fake = impostor->verifier_key;
  const std::string real_id = real.substr(real.find('+') + 1, 8);
  const std::string fake_id = fake.substr(fake.find('+') + 1, 8);
  REQUIRE(real_id != fake_id);
  CHECK(trusted.out.find("key id " + fake_id) != std::string::npos);
  CHECK(trusted.out.find(real_id) == std::string::npos);
}

TEST_CASE("keys init writes the private key with mode 0600 and never replaces it") {
  TempDir d;
  const std::string key = (d.path / "k").string();
  Run r = run_cli({"keys", "init", "--key", key});
  REQUIRE(r.exit == 0);
  CHECK((fs::status(key).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  // A unique origin per deployment: <host>/passline/<16 random hex digits>.
  const std::string pub = slurp(key + ".pub");
  const std::string origin = pub.substr(0, pub.find('+'));
  const auto at = origin.find("/passline/");
  REQUIRE(at != std::string::npos);
  CHECK(at > 0);
  CHECK(origin.size() == at + 10 + 16);
  CHECK(origin.find_first_not_of("0123456789abcdef", at + 10) == std::string::npos);
  CHECK(r.out.find("origin " + origin) != std::string::npos);
  const std::string key2 = (d.path / "k2").string();
  REQUIRE(run_cli({"keys", "init", "--key", key2}).exit == 0);
  const std::string pub2 = slurp(key2 + ".pub");
  CHECK(pub2.substr(0, pub2.find('+')) != origin);
  REQUIRE(
      run_cli({"keys", "init", "--key", (d.path / "k3").string(), "--name", "a.go.kr/log"}).exit ==
      0);
  CHECK(slurp((d.path / "k3.pub").string()).rfind("a.go.kr/log+", 0) == 0);
  const std::string before = slurp(key);
  Run again = run_cli({"keys", "init", "--key", key});
  CHECK(again.exit == 64);
  CHECK(slurp(key) == before);
}

}  // TEST_SUITE

TEST_CASE(
    "a year of the demo data replays with no difference and verifies against its checkpoint") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "demo.db").string();
  const std::string key = (d.path / "demo.key").string();
  Run demo = run_cli({"demo", "--db", db, "--key", key});
  REQUIRE_MESSAGE(demo.exit == 0, demo.err);
  // The registry's data files first, then the year as quota-case/2 (docs/REPORT.md).
  CHECK(demo.err.find("registered 115 agencies (0 already registered) from 2 files") !=
        std::string::npos);
  // Through SQLite, the national line tests/test_demo_year.cc computes from the decisions
  // alone: the store keeps each unit's claim per program (schema 9).
  CHECK(demo.out.find("TOTAL kr-innovation-city: 1,379 of 6,086 obligated hires local (22.7%); "
                      "60 of 61 agencies with obligated hiring met the target; 48 had no "
                      "obligated hiring") != std::string::npos);
  const std::string log = (d.path / "demo.jsonl").string();
  const std::string openings = (d.path / "openings.jsonl").string();
  REQUIRE(run_cli({"audit", "export", "--out", log, "--openings", openings, "--db", db}).exit == 0);
  Run cp = run_cli({"audit", "checkpoint", "--db", db});  // no key given: the stored one
  REQUIRE(cp.exit == 0);
  spit(d.path / "cp.txt", cp.out);
  Run verify = run_cli({"audit", "verify", log, "--checkpoint", (d.path / "cp.txt").string(),
                        "--pubkey", key + ".pub"});
  CHECK_MESSAGE(verify.exit == 0, verify.out);
  Run replay = run_cli({"audit", "replay", log, "--openings", openings});
  CHECK_MESSAGE(replay.exit == 0, replay.err);
  CHECK(replay.out == "208 recruitments replayed, 0 differ\n");  // the demo year 2018
}

TEST_CASE("audit proof gives inclusion and consistency proofs that verify") {
  AuditFixture f;
  std::vector<passline::Hash> leaves;
  for (const auto& e : f.entries) leaves.push_back(passline::leaf_hash(e));
  const std::span<const passline::Hash> all(leaves);
  auto hashes = [](const nlohmann::json& a) {
    std::vector<passline::Hash> v;
    for (const auto& h : a) v.push_back(*passline::hash_from_hex(h.get<std::string>()));
    return v;
  };
  Run inc = run_cli({"audit", "proof", "--index", "20", "--db", f.db});
  REQUIRE_MESSAGE(inc.exit == 0, inc.err);
  const auto i = nlohmann::json::parse(inc.out);
  CHECK(i["tree_size"] == 39);
  CHECK(passline::verify_inclusion(20, 39, leaves[20], hashes(i["proof"]), passline::root_of(all)));
  Run con = run_cli({"audit", "proof", "--first", "13", "--size", "30", "--db", f.db});
  REQUIRE_MESSAGE(con.exit == 0, con.err);
  const auto c = nlohmann::json::parse(con.out);
  CHECK(passline::verify_consistency(13, 30, passline::root_of(all.first(13)),
                                     passline::root_of(all.first(30)), hashes(c["proof"])));
  CHECK(run_cli({"audit", "proof", "--index", "39", "--db", f.db}).exit == 64);
  CHECK(run_cli({"audit", "proof", "--db", f.db}).exit == 64);
}
