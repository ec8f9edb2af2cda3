// The decision log's entries (SPEC.md §7): writing them from a decided case, reading a case
// back from them, and replaying it.
#include "passline/log.h"
#include "passline/merkle.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "detail/json_forms.h"
#include "detail/log_read.h"
#include "detail/utf8.h"
#include "detail/paths.h"
#include "detail/sha256_stream.h"
#include "passline/canonical_json.h"
#include "passline/id.h"
#include "passline/json.h"

namespace passline {

using nlohmann::json;

std::string_view to_string(Outcome o) noexcept {
  switch (o) {
    case Outcome::not_reached: return "not_reached";
    case Outcome::pass_rank: return "pass_rank";
    case Outcome::pass_tie: return "pass_tie";
    case Outcome::pass_additional: return "pass_additional";
    case Outcome::fail_disqualified: return "fail_disqualified";
    case Outcome::fail_below_cut: return "fail_below_cut";
  }
  return "not_reached";
}

namespace {

json decimal_or_null(const std::optional<Decimal>& d) {
  return d ? json(d->to_string()) : json(nullptr);
}

/// Canonical text of a JSON value built here (nlohmann sorts bytewise; RFC 8785 sorts by
/// UTF-16 code units, so every entry goes through canonical_json()).
std::string canonical(const json& j) {
  std::string text;
  try {
    text = j.dump(-1, ' ', false);
  } catch (const json::type_error&) {
    throw std::invalid_argument("log_entries: a text field of the case is not valid UTF-8");
  }
  // nlohmann's compact dump of an object built here is already RFC 8785 canonical when no
  // character is at or above U+E000: the members are sorted bytewise, which for UTF-8 is code
  // point order and, below U+E000, UTF-16 order too; the escapes are the same (\b \f \n \r
  // \t, lowercase \u00xx); every number is an integer. Hangul (U+AC00..U+D7A3) qualifies.
  // Otherwise (lead bytes 0xEE..0xF4) take the full canonicaliser.
  bool simple = true;
  for (unsigned char ch : text) simple = simple && ch < 0xEE;
  if (simple) return text;
  auto c = canonical_json(text);
  if (!c.ok()) throw std::logic_error("log_entries: " + c.error().code + " " + c.error().message);
  return std::move(c).value();
}

/// sha256_hex(case_to_json(c)), hashing the text as it is written.
std::string input_digest(const Case& c) {
  detail::Sha256Stream digest;
  detail::case_json_pieces(c, [&](std::string_view piece) { digest.update(piece); });
  return digest.hex();
}

json stage_results_json(const Unit& unit, const UnitDecision& ud, const Decision& d) {
  json stages = json::array();
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageResult& sr = ud.stages[s];
    json progs = json::array();
    for (std::size_t p = 0; p < sr.programs.size(); ++p) {
      const ProgramStageResult& pr = sr.programs[p];
      progs.push_back({{"program", d.programs[p].id},
                       {"target", pr.target},
                       {"regular", pr.regular},
                       {"additional", pr.additional},
                       {"shortfall", pr.shortfall},
                       {"stopped_by", pr.stopped_by == StoppedBy::none
                                          ? json(nullptr)
                                          : json(std::string(to_string(pr.stopped_by)))}});
    }
    stages.push_back({{"name", unit.stages[s].name},
                      {"considered", sr.considered},
                      {"cut", decimal_or_null(sr.cut)},
                      {"floor", decimal_or_null(sr.threshold)},
                      {"passed", sr.passed},
                      {"programs", std::move(progs)}});
  }
  return stages;
}

/// quota-case/2 (passline-log/2): the case without its applicants, the programs in force with
/// their source and digest, and each unit's results.
json header_json_v2(const Case& c, const Decision& d, const LogContext& ctx) {
  json h;
  h["type"] = "recruitment";
  h["format"] = std::string(kLogFormatV2);
  h["recruitment"] = c.recruitment.id;
  if (ctx.supersedes) h["supersedes"] = *ctx.supersedes;
  h["input"] = detail::case_json_v2(c, false);
  json programs = json::array();
  for (const Program& p : d.programs)
    programs.push_back({{"program", p.id},
                        {"source", std::string(to_string(p.source))},
                        {"version", p.pack_version},
                        {"digest", p.pack_digest.empty() ? json(nullptr) : json(p.pack_digest)},
                        {"ratio", detail::ratio_text(p.ratio)},
                        {"scope", std::string(to_string(p.scope))}});
  h["programs"] = std::move(programs);
  json units = json::array();
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    json exempt = json::object(), group_hires = json::object();
    for (std::size_t p = 0; p < d.programs.size(); ++p) {
      exempt[d.programs[p].id] =
          p < ud.exempt_from.size() && ud.exempt_from[p] ? json(*ud.exempt_from[p]) : json(nullptr);
      group_hires[d.programs[p].id] = ud.group_hires[p];
    }
    units.push_back({{"id", c.units[u].id},
                     {"applicants", c.units[u].applicants.size()},
                     {"stages", stage_results_json(c.units[u], ud, d)},
                     {"exempt", std::move(exempt)},
                     {"hires", ud.hires},
                     {"group_hires", std::move(group_hires)}});
  }
  h["units"] = std::move(units);
  h["engine_version"] =
      ctx.engine_version.empty() ? std::string(engine_version()) : ctx.engine_version;
  h["input_digest"] = input_digest(c);
  h["decided_at"] = ctx.decided_at;
  return h;
}

json header_json_v1(const Case& c, const Decision& d, const LogContext& ctx);

/// passline-log/3: the /1 or /2 header without `input_digest`, which is a digest of every
/// applicant's inputs and would outlive their erasure in a form one could test guesses against.
json header_json(const Case& c, const Decision& d, const LogContext& ctx) {
  json h = c.spec == Spec::v2 ? header_json_v2(c, d, ctx) : header_json_v1(c, d, ctx);
  if (ctx.salts) {
    h["format"] = std::string(kLogFormatV3);
    h.erase("input_digest");
  }
  return h;
}

json header_json_v1(const Case& c, const Decision& d, const LogContext& ctx) {
  json h;
  h["type"] = "recruitment";
  h["format"] = std::string(kLogFormat);
  h["recruitment"] = c.recruitment.id;
  if (ctx.supersedes) h["supersedes"] = *ctx.supersedes;
  h["agency"] = {{"code", c.agency.code},
                 {"region", std::string(to_string(c.agency.region))},
                 {"designated", c.agency.designated}};
  h["announced"] = c.recruitment.announced.to_string();
  json programs = json::array();
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    if (const auto* id = std::get_if<std::string>(&c.programs[p])) {
      const Program& resolved = d.programs[p];
      programs.push_back({{"id", *id},
                          {"pack_version", resolved.pack_version},
                          {"pack_digest", resolved.pack_digest},
                          {"ratio", detail::ratio_text(resolved.ratio)}});
    } else {
      programs.push_back(detail::program_json(std::get<Program>(c.programs[p])));
    }
  }
  h["programs"] = std::move(programs);
  json units = json::array();
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const UnitDecision& ud = d.units[u];
    json j;
    j["id"] = unit.id;
    j["field"] = unit.field;
    j["planned"] = unit.planned;
    j["exemptions"] = unit.exemptions;
    j["requires_experience"] = unit.requires_experience;
    if (unit.min_degree) j["min_degree"] = *unit.min_degree;
    if (unit.branch_region) j["branch_region"] = std::string(to_string(*unit.branch_region));
    json stages = json::array();
    for (std::size_t s = 0; s < unit.stages.size(); ++s) {
      const Stage& st = unit.stages[s];
      const StageResult& sr = ud.stages[s];
      json progs = json::array();
      for (std::size_t p = 0; p < sr.programs.size(); ++p) {
        const ProgramStageResult& pr = sr.programs[p];
        progs.push_back({{"program", d.programs[p].id},
                         {"target", pr.target},
                         {"regular", pr.regular},
                         {"additional", pr.additional},
                         {"shortfall", pr.shortfall},
                         {"stopped_by", pr.stopped_by == StoppedBy::none
                                            ? json(nullptr)
                                            : json(std::string(to_string(pr.stopped_by)))}});
      }
      stages.push_back({{"name", st.name},
                        {"planned", st.planned},
                        {"threshold", detail::threshold_json(st.threshold)},
                        {"considered", sr.considered},
                        {"cut", decimal_or_null(sr.cut)},
                        {"floor", decimal_or_null(sr.threshold)},
                        {"passed", sr.passed},
                        {"programs", std::move(progs)}});
    }
    j["stages"] = std::move(stages);
    j["applicants"] = unit.applicants.size();
    j["exempt"] = ud.exempt ? json(*ud.exempt) : json(nullptr);
    j["hires"] = ud.hires;
    json group_hires = json::object();
    for (std::size_t p = 0; p < d.programs.size(); ++p)
      group_hires[d.programs[p].id] = ud.group_hires[p];
    j["group_hires"] = std::move(group_hires);
    units.push_back(std::move(j));
  }
  h["units"] = std::move(units);
  h["ledger_prior"] = detail::ledger_json(c.ledger);
  h["engine_version"] =
      ctx.engine_version.empty() ? std::string(engine_version()) : ctx.engine_version;
  h["input_digest"] = input_digest(c);
  h["decided_at"] = ctx.decided_at;
  return h;
}

