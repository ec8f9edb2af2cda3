// Applicant receipts: building and checking them (SPEC.md §7).
#include "passline/receipt.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "detail/paths.h"
#include "passline/canonical_json.h"
#include "passline/log.h"

namespace passline {

using nlohmann::json;

Result<std::string> make_receipt(std::string_view signed_checkpoint, std::string_view verifier_key,
                                 const std::vector<ReceiptEntry>& entries,
                                 std::optional<std::string_view> opening) {
  auto cp = verify_checkpoint(signed_checkpoint, verifier_key);
  if (!cp.ok()) return cp.error();
  json doc;
  doc["format"] = std::string(kReceiptFormat);
  doc["log_origin"] = cp->origin;
  doc["tree_size"] = cp->tree_size;
  doc["checkpoint"] = std::string(signed_checkpoint);
  doc["verifier_key"] = std::string(verifier_key);
  json list = json::array();
  for (const ReceiptEntry& e : entries) {
    json proof = json::array();
    for (const Hash& h : e.inclusion_proof) proof.push_back(to_hex(h));
    list.push_back({{"index", e.index}, {"entry", e.entry}, {"inclusion_proof", std::move(proof)}});
  }
  doc["entries"] = std::move(list);
  if (opening) doc["opening"] = std::string(*opening);
  std::string text;
  try {
    text = doc.dump(-1, ' ', false);
  } catch (const json::type_error&) {
    return make_error("bad_receipt", "entries", "an entry is not valid UTF-8");
  }
  return canonical_json(text);
}

namespace {

struct Failure {
  Error error;
};

[[noreturn]] void fail(ErrorCode code, std::string where, std::string message) {
  throw Failure{make_error(code, std::move(where), std::move(message))};
}

const json& field(const json& obj, const char* key, const std::string& where, json::value_t type,
                  const char* what) {
  if (!obj.is_object()) fail("bad_receipt", where, "expected an object");
  auto it = obj.find(key);
  const std::string w = where.empty() ? key : where + "." + key;
  if (it == obj.end()) fail("bad_receipt", w, std::string("the field '") + key + "' is missing");
  const bool ok =
      it->type() == type || (type == json::value_t::number_unsigned && it->is_number_unsigned());
  if (!ok) fail("bad_receipt", w, std::string("expected ") + what);
  return *it;
}

std::string str(const json& obj, const char* key, const std::string& where) {
  return field(obj, key, where, json::value_t::string, "a string").get<std::string>();
}

ReceiptSummary check(std::string_view text, std::optional<std::string_view> pinned) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    fail("bad_receipt", "$", std::string("the receipt is not JSON: ") + e.what());
  }
  if (!doc.is_object()) fail("bad_receipt", "$", "a receipt is a JSON object");
  if (str(doc, "format", "") != kReceiptFormat)
    fail("bad_receipt", "format", "expected \"" + std::string(kReceiptFormat) + "\"");
  const std::string embedded = str(doc, "verifier_key", "");
  if (pinned && *pinned != embedded)
    fail("key_mismatch", "verifier_key",
         "the receipt names key \"" + embedded + "\", not the pinned \"" + std::string(*pinned) +
             "\"");
  auto cp =
      verify_checkpoint(str(doc, "checkpoint", ""), pinned ? *pinned : std::string_view(embedded));
  if (!cp.ok()) {
    Error e = cp.error();
    if (e.code != "bad_verifier_key")
      e.path = "checkpoint" + (e.path.empty() ? "" : " (" + e.path + ")");
    throw Failure{std::move(e)};
  }
  if (str(doc, "log_origin", "") != cp->origin)
    fail("receipt_mismatch", "log_origin",
         "the log origin differs from the checkpoint's \"" + cp->origin + "\"");
  if (field(doc, "tree_size", "", json::value_t::number_unsigned, "a whole number")
          .get<std::uint64_t>() != cp->tree_size)
    fail("receipt_mismatch", "tree_size",
         "the tree size differs from the checkpoint's " + std::to_string(cp->tree_size));

