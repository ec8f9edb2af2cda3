// Erasable personal data (issue 13, item 1; docs/AUDIT_LOG.md §1 "Openings and retention"):
// passline-log/3 entries commit to each applicant's inputs, the openings are kept beside the log
// under a retention date, and erasing them changes no entry. Over the engine, a real SQLite and
// PostgreSQL store, and the real `passline` command line.
#include <doctest/doctest.h>

#include <soci/soci.h>

#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "passline/app/audit.h"
#include "passline/app/explanation.h"
#include "passline/app/openings.h"
#include "passline/app/recruitments.h"
#include "passline/canonical_json.h"
#include "passline/checkpoint.h"
#include "passline/log.h"
#include "passline/merkle.h"
#include "passline/receipt.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
using passline::test::Backend;
using passline::test::FixedClock;
using passline::test::make_case;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;
using passline::test::TestDb;
namespace sql = passline::sql;
namespace app = passline::app;
using nlohmann::json;

// Salts 0000…01, 0000…02, …: reproducible, and distinct per applicant.
struct CountingSalts final : app::SaltSource {
  mutable int n = 0;
  std::string salt() const override {
    const std::string s = std::to_string(++n);
    return std::string(64 - s.size(), '0') + s;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> all_entries(app::Store& store) {
  auto head = app::log_head(store);
  REQUIRE(head.ok());
  std::vector<std::string> out;
  REQUIRE(
      store.read_log(0, head->size, [&](std::uint64_t, std::string_view e) { out.emplace_back(e); })
          .ok());
  return out;
}

std::map<std::uint64_t, std::string> all_openings(app::Store& store) {
  std::map<std::uint64_t, std::string> out;
  REQUIRE(store
              .read_openings(0, UINT64_MAX,
                             [&](std::uint64_t i, std::string_view o) {
                               out.emplace(i, std::string(o));
                             })
              .ok());
  return out;
}

passline::OpeningSource from(const std::map<std::uint64_t, std::string>& openings) {
  return [&openings](std::uint64_t i) -> std::optional<std::string> {
    auto it = openings.find(i);
    return it == openings.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

}  // namespace

TEST_SUITE("erase") {

TEST_CASE("passline-log/3 commits to the inputs, replays bit for bit from the openings") {
  const passline::Case c = make_case("R1", "AG", "admin", 3, 12);
  auto d = passline::decide(c, passline::bundled_rules());
  REQUIRE(d.ok());
  passline::LogContext ctx;
  ctx.decided_at = "2026-01-02T03:04:05Z";
  ctx.salts.emplace();
  CountingSalts salts;
  for (int i = 0; i < 12; ++i) ctx.salts->push_back(salts.salt());
  const auto entries = passline::log_entries(c, *d, ctx);
  REQUIRE(entries.size() == 13);
  const json header = json::parse(entries[0]);
  CHECK(header["format"] == "passline-log/3");
  CHECK_FALSE(header.contains("input_digest"));
  std::map<std::uint64_t, std::string> openings;
  for (std::size_t a = 0; a < 12; ++a) {
    const json e = json::parse(entries[1 + a]);
    for (const char* key : {"applicant", "education", "scores", "attributes", "disqualified"})
      CHECK_FALSE(e.contains(key));
    CHECK(entries[1 + a].find(c.units[0].applicants[a].id) == std::string::npos);
    const std::string opening = passline::log_opening(c, 0, a, (*ctx.salts)[a]);
    CHECK(e["commitment"] == passline::opening_commitment(opening));
    openings[1 + a] = opening;
  }
  // Another salt, the same inputs: another commitment (the inputs cannot be guessed from it).
  CHECK(passline::opening_commitment(passline::log_opening(c, 0, 0, std::string(64, 'a'))) !=
        json::parse(entries[1])["commitment"]);

  auto read = passline::read_log_entries(entries, 0, from(openings));
  REQUIRE(read.ok());
  REQUIRE(read->size() == 1);
  CHECK_FALSE(read->front().erased);
  CHECK(read->front().context.salts == ctx.salts);
  CHECK(read->front().context.decided_at == ctx.decided_at);
  const auto res = passline::replay(read->front(), passline::bundled_rules());
  CHECK(res.ok());
  CHECK_FALSE(res.erased);

  // A tampered opening (another score) replays as a difference at its own entry.
  auto tampered = openings;
  json o = json::parse(tampered[5]);
  o["inputs"]["scores"][0] = "99";
  tampered[5] = o.dump();
  auto read2 = passline::read_log_entries(entries, 0, from(tampered));
  REQUIRE(read2.ok());
  const auto res2 = passline::replay(read2->front(), passline::bundled_rules());
  REQUIRE(res2.first_difference.has_value());
  CHECK(std::find(res2.differing.begin(), res2.differing.end(), 5u) != res2.differing.end());

  // Without its openings the recruitment is erased: no error, no difference.
  std::map<std::uint64_t, std::string> none;
  auto read3 = passline::read_log_entries(entries, 0, from(none));
  REQUIRE(read3.ok());
  CHECK(read3->front().erased);
  CHECK(read3->front().input.recruitment.id == "R1");
  const auto res3 = passline::replay(read3->front(), passline::bundled_rules());
  CHECK(res3.erased);
  CHECK_FALSE(res3.error);
  CHECK_FALSE(res3.first_difference);

  // An opening that is not of the form is refused at its entry.
  auto bad = openings;
  bad[3] = "{\"salt\":\"00\"}";
  auto read4 = passline::read_log_entries(entries, 0, from(bad));
  REQUIRE_FALSE(read4.ok());
  CHECK(read4.error().code == "bad_opening");
  CHECK(read4.error().path.rfind("entry 3: ", 0) == 0);
}

TEST_CASE("openings and entries written directly equal the general canonical form") {
  passline::Case c = make_case("R1", "AG", "admin", 3, 12);
  c.units[0].applicants[1].attributes = {{"zeta", "1"}, {"alpha", "x\"y"}, {"zeta", "2"}};
  c.units[0].applicants[2].attributes = {{"\xEE\x80\x80", "private use"}, {"b", "\n"}};
  c.units[0].applicants[3].scores[0].reset();
  auto d = passline::decide(c, passline::bundled_rules());
  REQUIRE(d.ok());
  passline::LogContext ctx;
  ctx.decided_at = "2026-01-02T03:04:05Z";
  const auto v1 = passline::log_entries(c, *d, ctx);
  ctx.salts.emplace();
  CountingSalts salts;
  for (int i = 0; i < 12; ++i) ctx.salts->push_back(salts.salt());
  const auto v3 = passline::log_entries(c, *d, ctx);
  for (std::size_t a = 0; a < 12; ++a) {
    CAPTURE(a);
    // The opening: the v1 entry's inputs and the salt, in RFC 8785 form.
    json e = json::parse(v1[1 + a]), inputs;
    for (const char* key : {"applicant", "attributes", "disqualified", "education", "scores"})
      inputs[key] = e[key];
    json want = {{"inputs", inputs}, {"salt", (*ctx.salts)[a]}};
    const std::string opening = passline::log_opening(c, 0, a, (*ctx.salts)[a]);
    CHECK(passline::canonical_json(want.dump()).value() == opening);
    // The entry: the v1 entry's outputs and the commitment, canonical.
    json out = json::parse(v3[1 + a]);
    CHECK(passline::canonical_json(v3[1 + a]).value() == v3[1 + a]);
    CHECK(out["commitment"] == passline::opening_commitment(opening));
    for (const char* key : {"local", "outcomes", "recruitment", "type", "unit"})
      CHECK(out[key] == e[key]);
  }
}

TEST_CASE("entries of passline-log/1 still read and replay as before") {
  const passline::Case c = make_case("R1", "AG", "admin", 3, 12);
  auto d = passline::decide(c, passline::bundled_rules());
  REQUIRE(d.ok());
  passline::LogContext ctx;
  ctx.decided_at = "2026-01-02T03:04:05Z";
  const auto entries = passline::log_entries(c, *d, ctx);
  CHECK(json::parse(entries[0])["format"] == "passline-log/1");
  CHECK(json::parse(entries[1]).contains("scores"));
  auto read = passline::read_log_entries(entries);
  REQUIRE(read.ok());
  CHECK(passline::replay(read->front(), passline::bundled_rules()).ok());
}

STORAGE_TEST(erase_past_retention_keeps_every_root_proof_and_receipt) {
  TestDb db(backend);
  auto store = db.open_initialised();
  FixedClock clock;  // decided 2026-01-02
  CountingSalts salts;
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 3, 12)).ok());
  REQUIRE(app::import_case(*store, make_case("R2", "AG", "admin", 3, 9)).ok());
  REQUIRE(app::decide(*store, "R1", passline::bundled_rules(), clock, salts).ok());
  REQUIRE(app::decide(*store, "R2", passline::bundled_rules(), clock, salts).ok());
  const auto entries = all_entries(*store);
  REQUIRE(entries.size() == 1 + 12 + 1 + 9);
  for (const std::string& e : entries) {
    CHECK(e.find("A100") == std::string::npos);  // no applicant id in the log
    CHECK(e.find("\"scores\"") == std::string::npos);
  }
  CHECK(all_openings(*store).size() == 21);

  // The default retention: 180 days after the decision.
  auto kept = app::retention(*store, "R1");
  REQUIRE(kept.ok());
  CHECK(kept->decided_on == "2026-01-02");
  CHECK(kept->retain_until == "2026-07-01");
  CHECK_FALSE(kept->erased_at);
  // Set within 14..180 days only.
  CHECK(app::set_retention(*store, "R1", *passline::Date::parse("2026-01-15")).error().code ==
        "invalid_value");
  CHECK(app::set_retention(*store, "R1", *passline::Date::parse("2026-07-02")).error().code ==
        "invalid_value");
  CHECK(app::set_retention(*store, "nobody", *passline::Date::parse("2026-02-01")).error().code ==
        "unknown_recruitment");
  auto set = app::set_retention(*store, "R1", *passline::Date::parse("2026-01-16"));
  REQUIRE_MESSAGE(set.ok(), set.error().message);
  CHECK(set->retain_until == "2026-01-16");

  // A checkpoint and a receipt before erasure.
  auto key = passline::generate_key("erase.test/log");
  REQUIRE(key.ok());
  auto cp = app::sign_checkpoint(*store, key->private_pem, key->name, clock);
  REQUIRE(cp.ok());
  auto covering = [&](std::uint64_t) -> passline::Result<app::StoredCheckpoint> { return *cp; };
  auto receipt = app::applicant_receipt(*store, "R1", "A100004", covering);
  REQUIRE_MESSAGE(receipt.ok(), receipt.error().message);
  auto summary = passline::verify_receipt(*receipt, key->verifier_key);
  REQUIRE_MESSAGE(summary.ok(), summary.error().message);
  CHECK(summary->applicant == "A100004");
  CHECK(json::parse(summary->opening)["inputs"]["applicant"] == "A100004");
  // The applicant's opening tampered with (another score): bad_opening.
  json r = json::parse(*receipt);
  json o = json::parse(r["opening"].get<std::string>());
  o["inputs"]["scores"][0] = "99";
  r["opening"] = o.dump();
  auto tampered = passline::verify_receipt(r.dump(), key->verifier_key);
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.error().code == "bad_opening");
  r.erase("opening");
  CHECK(passline::verify_receipt(r.dump(), key->verifier_key).error().code == "bad_opening");

