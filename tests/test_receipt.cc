// Applicant receipts: built from a small log, verified offline, and every tampering caught.
#include <doctest/doctest.h>

#include "support.h"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "passline/canonical_json.h"
#include "passline/checkpoint.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "passline/log.h"
#include "passline/merkle.h"
#include "passline/receipt.h"
#include "passline/rule_pack.h"

using namespace passline;

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

struct Fixture {
  std::vector<std::string> log;
  std::vector<Hash> leaves;
  std::size_t second_header = 0;
  KeyPair key;
  std::string checkpoint;

  Fixture() {
    for (const char* name : {"01-basic-shortfall.case.json", "07-two-stages.case.json"}) {
      auto c = parse_case_json(passline::test::slurp(fs::path(PASSLINE_CONFORMANCE_DIR) / name));
      REQUIRE(c.ok());
      auto d = decide(*c, bundled_rules());
      REQUIRE(d.ok());
      if (!log.empty()) second_header = log.size();
      LogContext at;  // the defaults but the clock (an aggregate init would leave fields unnamed)
      at.decided_at = "2026-11-24T21:00:00Z";
      for (auto& e : log_entries(*c, *d, at)) log.push_back(std::move(e));
    }
    for (const auto& e : log) leaves.push_back(leaf_hash(e));
    auto k = generate_key("passline.test/log");
    REQUIRE(k.ok());
    key = *k;
    Checkpoint cp{"passline.test/log", leaves.size(), root_of(leaves), "2026-11-24T21:05:00Z"};
    auto note = sign_checkpoint(cp, key.private_pem, key.name);
    REQUIRE(note.ok());
    checkpoint = *note;
  }

  ReceiptEntry entry(std::uint64_t i) const {
    return {i, log[i], inclusion_proof(i, leaves.size(), leaves)};
  }

  std::string receipt(std::uint64_t header, std::uint64_t applicant) const {
    auto r = make_receipt(checkpoint, key.verifier_key, {entry(header), entry(applicant)});
    REQUIRE(r.ok());
    return *r;
  }
};

std::string code_of(const std::string& receipt,
                    std::optional<std::string_view> pin = std::nullopt) {
  auto r = verify_receipt(receipt, pin);
  return r.ok() ? "ok" : std::string(r.error().code.name());
}

std::string with(const std::string& receipt, const std::string& pointer, const json& value) {
  auto j = json::parse(receipt);
  j[json::json_pointer(pointer)] = value;
  return j.dump();
}
}  // namespace

TEST_CASE("a receipt built from a small log verifies and summarises the applicant") {
  const Fixture f;
  const std::uint64_t applicant = f.second_header + 7;  // R07's A0007
  const std::string receipt = f.receipt(f.second_header, applicant);
  CHECK(*canonical_json(receipt) == receipt);
  auto s = verify_receipt(receipt);
  REQUIRE_MESSAGE(s.ok(), s.error().code << " " << s.error().path << " " << s.error().message);
  CHECK(s->log_origin == "passline.test/log");
  CHECK(s->tree_size == f.log.size());
  CHECK(s->checkpoint_time == "2026-11-24T21:05:00Z");
  CHECK(s->recruitment == "R07");
  CHECK(s->applicant == "A0007");
  CHECK(s->unit == "U1");
  CHECK(s->local == std::vector<std::string>{"kr-innovation-city"});
  REQUIRE(s->outcomes.size() == 2);
  CHECK(s->outcomes[0].stage == "written");
  CHECK(s->outcomes == [&] {
    std::vector<ReceiptOutcome> out;
    const json logged = json::parse(f.log[applicant]);
    for (const auto& o : logged["outcomes"])
      out.push_back({o["stage"].get<std::string>(), o["outcome"].get<std::string>(),
                     o.value("program", std::string())});
    return out;
  }());
  // Pinning the right key works too.
  CHECK(code_of(receipt, f.key.verifier_key) == "ok");
}