/// The applicant's personal inputs as a passline-log/1 or /2 applicant entry holds them (and a
/// passline-log/3 opening's `inputs`).
json applicant_inputs_json(const Case& c, std::size_t u, std::size_t a) {
  const Unit& unit = c.units[u];
  const Applicant& app = unit.applicants[a];
  json j;
  j["applicant"] = app.id;
  j["education"] = c.spec == Spec::v2 ? detail::education_json_v2(app.education)
                                      : detail::education_json(app.education);
  json scores = json::array();
  for (std::size_t s = 0; s < unit.stages.size(); ++s)
    scores.push_back(s < app.scores.size() ? decimal_or_null(app.scores[s]) : json(nullptr));
  j["scores"] = std::move(scores);
  j["disqualified"] = detail::disqualified_json(unit, app.disqualified);
  j["attributes"] = c.spec == Spec::v2 ? detail::attributes_json_v2(app.attributes)
                                       : detail::attributes_json(app.attributes);
  return j;
}

/// The outputs of an applicant entry added to `j`: type, recruitment, unit, local, outcomes.
json applicant_outputs_json(const Case& c, const Decision& d, std::size_t u, std::size_t a,
                            json j) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  j["type"] = "applicant";
  j["recruitment"] = c.recruitment.id;
  j["unit"] = unit.id;
  json local = json::array();
  for (std::size_t p = 0; p < d.programs.size(); ++p)
    if (ud.local[a] & (std::uint32_t{1} << p)) local.push_back(d.programs[p].id);
  j["local"] = std::move(local);
  json outcomes = json::array();
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageOutcome& o = ud.outcome(a, s);
    json oj = {{"stage", unit.stages[s].name}, {"outcome", std::string(to_string(o.outcome))}};
    if (o.outcome == Outcome::pass_additional) oj["program"] = d.programs[o.program].id;
    outcomes.push_back(std::move(oj));
  }
  j["outcomes"] = std::move(outcomes);
  return j;
}

json applicant_json(const Case& c, const Decision& d, std::size_t u, std::size_t a) {
  return applicant_outputs_json(c, d, u, a, applicant_inputs_json(c, u, a));
}

/// out += t, the length of the literal known at compile time (no strlen per call).
template <std::size_t N>
void append_literal(std::string& out, const char (&t)[N]) {
  out.append(t, N - 1);
}

// --- applicant entries and openings written directly in canonical form (members in RFC 8785
// order): the same bytes as the general writers above (canonical() of applicant_json(), of the
// passline-log/3 entry and opening through nlohmann) at a fraction of the cost. tests compare
// them (tests/test_replay_fast.cc, tests/test_erase.cc).

/// The members "applicant", "attributes", "disqualified", "education" of applicant `a` of unit
/// `u`, as an applicant entry and an opening's inputs both begin; false, `out` unspecified, when
/// an attribute name needs the full canonicaliser's UTF-16 ordering.
bool append_inputs_head(std::string& out, const Case& c, std::size_t u, std::size_t a) {
  const bool v2 = c.spec == Spec::v2;
  const Unit& unit = c.units[u];
  const Applicant& app = unit.applicants[a];
  // Attributes: first occurrence of a name wins; names sorted bytewise (= UTF-16 order below
  // U+E000).
  thread_local std::vector<const std::pair<std::string, std::string>*> attrs;
  attrs.clear();
  for (const auto& kv : app.attributes) {
    for (unsigned char ch : kv.first)
      if (ch >= 0xEE) return false;
    bool seen = false;
    for (const auto* p : attrs) seen = seen || p->first == kv.first;
    if (!seen) attrs.push_back(&kv);
  }
  std::sort(attrs.begin(), attrs.end(), [](auto* x, auto* y) { return x->first < y->first; });

  append_literal(out, "\"applicant\":");
  detail::append_json_string(out, app.id);
  append_literal(out, ",\"attributes\":{");
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    detail::append_json_string(out, attrs[i]->first);
    out += ':';
    if (!v2) {
      detail::append_json_string(out, attrs[i]->second);
    } else if (detail::simple_attribute_json(attrs[i]->second)) {
      out += attrs[i]->second;  // quota-case/2 keeps the value's JSON text
    } else {
      return false;
    }
  }
  append_literal(out, "},\"disqualified\":[");
  bool first = true;
  for (std::size_t s = 0; s < unit.stages.size() && s < kMaxStages; ++s) {
    if (!(app.disqualified & (std::uint64_t{1} << s))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, unit.stages[s].name);
  }
  append_literal(out, "],\"education\":[");
  for (std::size_t e = 0; e < app.education.size(); ++e) {
    const EducationRecord& r = app.education[e];
    if (e) out += ',';
    if (v2) {
      append_literal(out, "{\"kind\":\"");
      out += to_string(r.kind);
      append_literal(out, "\",\"level\":\"");
    } else {
      append_literal(out, "{\"level\":\"");
    }
    out += to_string(r.level);
    append_literal(out, "\",\"region\":\"");
    out += to_string(r.region);
    append_literal(out, "\",\"status\":\"");
    out += to_string(r.status);
    out += '"';
    if (v2 && r.year) {
      append_literal(out, ",\"year\":");
      out += std::to_string(*r.year);
    }
    out += '}';
  }
  out += ']';
  return true;
}

/// The member "scores" of applicant `a` of unit `u`: one decimal string or null per stage.
void append_scores(std::string& out, const Case& c, std::size_t u, std::size_t a) {
  const Unit& unit = c.units[u];
  const Applicant& app = unit.applicants[a];
  append_literal(out, "\"scores\":[");
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    if (s) out += ',';
    if (s < app.scores.size() && app.scores[s]) {
      out += '"';
      out += app.scores[s]->to_string();
      out += '"';
    } else {
      append_literal(out, "null");
    }
  }
  out += ']';
}