  // Retention not reached: nothing erased.
  auto none = app::erase_openings(*store, *passline::Date::parse("2026-01-16"), clock);
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK(all_openings(*store).size() == 21);

  const auto head = app::log_head(*store);
  REQUIRE(head.ok());
  auto erased = app::erase_openings(*store, *passline::Date::parse("2026-01-17"), clock);
  REQUIRE_MESSAGE(erased.ok(), erased.error().message);
  REQUIRE(erased->size() == 1);
  CHECK(erased->front().recruitment == "R1");
  CHECK(erased->front().openings == 12);
  CHECK(all_openings(*store).size() == 9);
  CHECK(app::retention(*store, "R1")->erased_at == "2026-01-02T03:04:05Z");
  CHECK(app::set_retention(*store, "R1", *passline::Date::parse("2026-02-01")).error().code ==
        "erased");

  // The log is unchanged: entries, root, proofs, the checkpoint and the earlier receipt.
  CHECK(all_entries(*store) == entries);
  auto head2 = app::log_head(*store);
  REQUIRE(head2.ok());
  CHECK(head2->root == head->root);
  auto leaves = store->leaf_hashes(head2->size);
  REQUIRE(leaves.ok());
  CHECK(passline::root_of(*leaves) == head->root);
  auto proof = app::prove_inclusion(*store, 5, head2->size);
  REQUIRE(proof.ok());
  CHECK(passline::verify_inclusion(5, head2->size, proof->leaf_hash, proof->proof, head->root));
  CHECK(passline::verify_receipt(*receipt, key->verifier_key).ok());