  const json& entries = field(doc, "entries", "", json::value_t::array, "an array");
  std::optional<std::pair<std::uint64_t, json>> header, applicant;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string w = detail::path("entries", i);
    const std::uint64_t index =
        field(entries[i], "index", w, json::value_t::number_unsigned, "a whole number")
            .get<std::uint64_t>();
    const std::string entry = str(entries[i], "entry", w);
    auto canon = canonical_json(entry);
    if (!canon.ok() || *canon != entry)
      fail("not_canonical", w + ".entry", "the entry is not RFC 8785 canonical JSON");
    const json& proof_json =
        field(entries[i], "inclusion_proof", w, json::value_t::array, "an array");
    std::vector<Hash> proof;
    for (std::size_t k = 0; k < proof_json.size(); ++k) {
      auto h = proof_json[k].is_string() ? hash_from_hex(proof_json[k].get<std::string>())
                                         : std::nullopt;
      if (!h)
        fail("bad_receipt", detail::path(w + ".inclusion_proof", k), "expected 64 hex digits");
      proof.push_back(*h);
    }
    if (!verify_inclusion(index, cp->tree_size, leaf_hash(entry), proof, cp->root))
      fail("bad_inclusion_proof", w + ".inclusion_proof",
           "the entry is not leaf " + std::to_string(index) + " of the checkpoint's tree of " +
               std::to_string(cp->tree_size));
    json parsed = json::parse(entry);
    const std::string type =
        parsed.is_object() && parsed.contains("type") && parsed["type"].is_string()
            ? parsed["type"].get<std::string>()
            : "";
    auto& slot = type == "recruitment" ? header : type == "applicant" ? applicant : header;
    if (type != "recruitment" && type != "applicant")
      fail("bad_receipt", w + ".entry", "an entry of type recruitment or applicant was expected");
    if (slot) fail("bad_receipt", w, "a receipt holds one " + type + " entry");
    slot.emplace(index, std::move(parsed));
  }
  if (!header) fail("bad_receipt", "entries", "the recruitment's header entry is missing");
  if (!applicant) fail("bad_receipt", "entries", "the applicant's entry is missing");

  const json& h = header->second;
  const json& a = applicant->second;
  ReceiptSummary s;
  s.verifier_key = pinned ? std::string(*pinned) : embedded;
  s.log_origin = cp->origin;
  s.tree_size = cp->tree_size;
  s.checkpoint_time = cp->time;
  s.recruitment = str(h, "recruitment", "header");
  s.decided_at = str(h, "decided_at", "header");
  s.unit = str(a, "unit", "applicant");
  if (a.contains("commitment")) {
    // passline-log/3: the applicant's inputs are in the receipt's opening, committed to by the
    // entry. The opening must be canonical, hash to the commitment and name the applicant.
    const std::string commitment = str(a, "commitment", "applicant");
    if (!doc.contains("opening") || !doc["opening"].is_string())
      fail("bad_opening", "opening",
           "the applicant's entry holds a commitment; the receipt carries no opening to check");
    s.opening = doc["opening"].get<std::string>();
    auto canon = canonical_json(s.opening);
    if (!canon.ok() || *canon != s.opening)
      fail("bad_opening", "opening", "the opening is not RFC 8785 canonical JSON");
    if (opening_commitment(s.opening) != commitment)
      fail("bad_opening", "opening",
           "the opening does not hash to the commitment of the applicant's entry: these are not "
           "the inputs the log holds");
    const json o = json::parse(s.opening);
    if (!o.is_object() || !o.contains("inputs") || !o["inputs"].is_object() ||
        !o["inputs"].contains("applicant") || !o["inputs"]["applicant"].is_string() ||
        !o.contains("salt") || !o["salt"].is_string() || !is_salt(o["salt"].get<std::string>()))
      fail("bad_opening", "opening", "the opening names no applicant or has no salt");
    s.applicant = o["inputs"]["applicant"].get<std::string>();
  } else {
    if (doc.contains("opening"))
      fail("bad_receipt", "opening", "the applicant's entry holds no commitment to open");
    s.applicant = str(a, "applicant", "applicant");
  }
  if (str(a, "recruitment", "applicant") != s.recruitment)
    fail("wrong_recruitment", "applicant.recruitment",
         "the applicant entry belongs to another recruitment than the header's \"" + s.recruitment +
             "\"");
  const json& units = field(h, "units", "header", json::value_t::array, "an array");
  bool unit_found = false;
  std::uint64_t block = 0;
  for (const json& u : units) {
    if (u.is_object() && u.contains("id") && u["id"] == s.unit) unit_found = true;
    if (u.is_object() && u.contains("applicants") && u["applicants"].is_number_unsigned())
      block += u["applicants"].get<std::uint64_t>();
  }
  if (!unit_found)
    fail("wrong_recruitment", "applicant.unit", "the header has no unit \"" + s.unit + "\"");
  if (applicant->first <= header->first || applicant->first > header->first + block)
    fail("wrong_recruitment", "entries",
         "the applicant entry (index " + std::to_string(applicant->first) +
             ") lies outside the header's block of entries " + std::to_string(header->first + 1) +
             ".." + std::to_string(header->first + block));
  // The values, not only the hash: the applicant's outcomes must be ones the header's unit
  // and its stage results allow (a receipt whose entries were logged wrong, or built by other
  // code than passline's, is refused rather than reported).
  std::vector<std::string> programs;
  for (const json& p : field(h, "programs", "header", json::value_t::array, "an array"))
    for (const char* key : {"id", "program"})  // passline-log/1 names it id, /2 program
      if (p.is_object() && p.contains(key) && p[key].is_string())
        programs.push_back(p[key].get<std::string>());
  auto known_program = [&](const std::string& id) {
    return std::find(programs.begin(), programs.end(), id) != programs.end();
  };
  const json* unit = nullptr;
  for (const json& u : units)
    if (u.is_object() && u.contains("id") && u["id"] == s.unit) unit = &u;
  const json& stages = field(*unit, "stages", "header.units", json::value_t::array, "an array");
  const json& local = field(a, "local", "applicant", json::value_t::array, "an array");
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (!local[i].is_string() || !known_program(local[i].get<std::string>()))
      fail("bad_outcome", detail::path("applicant.local", i),
           "the applicant's group names a program the header does not list");
    s.local.push_back(local[i].get<std::string>());
  }
  const json& outcomes = field(a, "outcomes", "applicant", json::value_t::array, "an array");
  if (outcomes.size() != stages.size())
    fail("bad_outcome", "applicant.outcomes",
         "the applicant has " + std::to_string(outcomes.size()) + " outcomes; the unit has " +
             std::to_string(stages.size()) + " stages");
  static constexpr std::string_view kOutcomes[] = {"pass_rank",       "pass_tie",
                                                   "pass_additional", "fail_disqualified",
                                                   "fail_below_cut",  "not_reached"};
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    const json& o = outcomes[k];
    const std::string w = detail::path("applicant.outcomes", k);
    ReceiptOutcome ro;
    ro.stage = str(o, "stage", w);
    ro.outcome = str(o, "outcome", w);
    const json& stage = stages[k];
    if (!stage.is_object() || !stage.contains("name") || stage["name"] != ro.stage)
      fail("bad_outcome", w + ".stage",
           "outcome " + std::to_string(k) + " names stage \"" + ro.stage +
               "\", not the unit's stage " + std::to_string(k));
    if (std::find(std::begin(kOutcomes), std::end(kOutcomes), ro.outcome) == std::end(kOutcomes))
      fail("bad_outcome", w + ".outcome", "\"" + ro.outcome + "\" is not an outcome");
    const bool additional = ro.outcome == "pass_additional";
    if (additional != o.contains("program"))
      fail("bad_outcome", w + ".program",
           additional ? "pass_additional names the program that added the pass"
                      : "only pass_additional names a program");
    if (o.size() != (additional ? 3u : 2u))
      fail("bad_outcome", w, "an outcome has stage, outcome and (pass_additional) program");
    if (ro.outcome.starts_with("pass_") &&
        !(stage.contains("passed") && stage["passed"].is_number_unsigned() &&
          stage["passed"].get<std::uint64_t>() >= 1))
      fail("bad_outcome", w + ".outcome",
           "the applicant passed stage \"" + ro.stage + "\", which the header says passed nobody");
    if (additional) {
      ro.program = str(o, "program", w);
      bool added = false;
      if (stage.contains("programs") && stage["programs"].is_array())
        for (const json& p : stage["programs"])
          if (p.is_object() && p.contains("program") && p["program"] == ro.program &&
              p.contains("additional") && p["additional"].is_number_unsigned() &&
              p["additional"].get<std::uint64_t>() >= 1)
            added = true;
      if (!known_program(ro.program) || !added)
        fail("bad_outcome", w + ".program",
             "the header's stage \"" + ro.stage + "\" has no additional pass by \"" + ro.program +
                 "\"");
    }
    s.outcomes.push_back(std::move(ro));
  }
  return s;
}

}  // namespace

Result<ReceiptSummary> verify_receipt(std::string_view receipt_json,
                                      std::optional<std::string_view> pinned_verifier_key) {
  try {
    return check(receipt_json, pinned_verifier_key);
  } catch (const Failure& f) {
    return f.error;
  }
}

}  // namespace passline