/// The members "local", "log_index", "outcomes", "prev", "recruitment" of an applicant entry
/// (of any version): what the decision made of applicant `a` of unit `u`, and its place.
void append_outputs(std::string& out, const Case& c, const Decision& d, std::size_t u,
                    std::size_t a, std::uint64_t index, const std::string& prev) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  append_literal(out, "\"local\":[");
  bool first = true;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    if (!(ud.local[a] & (std::uint32_t{1} << p))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, d.programs[p].id);
  }
  append_literal(out, "],\"log_index\":");
  char digits[24];
  const auto printed = std::to_chars(digits, digits + sizeof digits, index);
  out.append(digits, printed.ptr);
  append_literal(out, ",\"outcomes\":[");
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageOutcome& o = ud.outcome(a, s);
    if (s) out += ',';
    append_literal(out, "{\"outcome\":\"");
    out += to_string(o.outcome);
    out += '"';
    if (o.outcome == Outcome::pass_additional) {
      append_literal(out, ",\"program\":");
      detail::append_json_string(out, d.programs[o.program].id);
    }
    append_literal(out, ",\"stage\":");
    detail::append_json_string(out, unit.stages[s].name);
    out += '}';
  }
  append_literal(out, "],\"prev\":\"");
  out += prev;
  append_literal(out, "\",\"recruitment\":");
  detail::append_json_string(out, c.recruitment.id);
}

/// The passline-log/1 or /2 applicant entry with log_index and prev, written over `out` (its
/// capacity kept); false, `out` unspecified, when append_inputs_head() is.
bool applicant_entry(std::string& out, const Case& c, const Decision& d, std::size_t u,
                     std::size_t a, std::uint64_t index, const std::string& prev) {
  out.clear();
  out.reserve(256 + 64 * c.units[u].stages.size());
  out += '{';
  if (!append_inputs_head(out, c, u, a)) return false;
  out += ',';
  append_outputs(out, c, d, u, a, index, prev);
  out += ',';
  append_scores(out, c, u, a);
  append_literal(out, ",\"type\":\"applicant\",\"unit\":");
  detail::append_json_string(out, c.units[u].id);
  out += '}';
  return true;
}

/// The passline-log/3 applicant entry, written over `out`: its member names are fixed ASCII
/// and its strings escaped as RFC 8785 asks, so this is canonical for any case.
void applicant_entry_v3(std::string& out, const Case& c, const Decision& d, std::size_t u,
                        std::size_t a, std::uint64_t index, const std::string& prev,
                        std::string_view commitment) {
  out.clear();
  out.reserve(256 + 64 * c.units[u].stages.size());
  append_literal(out, "{\"commitment\":\"");
  out += commitment;
  append_literal(out, "\",");
  append_outputs(out, c, d, u, a, index, prev);
  append_literal(out, ",\"type\":\"applicant\",\"unit\":");
  detail::append_json_string(out, c.units[u].id);
  out += '}';
}

/// log_opening() written directly over `out`; false when append_inputs_head() is.
bool opening_fast(std::string& out, const Case& c, std::size_t u, std::size_t a,
                  std::string_view salt) {
  out.clear();
  out.reserve(192 + 16 * c.units[u].stages.size());
  append_literal(out, "{\"inputs\":{");
  if (!append_inputs_head(out, c, u, a)) return false;
  out += ',';
  append_scores(out, c, u, a);
  append_literal(out, "},\"salt\":\"");
  out += salt;
  append_literal(out, "\"}");
  return true;
}

/// log_opening() through nlohmann and canonical(): the reference opening_fast() is tested
/// against, and the route for attribute names it does not take.
std::string opening_general(const Case& c, std::size_t u, std::size_t a, std::string_view salt) {
  json j;
  j["inputs"] = applicant_inputs_json(c, u, a);
  j["salt"] = std::string(salt);
  return canonical(j);
}

void check_decided_from(const Case& c, const Decision& d) {
  bool ok = (c.spec == Spec::v2 || d.programs.size() == c.programs.size()) &&
            d.units.size() == c.units.size();
  for (std::size_t u = 0; ok && u < c.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    ok = ud.stages.size() == c.units[u].stages.size() &&
         ud.local.size() == c.units[u].applicants.size() &&
         ud.outcomes.size() == c.units[u].applicants.size() * c.units[u].stages.size() &&
         ud.group_hires.size() == d.programs.size();
    for (std::size_t s = 0; ok && s < ud.stages.size(); ++s)
      ok = ud.stages[s].programs.size() == d.programs.size();
  }
  if (!ok) throw std::invalid_argument("log_entries: the decision was not decided from this case");
}

// --- reading back -----------------------------------------------------------------------

struct Failure {
  Error error;
};

[[noreturn]] void fail(ErrorCode code, std::size_t index, const std::string& where,
                       std::string message) {
  throw Failure{
      make_error(code, "entry " + std::to_string(index) + ": " + where, std::move(message))};
}

const json& member(const json& obj, const char* key, std::size_t index, const std::string& prefix) {
  auto it = obj.find(key);
  if (it == obj.end())
    fail("bad_log_entry", index, prefix + "." + key,
         std::string("the field '") + key + "' is missing");
  return *it;
}

const std::string& string_member(const json& obj, const char* key, std::size_t index,
                                 const std::string& prefix) {
  const json& v = member(obj, key, index, prefix);
  if (!v.is_string()) fail("bad_log_entry", index, prefix + "." + key, "expected a string");
  return v.get_ref<const std::string&>();
}

const json& typed_member(const json& obj, const char* key, std::size_t index,
                         const std::string& prefix, json::value_t type, const char* what) {
  const json& v = member(obj, key, index, prefix);
  if (v.type() != type)
    fail("bad_log_entry", index, prefix + "." + key, std::string("expected ") + what);
  return v;
}

json parse_entry(const std::string& text, std::size_t index) {
  auto canon = canonical_json(text);
  if (!canon.ok())
    fail(canon.error().code == "unsupported_number" ? "not_canonical" : canon.error().code, index,
         canon.error().path, canon.error().message);
  if (*canon != text)
    fail("not_canonical", index, "$", "the entry is not in RFC 8785 canonical form");
  json j = json::parse(text);
  if (!j.is_object()) fail("bad_log_entry", index, "$", "an entry is a JSON object");
  return j;
}

/// Maps a parse_case_json error path onto the log entry holding the value.
Error map_case_error(Error e, std::size_t header, const std::vector<std::size_t>& unit_offsets) {
  std::string where = "entry " + std::to_string(header) + ": header.";
  std::string rest = e.path;
  if (rest.starts_with("units[")) {
    const auto close = rest.find(']');
    const std::size_t u = std::stoul(rest.substr(6, close - 6));
    const std::string after = rest.substr(close + 1);
    if (after.starts_with(".applicants[") && u < unit_offsets.size()) {
      const auto close2 = after.find(']');
      const std::size_t a = std::stoul(after.substr(12, close2 - 12));
      e.path = "entry " + std::to_string(header + 1 + unit_offsets[u] + a) + ": applicant" +
               after.substr(close2 + 1);
      return e;
    }
  } else if (rest.starts_with("recruitment.announced")) {
    rest = "announced";
  } else if (rest.starts_with("recruitment.id")) {
    rest = "recruitment";
  } else if (rest.starts_with("ledger.prior")) {
    rest = "ledger_prior" + rest.substr(12);
  }
  e.path = where + rest;
  return e;
}

/// entries[k] for a LoggedRecruitment: moved out when the caller gave the entries up
/// (`movable`, the same vector), copied otherwise.
std::string take(const std::vector<std::string>& entries, std::size_t k,
                 std::vector<std::string>* movable) {
  return movable ? std::move((*movable)[k]) : entries[k];
}