  // No receipt with the opening can be issued any more; R2's still can.
  auto gone = app::applicant_receipt(*store, "R1", "A100004", covering);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "erased");
  auto r2 = app::applicant_receipt(*store, "R2", "A100001", covering);
  REQUIRE(r2.ok());
  CHECK(passline::verify_receipt(*r2, key->verifier_key).ok());

  // Explaining from the log needs the inputs: R1's are gone, R2's are there.
  CHECK(app::explain_applicant(*store, "R1", "A100004", passline::bundled_rules(),
                               passline::Language::en)
            .error()
            .code == "erased");
  CHECK(app::explain_applicant(*store, "R2", "A100004", passline::bundled_rules(),
                               passline::Language::en)
            .ok());

  // Replay: R1 erased (not a difference), R2 decided again bit for bit.
  const auto openings = all_openings(*store);
  auto logged = passline::read_log_entries(entries, 0, from(openings));
  REQUIRE(logged.ok());
  REQUIRE(logged->size() == 2);
  CHECK(passline::replay((*logged)[0], passline::bundled_rules()).erased);
  const auto res2 = passline::replay((*logged)[1], passline::bundled_rules());
  CHECK_FALSE(res2.erased);
  CHECK(res2.ok());

  // Erasing again erases nothing more.
  auto again = app::erase_openings(*store, *passline::Date::parse("2027-01-01"), clock);
  REQUIRE(again.ok());
  REQUIRE(again->size() == 1);
  CHECK(again->front().recruitment == "R2");
  CHECK(all_openings(*store).empty());
}