TEST_CASE("tampering with any part of a receipt fails with a specific error") {
  const Fixture f;
  const std::uint64_t h = f.second_header, a = f.second_header + 7;
  const std::string receipt = f.receipt(h, a);
  REQUIRE(code_of(receipt) == "ok");

  // The applicant's entry: an outcome changed (still canonical) no longer hashes to the leaf.
  auto entry = json::parse(f.log[a]);
  entry["outcomes"][1]["outcome"] = "pass_rank";
  CHECK(code_of(with(receipt, "/entries/1/entry", *canonical_json(entry.dump()))) ==
        "bad_inclusion_proof");
  // A non-canonical spelling of the same entry.
  CHECK(code_of(with(receipt, "/entries/1/entry", entry.dump(1))) == "not_canonical");
  // A proof hash with one bit flipped.
  auto proof = json::parse(receipt)["entries"][1]["inclusion_proof"];
  std::string h0 = proof[0];
  h0[0] = h0[0] == '0' ? '1' : '0';
  CHECK(code_of(with(receipt, "/entries/1/inclusion_proof/0", h0)) == "bad_inclusion_proof");
  CHECK(code_of(with(receipt, "/entries/1/inclusion_proof/0", "xyz")) == "bad_receipt");
  // Another index.
  CHECK(code_of(with(receipt, "/entries/1/index", a + 1)) == "bad_inclusion_proof");
  // Tree size and origin must match the checkpoint.
  CHECK(code_of(with(receipt, "/tree_size", f.log.size() + 1)) == "receipt_mismatch");
  CHECK(code_of(with(receipt, "/log_origin", "elsewhere")) == "receipt_mismatch");
  // The checkpoint's body.
  std::string cp = f.checkpoint;
  cp[cp.find('\n') + 1] ^= 1;  // the first digit of the tree size
  CHECK(code_of(with(receipt, "/checkpoint", cp)) == "bad_signature");
  // Another embedded key: its signature line is absent.
  auto other = generate_key("passline.test/log");
  REQUIRE(other.ok());
  CHECK(code_of(with(receipt, "/verifier_key", other->verifier_key)) == "bad_signature");
  // A pinned key other than the embedded one.
  CHECK(code_of(receipt, other->verifier_key) == "key_mismatch");
  // A receipt re-signed by an impostor who embeds their own key verifies offline, but fails
  // when the log's key is pinned.
  Checkpoint fake{"passline.test/log", f.leaves.size(), root_of(f.leaves), "2026-11-24T21:05:00Z"};
  auto fake_note = sign_checkpoint(fake, other->private_pem, other->name);
  REQUIRE(fake_note.ok());
  auto impostor = make_receipt(*fake_note, other->verifier_key, {f.entry(h), f.entry(a)});
  REQUIRE(impostor.ok());
  CHECK(code_of(*impostor) == "ok");
  CHECK(code_of(*impostor, f.key.verifier_key) == "key_mismatch");
  // Format and shape.
  CHECK(code_of(with(receipt, "/format", "passline-receipt/2")) == "bad_receipt");
  CHECK(code_of("not json") == "bad_receipt");
}

TEST_CASE("an applicant entry must belong to the header's recruitment") {
  const Fixture f;
  // The first recruitment's header with an applicant of the second: both genuinely in the log.
  auto mixed =
      make_receipt(f.checkpoint, f.key.verifier_key, {f.entry(0), f.entry(f.second_header + 7)});
  REQUIRE(mixed.ok());
  auto r = verify_receipt(*mixed);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "wrong_recruitment");
  // Two headers, no applicant.
  auto two = make_receipt(f.checkpoint, f.key.verifier_key, {f.entry(0), f.entry(f.second_header)});
  REQUIRE(two.ok());
  CHECK(code_of(*two) == "bad_receipt");
}

namespace {

// A receipt over a log whose applicant entry `index` was written with other values before it
// was hashed and signed: the inclusion proof and the signature verify, the values must not.
std::pair<std::string, std::string> receipt_of_rewritten(const Fixture& f, std::uint64_t header,
                                                         std::uint64_t index,
                                                         const std::function<void(json&)>& edit) {
  std::vector<std::string> log = f.log;
  json e = json::parse(log[index]);
  edit(e);
  auto canon = canonical_json(e.dump());
  REQUIRE(canon.ok());
  log[index] = *canon;
  std::vector<Hash> leaves;
  for (const auto& x : log) leaves.push_back(leaf_hash(x));
  Checkpoint cp{"passline.test/log", leaves.size(), root_of(leaves), "2026-11-24T21:05:00Z"};
  auto note = sign_checkpoint(cp, f.key.private_pem, f.key.name);
  REQUIRE(note.ok());
  auto r = make_receipt(*note, f.key.verifier_key,
                        {{header, log[header], inclusion_proof(header, leaves.size(), leaves)},
                         {index, log[index], inclusion_proof(index, leaves.size(), leaves)}});
  REQUIRE(r.ok());
  auto v = verify_receipt(*r, f.key.verifier_key);
  return v.ok() ? std::pair<std::string, std::string>{"ok", ""}
                : std::pair<std::string, std::string>{std::string(v.error().code.name()),
                                                      v.error().path};
}

}  // namespace

TEST_CASE("a receipt's outcome values are checked against its header, not only its hash") {
  const Fixture f;
  const std::uint64_t header = f.second_header, a = f.second_header + 7;
  using Result = std::pair<std::string, std::string>;
  CHECK(receipt_of_rewritten(f, header, a, [](json&) {}) == Result{"ok", ""});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) {
          e["outcomes"][0]["outcome"] = "pass_magic";
        }) == Result{"bad_outcome", "applicant.outcomes[0].outcome"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) {
          e["outcomes"][0]["stage"] = "another stage";
        }) == Result{"bad_outcome", "applicant.outcomes[0].stage"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) {
          e["outcomes"][0] = {{"stage", e["outcomes"][0]["stage"]}, {"outcome", "pass_additional"}};
        }) == Result{"bad_outcome", "applicant.outcomes[0].program"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) {
          e["outcomes"][0]["program"] = "nobody";
          e["outcomes"][0]["outcome"] = "pass_additional";
        }) == Result{"bad_outcome", "applicant.outcomes[0].program"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) {
          e["outcomes"][0]["program"] = "kr-innovation-city";
        }) == Result{"bad_outcome", "applicant.outcomes[0].program"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) { e["outcomes"].erase(0); }) ==
        Result{"bad_outcome", "applicant.outcomes"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) { e["local"] = {"made-up-program"}; }) ==
        Result{"bad_outcome", "applicant.local[0]"});
  CHECK(receipt_of_rewritten(f, header, a, [](json& e) { e["outcomes"][0]["extra"] = 1; }) ==
        Result{"bad_outcome", "applicant.outcomes[0]"});
}