/// Reads the applicant entries of one unit (`count` of them, from entries[i]) into the case
/// form of SPEC §6, checking that each names the recruitment and the unit.
json read_applicants(const std::vector<std::string>& entries, std::size_t& i,
                     std::size_t first_index, std::size_t h, const std::string& recruitment,
                     const std::string& unit_id, const std::vector<std::string>& stage_names,
                     std::uint64_t count, const std::string& uw, LoggedRecruitment& out,
                     std::vector<std::string>* movable, const OpeningSource* openings) {
  json case_applicants = json::array();
  for (std::uint64_t a = 0; a < count; ++a) {
    if (i >= entries.size())
      fail("truncated_log", h, uw + ".applicants",
           "the header announces " + std::to_string(count) + " applicants in unit " + unit_id +
               " but the log ends after " + std::to_string(a));
    const std::size_t e = first_index + i;
    json app = parse_entry(entries[i], e);
    const std::string ap = "applicant";
    if (out.context.salts) {
      // passline-log/3: the inputs are the opening's, the entry holds their commitment.
      const std::string& commitment = string_member(app, "commitment", e, ap);
      if (!is_salt(commitment))  // the same form: 64 lower-case hex digits
        fail("bad_log_entry", e, ap + ".commitment", "expected 64 lower-case hex digits");
      for (const char* key : {"applicant", "education", "scores", "disqualified", "attributes"})
        if (app.contains(key))
          fail("bad_log_entry", e, ap + "." + key,
               "a passline-log/3 entry holds its inputs in the opening, not in the log");
      std::optional<std::string> opening;
      if (openings && *openings) opening = (*openings)(e);
      if (!opening) {
        out.erased = true;
        if (string_member(app, "recruitment", e, ap) != recruitment)
          fail("bad_log_entry", e, ap + ".recruitment",
               "expected recruitment \"" + recruitment + "\"");
        if (string_member(app, "unit", e, ap) != unit_id)
          fail("bad_log_entry", e, ap + ".unit", "expected unit \"" + unit_id + "\"");
        out.entries.push_back(take(entries, i, movable));
        ++i;
        continue;
      }
      auto canon = canonical_json(*opening);
      if (!canon.ok() || *canon != *opening)
        fail("bad_opening", e, "opening", "the opening is not RFC 8785 canonical JSON");
      const json o = json::parse(*opening);
      if (!o.is_object() || o.size() != 2 || !o.contains("inputs") || !o["inputs"].is_object() ||
          !o.contains("salt") || !o["salt"].is_string() ||
          !is_salt(o["salt"].get_ref<const std::string&>()))
        fail("bad_opening", e, "opening",
             "an opening is {\"inputs\": {...}, \"salt\": 64 lower-case hex digits}");
      for (const auto& [key, value] : o["inputs"].items()) {
        if (key != "applicant" && key != "attributes" && key != "disqualified" &&
            key != "education" && key != "scores")
          fail("bad_opening", e, "opening.inputs." + key, "an opening holds inputs only");
        app[key] = value;
      }
      out.context.salts->push_back(o["salt"].get<std::string>());
    }
    if (string_member(app, "type", e, ap) != "applicant")
      fail("bad_log_entry", e, ap + ".type",
           "expected applicant " + std::to_string(a + 1) + " of " + std::to_string(count) +
               " in unit " + unit_id + " of the header at entry " + std::to_string(h));
    if (string_member(app, "recruitment", e, ap) != recruitment)
      fail("bad_log_entry", e, ap + ".recruitment", "expected recruitment \"" + recruitment + "\"");
    if (string_member(app, "unit", e, ap) != unit_id)
      fail("bad_log_entry", e, ap + ".unit", "expected unit \"" + unit_id + "\"");
    const json& scores = typed_member(app, "scores", e, ap, json::value_t::array, "an array");
    if (scores.size() != stage_names.size())
      fail("bad_log_entry", e, ap + ".scores",
           "expected one score per stage (" + std::to_string(stage_names.size()) + ")");
    json case_scores = json::object();
    for (std::size_t s = 0; s < scores.size(); ++s) {
      if (!scores[s].is_null() &&
          (!scores[s].is_string() || !Decimal::parse(scores[s].get_ref<const std::string&>())))
        fail("bad_decimal", e, detail::path(ap + ".scores", s),
             "expected a decimal string such as \"80.5\", or null");
      case_scores[stage_names[s]] = scores[s];
    }
    case_applicants.push_back({{"id", string_member(app, "applicant", e, ap)},
                               {"education", member(app, "education", e, ap)},
                               {"scores", std::move(case_scores)},
                               {"disqualified", member(app, "disqualified", e, ap)},
                               {"attributes", member(app, "attributes", e, ap)}});
    out.entries.push_back(take(entries, i, movable));
    ++i;
  }
  return case_applicants;
}

// --- the fast reader of applicant entries ------------------------------------------------
//
// An applicant entry as log_entries() writes it for a quota-case/1 recruitment, read without
// building a JSON tree: the members in their canonical order, strings without escapes. It
// accepts only text that is RFC 8785 canonical and that the general reader above would turn into
// the same Applicant; anything else (an escape, an attribute that is a number, a member too many
// or missing, an unknown region, a bad id or decimal, ...) makes the whole recruitment go through
// the general reader, which gives the answer (and the error) it always gave.

/// A cursor over one entry's bytes. Every method returns false, consuming nothing useful, when
/// the text is not of the expected simple form.
class EntryScanner {
 public:
  explicit EntryScanner(std::string_view s) : s_(s) {}

  /// The literal `t` (its length known at compile time) at the cursor.
  template <std::size_t N>
  bool lit(const char (&t)[N]) {
    constexpr std::size_t n = N - 1;
    if (s_.size() - i_ < n || std::memcmp(s_.data() + i_, t, n) != 0) return false;
    i_ += n;
    return true;
  }
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool at_end() const { return i_ == s_.size(); }