TEST_CASE("a failed erase leaves every opening and retention as it was") {
  TestDb db(Backend::sqlite);
  auto store = db.open_initialised();
  FixedClock clock;
  CountingSalts salts;
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 3, 12)).ok());
  REQUIRE(app::import_case(*store, make_case("R2", "AG", "admin", 3, 9)).ok());
  REQUIRE(app::decide(*store, "R1", passline::bundled_rules(), clock, salts).ok());
  REQUIRE(app::decide(*store, "R2", passline::bundled_rules(), clock, salts).ok());
  const auto before = all_openings(*store);
  const auto r1 = app::retention(*store, "R1");
  // The database refuses to record R2's erasure, after R1's openings were deleted in the same
  // transaction (a trigger standing in for a failing disk or a lost connection).
  {
    auto parsed = sql::parse_database_url(db.url());
    REQUIRE(parsed.ok());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << "CREATE TRIGGER refuse_r2 BEFORE INSERT ON log_retention WHEN NEW.recruitment = 'R2' "
         "AND NEW.erased_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'refused'); END";
  }
  auto erased = app::erase_openings(*store, *passline::Date::parse("2027-01-01"), clock);
  REQUIRE_FALSE(erased.ok());
  CHECK(erased.error().code == "storage");
  CHECK(all_openings(*store) == before);
  CHECK(app::retention(*store, "R1").value() == r1.value());
  CHECK_FALSE(app::retention(*store, "R2")->erased_at);
}