  /// A string token with no escape and no control character, its bytes well-formed UTF-8:
  /// canonical as it stands, and its value is its bytes.
  bool str(std::string_view& out) {
    if (!peek('"')) return false;
    const std::size_t start = ++i_;
    bool high = false;
    for (; i_ < s_.size(); ++i_) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return false;
      high = high || c >= 0x80;
    }
    if (i_ >= s_.size()) return false;
    out = s_.substr(start, i_ - start);
    ++i_;
    return !high || detail::well_formed_utf8(out);
  }
  /// A non-negative integer in canonical form (no leading zero), at most 15 digits.
  bool uint(std::string_view* digits = nullptr) {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    const std::size_t n = i_ - start;
    if (digits) *digits = s_.substr(start, n);
    return n >= 1 && n <= 15 && (n == 1 || s_[start] != '0');
  }
  /// `[` item (`,` item)* `]` or `[]`, calling `item` for each.
  template <class F>
  bool array(F&& item) {
    if (!lit("[")) return false;
    if (lit("]")) return true;
    do {
      if (!item()) return false;
    } while (lit(","));
    return lit("]");
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

/// The index of the stage of `unit` named `name` in `s`; false when there is none.
bool stage_of(const Unit& unit, std::string_view name, std::size_t& s) {
  for (s = 0; s < unit.stages.size(); ++s)
    if (unit.stages[s].name == name) return true;
  return false;
}

/// The members "applicant", "attributes", "disqualified", "education" (append_inputs_head()'s)
/// at the cursor, read into `out` as quota-case/1 or (v2) quota-case/2 reads them.
bool scan_inputs_head(EntryScanner& in, const Unit& unit, bool v2, Applicant& out) {
  std::string_view v, k;
  if (!in.lit("\"applicant\":") || !in.str(v) || id_problem(v)) return false;
  out.id.assign(v);
  if (!in.lit(",\"attributes\":{")) return false;
  if (!in.lit("}")) {
    std::string_view last;
    do {
      if (!in.str(k) || !in.lit(":")) return false;
      std::string value;
      if (!v2) {
        if (!in.str(v)) return false;
        value.assign(v);
      } else if (in.peek('"')) {  // quota-case/2 keeps the value's JSON text
        if (!in.str(v)) return false;
        value.reserve(v.size() + 2);
        value += '"';
        value += v;
        value += '"';
      } else if (in.lit("true")) {
        value = "true";
      } else if (in.lit("false")) {
        value = "false";
      } else {
        std::string_view digits;
        if (!in.uint(&digits)) return false;
        value.assign(digits);
      }
      // Names ascending bytewise with no byte from 0xEE up: then the UTF-16 order RFC 8785
      // asks for and the bytewise order the general reader's JSON object keeps are one order.
      for (unsigned char ch : k)
        if (ch >= 0xEE) return false;
      if (!out.attributes.empty() && !(last < k)) return false;
      out.attributes.emplace_back(std::string(k), std::move(value));
      last = k;
    } while (in.lit(","));
    if (!in.lit("}")) return false;
  }
  if (!in.lit(",\"disqualified\":")) return false;
  if (!in.array([&] {
        std::size_t s = 0;
        if (!in.str(v) || !stage_of(unit, v, s)) return false;
        out.disqualified |= std::uint64_t{1} << s;
        return true;
      }))
    return false;
  if (!in.lit(",\"education\":")) return false;
  return in.array([&] {
    EducationRecord r;
    if (v2) {
      if (!in.lit("{\"kind\":") || !in.str(v)) return false;
      const auto kind = parse_education_kind(v);
      if (!kind || !in.lit(",\"level\":") || !in.str(v)) return false;
      r.kind = *kind;
    } else if (!in.lit("{\"level\":") || !in.str(v)) {
      return false;
    }
    const auto level = parse_education_level(v);
    if (!level || !in.lit(",\"region\":") || !in.str(v)) return false;
    const auto region = v2 ? parse_region(v) : parse_region_v1(v);
    if (!region || !in.lit(",\"status\":") || !in.str(v)) return false;
    const auto status = parse_education_status(v);
    if (!status) return false;
    if (v2 && in.lit(",\"year\":")) {
      std::string_view digits;
      if (!in.uint(&digits) || digits.size() != 4 || digits < "1900") return false;
      r.year = std::stoi(std::string(digits));
    }
    if (!in.lit("}")) return false;
    r.level = *level;
    r.region = *region;
    r.status = *status;
    out.education.push_back(r);
    return true;
  });
}

/// The member "scores" at the cursor: one decimal string or null per stage of `unit`.
bool scan_scores(EntryScanner& in, const Unit& unit, Applicant& out) {
  std::string_view v;
  if (!in.lit("\"scores\":")) return false;
  out.scores.clear();
  out.scores.reserve(unit.stages.size());
  if (!in.array([&] {
        if (in.lit("null")) {
          out.scores.emplace_back();
          return true;
        }
        if (!in.str(v)) return false;
        auto d = Decimal::parse(v);
        if (!d) return false;
        out.scores.emplace_back(std::move(*d));
        return true;
      }))
    return false;
  return out.scores.size() == unit.stages.size();
}

/// The members "local" to "recruitment" (append_outputs()'s) at the cursor, of the form they
/// are written in, the recruitment being `recruitment`. Replay compares them with what it
/// writes again; here they are only checked for form.
bool scan_outputs(EntryScanner& in, std::string_view recruitment) {
  std::string_view v;
  if (!in.lit("\"local\":") || !in.array([&] { return in.str(v); })) return false;
  if (!in.lit(",\"log_index\":") || !in.uint()) return false;
  if (!in.lit(",\"outcomes\":")) return false;
  if (!in.array([&] {
        if (!in.lit("{\"outcome\":") || !in.str(v)) return false;
        if (in.lit(",\"program\":") && !in.str(v)) return false;
        return in.lit(",\"stage\":") && in.str(v) && in.lit("}");
      }))
    return false;
  if (!in.lit(",\"prev\":") || !in.str(v)) return false;
  return in.lit(",\"recruitment\":") && in.str(v) && v == recruitment;
}

/// `,"type":"applicant","unit":` the unit's id `}`, ending the entry.
bool scan_entry_end(EntryScanner& in, const Unit& unit) {
  std::string_view v;
  return in.lit(",\"type\":\"applicant\",\"unit\":") && in.str(v) && v == unit.id && in.lit("}") &&
         in.at_end();
}

/// Reads the passline-log/1 or /2 applicant entry `text` of unit `unit` (its stages known,
/// their names distinct) in recruitment `recruitment` into `out`, as quota-case/1 or (v2)
/// quota-case/2 reads it; false when the entry is not of the simple form described above.
bool scan_applicant(std::string_view text, std::string_view recruitment, const Unit& unit, bool v2,
                    Applicant& out) {
  EntryScanner in(text);
  return in.lit("{") && scan_inputs_head(in, unit, v2, out) && in.lit(",") &&
         scan_outputs(in, recruitment) && in.lit(",") && scan_scores(in, unit, out) &&
         scan_entry_end(in, unit);
}

/// A passline-log/3 applicant entry `text` (its commitment and outputs) of the simple form.
bool scan_applicant_v3(std::string_view text, std::string_view recruitment, const Unit& unit) {
  EntryScanner in(text);
  std::string_view v;
  return in.lit("{\"commitment\":") && in.str(v) && is_salt(v) && in.lit(",") &&
         scan_outputs(in, recruitment) && scan_entry_end(in, unit);
}

/// A passline-log/3 opening of the simple form (opening_fast()'s) read into `out`, its salt
/// into `salt`.
bool scan_opening(std::string_view text, const Unit& unit, bool v2, Applicant& out,
                  std::string& salt) {
  EntryScanner in(text);
  std::string_view v;
  if (!in.lit("{\"inputs\":{") || !scan_inputs_head(in, unit, v2, out) || !in.lit(",") ||
      !scan_scores(in, unit, out) || !in.lit("},\"salt\":") || !in.str(v) || !is_salt(v) ||
      !in.lit("}") || !in.at_end())
    return false;
  salt.assign(v);
  return true;
}

/// What a quota-case/1 header says of one unit: the unit of the case without its applicants,
/// and how many applicant entries follow for it.
struct UnitHead {
  json doc;  ///< id, field, planned, exemptions, requires_experience, min_degree?,
             ///< branch_region?, stages [{name, planned, threshold}]
  std::string id;
  std::vector<std::string> stage_names;
  std::uint64_t count = 0;
};

UnitHead unit_head_v1(const json& unit, std::size_t h, const std::string& uw) {
  if (!unit.is_object()) fail("bad_log_entry", h, uw, "expected an object");
  UnitHead head;
  json& cu = head.doc;
  for (const char* key : {"id", "field", "planned", "exemptions", "requires_experience"})
    cu[key] = member(unit, key, h, uw);
  for (const char* key : {"min_degree", "branch_region"})
    if (unit.contains(key)) cu[key] = unit[key];
  const json& stages = typed_member(unit, "stages", h, uw, json::value_t::array, "an array");
  json case_stages = json::array();
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::string sw = detail::path(uw + ".stages", s);
    if (!stages[s].is_object()) fail("bad_log_entry", h, sw, "expected an object");
    case_stages.push_back({{"name", string_member(stages[s], "name", h, sw)},
                           {"planned", member(stages[s], "planned", h, sw)},
                           {"threshold", member(stages[s], "threshold", h, sw)}});
  }
  head.id = string_member(unit, "id", h, uw);
  const json& count_json = member(unit, "applicants", h, uw);
  if (!count_json.is_number_unsigned())
    fail("bad_log_entry", h, uw + ".applicants", "expected the number of applicants");
  head.count = count_json.get<std::uint64_t>();
  for (const json& st : case_stages) head.stage_names.push_back(st["name"].get<std::string>());
  cu["stages"] = std::move(case_stages);
  return head;
}

/// A passline-log/3 recruitment some of whose openings are gone: its id and entries only.
LoggedRecruitment erased(LoggedRecruitment out, const std::string& recruitment) {
  out.input = Case{};
  out.input.recruitment.id = recruitment;
  out.context.salts->clear();
  return out;
}

/// Every unit's applicants scanned from entries[k...] into `input` (counts[u] of unit u), k
/// left after the last; false when a stage name repeats or an entry is not in the fast form.
/// passline-log/3 (out.context.salts set): each applicant's inputs from its opening in
/// `openings` (by absolute index, first_index + k), its salt appended to out.context.salts; a
/// missing opening sets out.erased.
bool scan_units(const std::vector<std::string>& entries, std::size_t& k, std::size_t first_index,
                const std::string& recruitment, const std::vector<std::uint64_t>& counts, bool v2,
                const OpeningSource* openings, Case& input, LoggedRecruitment& out) {
  const bool v3 = out.context.salts.has_value();
  std::string salt;
  for (std::size_t u = 0; u < input.units.size(); ++u) {
    Unit& unit = input.units[u];
    for (std::size_t s = 0; s < unit.stages.size(); ++s)
      for (std::size_t t = 0; t < s; ++t)
        if (unit.stages[s].name == unit.stages[t].name) return false;
    unit.applicants.resize(counts[u]);
    for (Applicant& a : unit.applicants) {
      const std::string& text = entries[k++];
      if (!v3) {
        if (!scan_applicant(text, recruitment, unit, v2, a)) return false;
        continue;
      }
      if (!scan_applicant_v3(text, recruitment, unit)) return false;
      std::optional<std::string> opening;
      if (openings && *openings) opening = (*openings)(first_index + k - 1);
      if (!opening) {
        out.erased = true;
        continue;
      }
      if (!scan_opening(*opening, unit, v2, a, salt)) return false;
      out.context.salts->push_back(salt);
    }
  }
  return true;
}

/// The fast route for a quota-case/1 recruitment whose header is entries[i] (already read into
/// `doc` without its units, and `out`): the case without applicants parsed once from the
/// header, then every applicant entry read by scan_applicant() straight into it. nullopt, with
/// `i` and `out` untouched, when anything is not of the simple form (the general reader then
/// reads the recruitment and reports what it always reported). On success advances `i` past
/// the recruitment.
std::optional<LoggedRecruitment> read_applicants_fast_v1(const std::vector<std::string>& entries,
                                                         std::size_t& i, std::size_t first_index,
                                                         const std::string& recruitment,
                                                         const json& doc, const json& units,
                                                         const LoggedRecruitment& out,
                                                         std::vector<std::string>* movable,
                                                         const OpeningSource* openings) {
  const std::size_t h = first_index + i;
  std::vector<std::uint64_t> counts;
  std::uint64_t total = 0;
  json head_doc = doc;
  try {
    json case_units = json::array();
    for (std::size_t u = 0; u < units.size(); ++u) {
      UnitHead head = unit_head_v1(units[u], h, detail::path("header.units", u));
      counts.push_back(head.count);
      total += head.count;
      head.doc["applicants"] = json::array();
      case_units.push_back(std::move(head.doc));
    }
    head_doc["units"] = std::move(case_units);
  } catch (const Failure&) {
    return std::nullopt;
  }
  if (total > entries.size() - i - 1) return std::nullopt;  // truncated: the general reader says so
  auto c = parse_case_json(head_doc.dump());
  if (!c.ok() || c->spec != Spec::v1 || c->units.size() != counts.size() ||
      c->programs.size() != out.pack_digests.size())
    return std::nullopt;
  Case input = std::move(c).value();
  std::size_t k = i + 1;
  LoggedRecruitment done = out;
  if (!scan_units(entries, k, first_index, recruitment, counts, false, openings, input, done))
    return std::nullopt;
  done.input = std::move(input);
  done.entries.reserve(k - i);
  for (std::size_t e = i; e < k; ++e) done.entries.push_back(take(entries, e, movable));
  i = k;
  if (done.erased) return erased(std::move(done), recruitment);
  return done;
}

/// The fast route for a passline-log/2 recruitment whose header is entries[i], read into
/// `header` (and `out`): as read_applicants_fast_v1(), with the header's `input` as the case.
std::optional<LoggedRecruitment> read_applicants_fast_v2(const std::vector<std::string>& entries,
                                                         std::size_t& i, std::size_t first_index,
                                                         const json& header,
                                                         const LoggedRecruitment& out,
                                                         std::vector<std::string>* movable,
                                                         const OpeningSource* openings) {
  const std::size_t h = out.header_index;
  const std::string p = "header";
  LoggedRecruitment done = out;
  std::vector<std::uint64_t> counts;
  std::uint64_t total = 0;
  std::string recruitment;
  json doc;
  try {
    recruitment = string_member(header, "recruitment", h, p);
    doc = typed_member(header, "input", h, p, json::value_t::object, "an object");
    const json& programs = typed_member(header, "programs", h, p, json::value_t::array, "an array");
    for (std::size_t k = 0; k < programs.size(); ++k) {
      if (!programs[k].is_object()) return std::nullopt;
      const json& digest = member(programs[k], "digest", h, p);
      if (digest.is_string()) done.pack_digests.push_back(digest.get<std::string>());
    }
    const json& units = typed_member(header, "units", h, p, json::value_t::array, "an array");
    if (!doc.contains("units") || !doc["units"].is_array() || doc["units"].size() != units.size())
      return std::nullopt;
    for (std::size_t u = 0; u < units.size(); ++u) {
      json& unit = doc["units"][u];
      if (!unit.is_object() || !units[u].is_object()) return std::nullopt;
      const json& count_json = member(units[u], "applicants", h, p);
      if (!count_json.is_number_unsigned()) return std::nullopt;
      counts.push_back(count_json.get<std::uint64_t>());
      total += counts.back();
      unit["applicants"] = json::array();
    }
  } catch (const Failure&) {
    return std::nullopt;
  }
  if (total > entries.size() - i - 1) return std::nullopt;
  auto c = parse_case_json(doc.dump());
  if (!c.ok() || c->spec != Spec::v2 || c->units.size() != counts.size()) return std::nullopt;
  Case input = std::move(c).value();
  std::size_t k = i + 1;
  if (!scan_units(entries, k, first_index, recruitment, counts, true, openings, input, done))
    return std::nullopt;
  done.input = std::move(input);
  done.entries.reserve(k - i);
  for (std::size_t e = i; e < k; ++e) done.entries.push_back(take(entries, e, movable));
  i = k;
  if (done.erased) return erased(std::move(done), recruitment);
  return done;
}