TEST_CASE("passline audit retention, export --openings, replay, receipt and erase") {
  TempDir dir;
  const std::string db = "sqlite:" + (dir.path / "erase.db").string();
  const std::string key = (dir.path / "log.key").string(), pub = key + ".pub";
  const std::string log = (dir.path / "log.jsonl").string();
  const std::string openings = (dir.path / "openings.jsonl").string();
  const std::string checkpoint = (dir.path / "checkpoint.txt").string();
  const std::string receipt = (dir.path / "receipt.json").string();
  REQUIRE(sql::Store::migrate(db).ok());
  {
    auto store = sql::Store::open(db);
    REQUIRE(store.ok());
    FixedClock clock;
    REQUIRE(app::import_case(**store, make_case("R1", "AG", "admin", 3, 12)).ok());
    REQUIRE(app::import_case(**store, make_case("R2", "AG", "admin", 3, 9)).ok());
    REQUIRE(app::decide(**store, "R1", passline::bundled_rules(), clock).ok());
    REQUIRE(app::decide(**store, "R2", passline::bundled_rules(), clock).ok());
  }
  Run k = run_cli({"keys", "init", "--key", key, "--name", "erase.test/log"});
  REQUIRE_MESSAGE(k.exit == 0, k.err);
  Run c = run_cli({"audit", "checkpoint", "--key", key, "--db", db});
  REQUIRE_MESSAGE(c.exit == 0, c.err);
  spit(checkpoint, c.out);

  Run show = run_cli({"audit", "retention", "--recruitment", "R1", "--db", db});
  REQUIRE_MESSAGE(show.exit == 0, show.err);
  CHECK(show.out == "R1: decided 2026-01-02, openings kept through 2026-07-01, not erased\n");
  Run bad =
      run_cli({"audit", "retention", "--recruitment", "R1", "--until", "2026-13-01", "--db", db});
  CHECK(bad.exit == 64);
  Run early =
      run_cli({"audit", "retention", "--recruitment", "R1", "--until", "2026-01-10", "--db", db});
  CHECK(early.exit == 2);
  CHECK(early.err.find("2026-01-16") != std::string::npos);
  Run set =
      run_cli({"audit", "retention", "--recruitment", "R1", "--until", "2026-01-16", "--db", db});
  REQUIRE_MESSAGE(set.exit == 0, set.err);
  CHECK(set.out.find("kept through 2026-01-16") != std::string::npos);

  Run e = run_cli({"audit", "export", "--out", log, "--openings", openings, "--db", db});
  REQUIRE_MESSAGE(e.exit == 0, e.err);
  const std::string exported = slurp(log);
  CHECK(exported.find("A100") == std::string::npos);
  CHECK(lines_of(slurp(openings)).size() == 21);
  Run v = run_cli({"audit", "verify", log, "--checkpoint", checkpoint, "--pubkey", pub});
  CHECK_MESSAGE(v.exit == 0, v.out);
  Run rp = run_cli({"audit", "replay", log, "--openings", openings});
  CHECK_MESSAGE(rp.exit == 0, rp.err);
  CHECK(rp.out == "2 recruitments replayed, 0 differ\n");

  Run rc = run_cli({"audit", "receipt", "--recruitment", "R1", "--applicant", "A100004", "--out",
                    receipt, "--key", key, "--db", db});
  REQUIRE_MESSAGE(rc.exit == 0, rc.err);
  Run vr = run_cli({"audit", "verify-receipt", receipt, "--pubkey", pub});
  CHECK_MESSAGE(vr.exit == 0, vr.out);
  CHECK(vr.out.find("applicant A100004") != std::string::npos);
  CHECK(vr.out.find("the inputs the decision used") != std::string::npos);
  json tampered = json::parse(slurp(receipt));
  json o = json::parse(tampered["opening"].get<std::string>());
  o["inputs"]["education"][0]["region"] = "jeju";
  tampered["opening"] = o.dump();
  const std::string tampered_path = (dir.path / "tampered.json").string();
  spit(tampered_path, tampered.dump());
  Run vt = run_cli({"audit", "verify-receipt", tampered_path, "--pubkey", pub});
  CHECK(vt.exit == 1);
  CHECK(vt.out.find("bad_opening") != std::string::npos);

  Run er = run_cli({"audit", "erase", "--as-of", "2026-01-17", "--db", db});
  REQUIRE_MESSAGE(er.exit == 0, er.err);
  CHECK(er.out ==
        "erased 12 openings of R1 (kept through 2026-01-16)\n"
        "1 recruitments erased, 12 openings, as of 2026-01-17\n");
  Run e2 = run_cli({"audit", "export", "--out", log, "--openings", openings, "--db", db});
  REQUIRE_MESSAGE(e2.exit == 0, e2.err);
  CHECK(slurp(log) == exported);  // erasure changes no entry
  CHECK(lines_of(slurp(openings)).size() == 9);
  Run v2 = run_cli({"audit", "verify", log, "--checkpoint", checkpoint, "--pubkey", pub});
  CHECK_MESSAGE(v2.exit == 0, v2.out);
  Run rp2 = run_cli({"audit", "replay", log, "--openings", openings});
  CHECK_MESSAGE(rp2.exit == 0, rp2.err);
  CHECK(rp2.out.find("R1: erased") != std::string::npos);
  CHECK(rp2.out.find("1 recruitments replayed, 0 differ, 1 erased\n") != std::string::npos);
  CHECK(run_cli({"audit", "verify-receipt", receipt, "--pubkey", pub}).exit == 0);
  Run gone = run_cli({"audit", "receipt", "--recruitment", "R1", "--applicant", "A100004", "--key",
                      key, "--db", db});
  CHECK(gone.exit == 2);
  CHECK(gone.err.find("erased") != std::string::npos);
}

}  // TEST_SUITE