/// passline-log/2: the header's `input` with each unit's applicants rebuilt from the entries.
LoggedRecruitment read_one_v2(const std::vector<std::string>& entries, std::size_t& i,
                              std::size_t first_index, const json& header, LoggedRecruitment out,
                              std::vector<std::string>* movable, bool fast,
                              const OpeningSource* openings) {
  if (fast)
    if (auto done =
            read_applicants_fast_v2(entries, i, first_index, header, out, movable, openings))
      return std::move(*done);
  const std::size_t h = out.header_index;
  const std::string p = "header";
  const std::string& recruitment = string_member(header, "recruitment", h, p);
  json doc = typed_member(header, "input", h, p, json::value_t::object, "an object");
  const json& programs = typed_member(header, "programs", h, p, json::value_t::array, "an array");
  for (std::size_t k = 0; k < programs.size(); ++k) {
    const std::string w = detail::path(p + ".programs", k);
    if (!programs[k].is_object()) fail("bad_log_entry", h, w, "expected an object");
    const json& digest = member(programs[k], "digest", h, w);
    if (digest.is_string()) out.pack_digests.push_back(digest.get<std::string>());
  }
  const json& units = typed_member(header, "units", h, p, json::value_t::array, "an array");
  if (!doc.contains("units") || !doc["units"].is_array() || doc["units"].size() != units.size())
    fail("bad_log_entry", h, p + ".input.units", "expected one input unit per logged unit");
  out.entries.push_back(take(entries, i, movable));
  ++i;
  std::vector<std::size_t> unit_offsets;
  std::size_t offset = 0;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const std::string uw = detail::path(p + ".units", u);
    json& unit = doc["units"][u];
    if (!unit.is_object() || !units[u].is_object())
      fail("bad_log_entry", h, uw, "expected an object");
    const std::string& unit_id = string_member(unit, "id", h, uw);
    std::vector<std::string> stage_names;
    const json& stages = typed_member(unit, "stages", h, uw, json::value_t::array, "an array");
    for (std::size_t s = 0; s < stages.size(); ++s)
      stage_names.push_back(string_member(stages[s], "name", h, detail::path(uw + ".stages", s)));
    const json& count_json = member(units[u], "applicants", h, uw);
    if (!count_json.is_number_unsigned())
      fail("bad_log_entry", h, uw + ".applicants", "expected the number of applicants");
    const auto count = count_json.get<std::uint64_t>();
    unit_offsets.push_back(offset);
    unit["applicants"] = read_applicants(entries, i, first_index, h, recruitment, unit_id,
                                         stage_names, count, uw, out, movable, openings);
    offset += count;
  }
  if (out.erased) return erased(std::move(out), recruitment);
  auto c = parse_case_json(doc.dump());
  if (!c.ok()) throw Failure{map_case_error(std::move(c).error(), h, unit_offsets)};
  if (c->spec != Spec::v2)
    fail("bad_log_entry", h, p + ".input.format", "a passline-log/2 header holds a quota-case/2");
  out.input = std::move(c).value();
  return out;
}

/// Reads the recruitment whose header is entries[i]; returns it and advances i past it.
LoggedRecruitment read_one(const std::vector<std::string>& entries, std::size_t& i,
                           std::size_t first_index, std::vector<std::string>* movable, bool fast,
                           const OpeningSource* openings) {
  const std::size_t h = first_index + i;
  const json header = parse_entry(entries[i], h);
  const std::string p = "header";
  if (string_member(header, "type", h, p) != "recruitment")
    fail("bad_log_entry", h, p + ".type", "expected a recruitment header here");
  const std::string& format = string_member(header, "format", h, p);
  if (format != kLogFormat && format != kLogFormatV2 && format != kLogFormatV3)
    fail("unsupported_format", h, p + ".format",
         "expected \"" + std::string(kLogFormat) + "\", \"" + std::string(kLogFormatV2) +
             "\" or \"" + std::string(kLogFormatV3) + "\"");

  LoggedRecruitment out;
  out.header_index = h;
  out.context.decided_at = string_member(header, "decided_at", h, p);
  out.context.prev = string_member(header, "prev", h, p);
  if (!member(header, "log_index", h, p).is_number_unsigned())
    fail("bad_log_entry", h, p + ".log_index", "expected the entry's index in the log");
  out.context.log_index = header["log_index"].get<std::uint64_t>();
  if (header.contains("supersedes"))
    out.context.supersedes = string_member(header, "supersedes", h, p);
  out.engine_version = string_member(header, "engine_version", h, p);
  out.context.engine_version = out.engine_version;
  const std::string& recruitment = string_member(header, "recruitment", h, p);
  if (format == kLogFormatV3) {
    out.context.salts.emplace();
    if (header.contains("input_digest"))
      fail("bad_log_entry", h, p + ".input_digest",
           "a passline-log/3 header holds no digest of the applicants' inputs");
  }
  // passline-log/3 has the /2 header for a quota-case/2 (it holds `input`), the /1 otherwise.
  if (format == kLogFormatV2 || (format == kLogFormatV3 && header.contains("input")))
    return read_one_v2(entries, i, first_index, header, std::move(out), movable, fast, openings);

  json doc;
  doc["format"] = "quota-case/1";
  doc["agency"] = typed_member(header, "agency", h, p, json::value_t::object, "an object");
  doc["recruitment"] = {{"id", recruitment},
                        {"announced", string_member(header, "announced", h, p)}};
  const json& programs = typed_member(header, "programs", h, p, json::value_t::array, "an array");
  json case_programs = json::array();
  for (std::size_t k = 0; k < programs.size(); ++k) {
    const std::string w = detail::path(p + ".programs", k);
    if (!programs[k].is_object()) fail("bad_log_entry", h, w, "expected an object");
    if (programs[k].contains("pack_digest")) {
      case_programs.push_back(string_member(programs[k], "id", h, w));
      out.pack_digests.push_back(string_member(programs[k], "pack_digest", h, w));
    } else {
      case_programs.push_back(programs[k]);
      out.pack_digests.emplace_back();
    }
  }
  doc["programs"] = std::move(case_programs);
  doc["ledger"] = {
      {"prior", typed_member(header, "ledger_prior", h, p, json::value_t::array, "an array")}};

  const json& units = typed_member(header, "units", h, p, json::value_t::array, "an array");
  if (auto done = !fast ? std::nullopt
                        : read_applicants_fast_v1(entries, i, first_index, recruitment, doc, units,
                                                  out, movable, openings))
    return std::move(*done);
  json case_units = json::array();
  std::vector<std::size_t> unit_offsets;
  out.entries.push_back(take(entries, i, movable));
  ++i;
  std::size_t offset = 0;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const std::string uw = detail::path(p + ".units", u);
    UnitHead head = unit_head_v1(units[u], h, uw);
    unit_offsets.push_back(offset);
    json case_applicants =
        read_applicants(entries, i, first_index, h, recruitment, head.id, head.stage_names,
                        head.count, uw, out, movable, openings);
    offset += head.count;
    head.doc["applicants"] = std::move(case_applicants);
    case_units.push_back(std::move(head.doc));
  }
  doc["units"] = std::move(case_units);
  if (out.erased) return erased(std::move(out), recruitment);

  auto c = parse_case_json(doc.dump());
  if (!c.ok()) throw Failure{map_case_error(std::move(c).error(), h, unit_offsets)};
  out.input = std::move(c).value();
  if (out.input.programs.size() != out.pack_digests.size())
    fail("bad_log_entry", h, p + ".programs", "the programs could not be rebuilt");
  return out;
}

}  // namespace

namespace {

/// `h` as 64 lowercase hex digits over `out` (the chain's `prev`, without an allocation).
void hex_over(std::string& out, const Hash& h) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.resize(2 * h.size());
  for (std::size_t k = 0; k < h.size(); ++k) {
    out[2 * k] = kHex[h[k] >> 4];
    out[2 * k + 1] = kHex[h[k] & 0x0f];
  }
}

/// log_entries() for any receiver: `emit(std::string& entry)` sees each entry in log order and
/// may move it away (the next entry is written into a fresh or the same buffer).
/// `fast` false: every applicant entry through the general writer (detail::log_entries_general).
template <class Emit>
void emit_log_entries(const Case& c, const Decision& d, const LogContext& ctx, Emit&& emit,
                      bool fast = true) {
  check_decided_from(c, d);
  std::uint64_t index = ctx.log_index;
  std::string prev = ctx.prev;
  auto chain = [&](json j) {
    j["log_index"] = index++;
    j["prev"] = prev;
    std::string text = canonical(j);
    hex_over(prev, leaf_hash(text));
    emit(text);
  };
  if (ctx.salts) {
    std::size_t total = 0;
    for (const Unit& unit : c.units) total += unit.applicants.size();
    if (ctx.salts->size() != total)
      throw std::invalid_argument("log_entries: one salt per applicant is needed");
    for (const std::string& salt : *ctx.salts)
      if (!is_salt(salt)) throw std::invalid_argument("log_entries: a salt is 64 hex digits");
  }
  chain(header_json(c, d, ctx));
  std::string text, opening;
  std::size_t k = 0;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    for (std::size_t a = 0; a < c.units[u].applicants.size(); ++a, ++k) {
      if (ctx.salts) {
        // passline-log/3: the outputs in clear, the inputs as a commitment to their opening.
        const std::string& salt = (*ctx.salts)[k];
        if (!fast || !opening_fast(opening, c, u, a, salt))
          opening = opening_general(c, u, a, salt);
        if (fast) {
          applicant_entry_v3(text, c, d, u, a, index, prev, opening_commitment(opening));
          ++index;
          hex_over(prev, leaf_hash(text));
          emit(text);
        } else {
          json j;
          j["commitment"] = opening_commitment(opening);
          chain(applicant_outputs_json(c, d, u, a, std::move(j)));
        }
      } else if (fast && applicant_entry(text, c, d, u, a, index, prev)) {
        ++index;
        hex_over(prev, leaf_hash(text));
        emit(text);
      } else {
        chain(applicant_json(c, d, u, a));
      }
    }
  }
}

}  // namespace

bool is_salt(std::string_view salt) noexcept {
  if (salt.size() != 64) return false;
  // One pass without early exits (the compiler vectorises it): replay checks three per applicant.
  bool ok = true;
  for (const char ch : salt) ok &= (ch >= '0' && ch <= '9') | (ch >= 'a' && ch <= 'f');
  return ok;
}

std::string log_opening(const Case& c, std::size_t u, std::size_t a, std::string_view salt) {
  if (!is_salt(salt))
    throw std::invalid_argument("log_opening: a salt is 64 lower-case hex digits");
  std::string out;
  if (opening_fast(out, c, u, a, salt)) return out;
  return opening_general(c, u, a, salt);
}

std::string opening_commitment(std::string_view opening) {
  detail::Sha256Stream digest;
  digest.update(kCommitmentScheme);
  digest.update(std::string_view("\0", 1));
  digest.update(opening);
  return digest.hex();
}

void log_entries(const Case& c, const Decision& d, const LogContext& ctx,
                 const LogEntrySink& sink) {
  emit_log_entries(c, d, ctx, [&](std::string& entry) { sink(std::move(entry)); });
}

std::vector<std::string> log_entries(const Case& c, const Decision& d, const LogContext& ctx) {
  std::vector<std::string> out;
  std::size_t total = 1;
  for (const Unit& u : c.units) total += u.applicants.size();
  out.reserve(total);
  log_entries(c, d, ctx, [&](std::string&& e) { out.push_back(std::move(e)); });
  return out;
}

namespace {

Result<std::vector<LoggedRecruitment>> read_all(const std::vector<std::string>& entries,
                                                std::size_t first_index,
                                                std::vector<std::string>* movable, bool fast,
                                                const OpeningSource* openings) {
  std::vector<LoggedRecruitment> out;
  try {
    std::size_t i = 0;
    while (i < entries.size())
      out.push_back(read_one(entries, i, first_index, movable, fast, openings));
  } catch (const Failure& f) {
    return f.error;
  } catch (const json::exception& e) {
    return make_error("bad_log_entry", "entry ?",
                      e.what());  // not reached: entries are checked first
  }
  return out;
}

}  // namespace

std::vector<std::string> detail::log_entries_general(const Case& c, const Decision& d,
                                                     const LogContext& ctx) {
  std::vector<std::string> out;
  emit_log_entries(
      c, d, ctx, [&](std::string& entry) { out.push_back(std::move(entry)); }, false);
  return out;
}

Result<std::vector<LoggedRecruitment>> detail::read_log_entries_general(
    const std::vector<std::string>& entries, std::size_t first_index,
    const OpeningSource& openings) {
  return read_all(entries, first_index, nullptr, false, &openings);
}

Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index) {
  return read_all(entries, first_index, nullptr, true, nullptr);
}

Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index,
                                                        const OpeningSource& openings) {
  return read_all(entries, first_index, nullptr, true, &openings);
}

Result<std::vector<LoggedRecruitment>> read_log_entries(std::vector<std::string>&& entries,
                                                        std::size_t first_index,
                                                        const OpeningSource& openings) {
  auto out = read_all(entries, first_index, &entries, true, &openings);
  std::vector<std::string>().swap(entries);
  return out;
}

Result<RuleRegistry> logged_rules(const LoggedRecruitment& r, const RuleRegistry& rules) {
  const std::string at = "entry " + std::to_string(r.header_index) + ": ";
  RuleRegistry chosen;
  chosen.set_regions(rules.regions());
  for (std::size_t p = 0; r.input.spec == Spec::v2 && p < r.pack_digests.size(); ++p) {
    // quota-case/2: the packs named by digest; the law binds again from the logged facts.
    const RulePack* pack = rules.find_by_digest(r.pack_digests[p]);
    if (!pack)
      return make_error("unknown_rule_digest", at + "header.programs",
                        "no rule pack with digest " + r.pack_digests[p] +
                            " is known: the rules this decision used are not available");
    if (!chosen.find_by_digest(pack->digest))
      if (auto added = chosen.add(*pack); !added.ok())
        return make_error("unknown_rule_digest", at + "header.programs",
                          "two versions of '" + pack->id + "' are named in one recruitment");
  }
  for (std::size_t p = 0;
       r.input.spec == Spec::v1 && p < r.pack_digests.size() && p < r.input.programs.size(); ++p) {
    const std::string& digest = r.pack_digests[p];
    if (digest.empty()) continue;
    const auto& id = std::get<std::string>(r.input.programs[p]);
    const RulePack* pack = rules.find_by_digest(digest);
    if (!pack || pack->id != id)
      return make_error("unknown_rule_digest",
                        at + detail::path("header.programs", p) + ".pack_digest",
                        "no rule pack '" + id + "' with digest " + digest +
                            " is known: the rules this decision used are not available");
    if (chosen.find_by_digest(digest)) continue;
    if (auto added = chosen.add(*pack); !added.ok())
      return make_error("unknown_rule_digest",
                        at + detail::path("header.programs", p) + ".pack_digest",
                        "two versions of '" + id + "' are named in one recruitment");
  }
  return chosen;
}

ReplayResult replay(const LoggedRecruitment& r, const RuleRegistry& rules) {
  ReplayResult result;
  if (r.erased) {
    result.erased = true;
    return result;
  }
  const std::string at = "entry " + std::to_string(r.header_index) + ": ";
  auto logged = logged_rules(r, rules);
  if (!logged.ok()) {
    result.error = std::move(logged).error();
    return result;
  }
  const RuleRegistry& chosen = logged.value();
  auto d = decide(r.input, chosen);
  if (!d.ok()) {
    Error e = std::move(d).error();
    e.path = at + e.path;
    e.message = "deciding the logged case again failed: " + e.message;
    result.error = std::move(e);
    return result;
  }
  // Each regenerated entry is compared as it is made, byte for byte, and then dropped.
  std::size_t k = 0;
  emit_log_entries(r.input, *d, r.context, [&](const std::string& again) {
    if (k >= r.entries.size() || again != r.entries[k])
      result.differing.push_back(r.header_index + k);
    ++k;
  });
  for (; k < r.entries.size(); ++k) result.differing.push_back(r.header_index + k);
  if (!result.differing.empty()) result.first_difference = result.differing.front();
  return result;
}

}  // namespace passline