TEST_SUITE("erase") {

TEST_CASE("a passline-log/3 fixture verifies, replays from its openings, and erased without") {
  const fs::path dir = fs::path(PASSLINE_SOURCE_DIR) / "tests/fixtures/log-v3";
  const std::string log = (dir / "log.jsonl").string();
  Run v = run_cli({"audit", "verify", log});
  CHECK_MESSAGE(v.exit == 0, v.out);
  CHECK(v.out.rfind("OK: 33 entries, root "
                    "e256dbc4c613edbe46b2d6c26659af4a0c547ee3f121c0b1446c77ec705a8c5c",
                    0) == 0);
  Run r = run_cli({"audit", "replay", log, "--openings", (dir / "openings.jsonl").string()});
  CHECK_MESSAGE(r.exit == 0, r.err);
  CHECK(r.out == "1 recruitments replayed, 0 differ\n");
  Run e = run_cli({"audit", "replay", log});
  CHECK_MESSAGE(e.exit == 0, e.err);
  CHECK(e.out.find("KAMCO-2023-H1: erased") != std::string::npos);
  CHECK(e.out.find("0 recruitments replayed, 0 differ, 1 erased\n") != std::string::npos);
  // An opening altered in the file: its entry differs (never read as erased).
  std::string openings = slurp(dir / "openings.jsonl");
  const auto at = openings.find("seoul");
  if (at != std::string::npos) {
    openings.replace(at, 5, "busan");
    TempDir t;
    spit(t.path / "o.jsonl", openings);
    Run d = run_cli({"audit", "replay", log, "--openings", (t.path / "o.jsonl").string()});
    CHECK(d.exit == 1);
    CHECK(d.out == "1 recruitments replayed, 1 differ\n");
  }
}

}  // TEST_SUITE
