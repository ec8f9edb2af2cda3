// The decision log's entries (SPEC.md §7): writing them from a decided case, reading a case
// back from them, and replaying it.
#include "passline/log.h"
#include "passline/merkle.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "detail/json_forms.h"
#include "detail/paths.h"
#include "passline/canonical_json.h"
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
  h["input_digest"] = sha256_hex(case_to_json(c));
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
  h["input_digest"] = sha256_hex(case_to_json(c));
  h["decided_at"] = ctx.decided_at;
  return h;
}

/// The applicant's personal inputs as a passline-log/1 or /2 applicant entry holds them.
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

/// The outputs of an applicant entry: type, recruitment, unit, local, outcomes.
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

/// The applicant entry written directly in canonical form (members in RFC 8785 order), the
/// same bytes as canonical(applicant_json(...)) with log_index and prev, at a fraction of the
/// cost. nullopt when an attribute name needs the full canonicaliser's UTF-16 ordering.
std::optional<std::string> applicant_entry(const Case& c, const Decision& d, std::size_t u,
                                           std::size_t a, std::uint64_t index,
                                           const std::string& prev) {
  if (c.spec == Spec::v2) return std::nullopt;  // the general writer (kinds, years, JSON values)
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  const Applicant& app = unit.applicants[a];
  // Attributes: first occurrence of a name wins; names sorted bytewise (= UTF-16 order below
  // U+E000).
  std::vector<const std::pair<std::string, std::string>*> attrs;
  for (const auto& kv : app.attributes) {
    for (unsigned char ch : kv.first)
      if (ch >= 0xEE) return std::nullopt;
    bool seen = false;
    for (const auto* p : attrs) seen = seen || p->first == kv.first;
    if (!seen) attrs.push_back(&kv);
  }
  std::sort(attrs.begin(), attrs.end(), [](auto* x, auto* y) { return x->first < y->first; });

  std::string out;
  out.reserve(256 + 64 * unit.stages.size());
  out += "{\"applicant\":";
  detail::append_json_string(out, app.id);
  out += ",\"attributes\":{";
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    detail::append_json_string(out, attrs[i]->first);
    out += ':';
    detail::append_json_string(out, attrs[i]->second);
  }
  out += "},\"disqualified\":[";
  bool first = true;
  for (std::size_t s = 0; s < unit.stages.size() && s < kMaxStages; ++s) {
    if (!(app.disqualified & (std::uint64_t{1} << s))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, unit.stages[s].name);
  }
  out += "],\"education\":[";
  for (std::size_t e = 0; e < app.education.size(); ++e) {
    const EducationRecord& r = app.education[e];
    if (e) out += ',';
    out += "{\"level\":\"";
    out += to_string(r.level);
    out += "\",\"region\":\"";
    out += to_string(r.region);
    out += "\",\"status\":\"";
    out += to_string(r.status);
    out += "\"}";
  }
  out += "],\"local\":[";
  first = true;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    if (!(ud.local[a] & (std::uint32_t{1} << p))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, d.programs[p].id);
  }
  out += "],\"log_index\":";
  out += std::to_string(index);
  out += ",\"outcomes\":[";
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageOutcome& o = ud.outcome(a, s);
    if (s) out += ',';
    out += "{\"outcome\":\"";
    out += to_string(o.outcome);
    out += '"';
    if (o.outcome == Outcome::pass_additional) {
      out += ",\"program\":";
      detail::append_json_string(out, d.programs[o.program].id);
    }
    out += ",\"stage\":";
    detail::append_json_string(out, unit.stages[s].name);
    out += '}';
  }
  out += "],\"prev\":\"";
  out += prev;
  out += "\",\"recruitment\":";
  detail::append_json_string(out, c.recruitment.id);
  out += ",\"scores\":[";
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    if (s) out += ',';
    if (s < app.scores.size() && app.scores[s]) {
      out += '"';
      out += app.scores[s]->to_string();
      out += '"';
    } else {
      out += "null";
    }
  }
  out += "],\"type\":\"applicant\",\"unit\":";
  detail::append_json_string(out, unit.id);
  out += '}';
  return out;
}

// --- passline-log/3 written directly in canonical form (the general writers above give the
// same bytes through nlohmann and canonical(); tests/test_erase.cc compares them).

/// The members `"applicant", "attributes", "disqualified", "education", "scores"` of a
/// quota-case/1 applicant, in RFC 8785 order; false when an attribute name needs the full
/// canonicaliser's UTF-16 ordering.
bool append_inputs_v1(std::string& out, const Unit& unit, const Applicant& app) {
  std::vector<const std::pair<std::string, std::string>*> attrs;
  for (const auto& kv : app.attributes) {
    for (unsigned char ch : kv.first)
      if (ch >= 0xEE) return false;
    bool seen = false;
    for (const auto* p : attrs) seen = seen || p->first == kv.first;
    if (!seen) attrs.push_back(&kv);
  }
  std::sort(attrs.begin(), attrs.end(), [](auto* x, auto* y) { return x->first < y->first; });
  out += "\"applicant\":";
  detail::append_json_string(out, app.id);
  out += ",\"attributes\":{";
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    detail::append_json_string(out, attrs[i]->first);
    out += ':';
    detail::append_json_string(out, attrs[i]->second);
  }
  out += "},\"disqualified\":[";
  bool first = true;
  for (std::size_t s = 0; s < unit.stages.size() && s < kMaxStages; ++s) {
    if (!(app.disqualified & (std::uint64_t{1} << s))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, unit.stages[s].name);
  }
  out += "],\"education\":[";
  for (std::size_t e = 0; e < app.education.size(); ++e) {
    const EducationRecord& r = app.education[e];
    if (e) out += ',';
    out += "{\"level\":\"";
    out += to_string(r.level);
    out += "\",\"region\":\"";
    out += to_string(r.region);
    out += "\",\"status\":\"";
    out += to_string(r.status);
    out += "\"}";
  }
  out += "],\"scores\":[";
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    if (s) out += ',';
    if (s < app.scores.size() && app.scores[s]) {
      out += '"';
      out += app.scores[s]->to_string();
      out += '"';
    } else {
      out += "null";
    }
  }
  out += ']';
  return true;
}

/// log_opening() of a quota-case/1 applicant written directly; nullopt for the general writer.
std::optional<std::string> opening_fast(const Case& c, std::size_t u, std::size_t a,
                                        std::string_view salt) {
  if (c.spec == Spec::v2) return std::nullopt;
  std::string out;
  out.reserve(256);
  out += "{\"inputs\":{";
  if (!append_inputs_v1(out, c.units[u], c.units[u].applicants[a])) return std::nullopt;
  out += "},\"salt\":\"";
  out += salt;
  out += "\"}";
  return out;
}

/// The passline-log/3 applicant entry written directly: its members are fixed ASCII names, so
/// this is canonical for any case.
std::string applicant_entry_v3(const Case& c, const Decision& d, std::size_t u, std::size_t a,
                               std::uint64_t index, const std::string& prev,
                               const std::string& commitment) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  std::string out;
  out.reserve(256 + 64 * unit.stages.size());
  out += "{\"commitment\":\"";
  out += commitment;
  out += "\",\"local\":[";
  bool first = true;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    if (!(ud.local[a] & (std::uint32_t{1} << p))) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, d.programs[p].id);
  }
  out += "],\"log_index\":";
  out += std::to_string(index);
  out += ",\"outcomes\":[";
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageOutcome& o = ud.outcome(a, s);
    if (s) out += ',';
    out += "{\"outcome\":\"";
    out += to_string(o.outcome);
    out += '"';
    if (o.outcome == Outcome::pass_additional) {
      out += ",\"program\":";
      detail::append_json_string(out, d.programs[o.program].id);
    }
    out += ",\"stage\":";
    detail::append_json_string(out, unit.stages[s].name);
    out += '}';
  }
  out += "],\"prev\":\"";
  out += prev;
  out += "\",\"recruitment\":";
  detail::append_json_string(out, c.recruitment.id);
  out += ",\"type\":\"applicant\",\"unit\":";
  detail::append_json_string(out, unit.id);
  out += '}';
  return out;
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

/// A passline-log/3 recruitment some of whose openings are gone: its id and entries only.
LoggedRecruitment erased(LoggedRecruitment out, const std::string& recruitment) {
  out.input = Case{};
  out.input.recruitment.id = recruitment;
  out.context.salts->clear();
  return out;
}

/// Reads the applicant entries of one unit (`count` of them, from entries[i]) into the case
/// form of SPEC §6, checking that each names the recruitment and the unit.
json read_applicants(const std::vector<std::string>& entries, std::size_t& i,
                     std::size_t first_index, std::size_t h, const std::string& recruitment,
                     const std::string& unit_id, const std::vector<std::string>& stage_names,
                     std::uint64_t count, const std::string& uw, LoggedRecruitment& out,
                     const OpeningSource* openings) {
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
        out.entries.push_back(entries[i]);
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
    out.entries.push_back(entries[i]);
    ++i;
  }
  return case_applicants;
}

/// passline-log/2: the header's `input` with each unit's applicants rebuilt from the entries.
LoggedRecruitment read_one_v2(const std::vector<std::string>& entries, std::size_t& i,
                              std::size_t first_index, const json& header, LoggedRecruitment out,
                              const OpeningSource* openings) {
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
  out.entries.push_back(entries[i]);
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
                                         stage_names, count, uw, out, openings);
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
                           std::size_t first_index, const OpeningSource* openings) {
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
    return read_one_v2(entries, i, first_index, header, std::move(out), openings);

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
  json case_units = json::array();
  std::vector<std::size_t> unit_offsets;
  out.entries.push_back(entries[i]);
  ++i;
  std::size_t offset = 0;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const std::string uw = detail::path(p + ".units", u);
    const json& unit = units[u];
    if (!unit.is_object()) fail("bad_log_entry", h, uw, "expected an object");
    json cu;
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
    const std::string& unit_id = string_member(unit, "id", h, uw);
    const json& count_json = member(unit, "applicants", h, uw);
    if (!count_json.is_number_unsigned())
      fail("bad_log_entry", h, uw + ".applicants", "expected the number of applicants");
    const auto count = count_json.get<std::uint64_t>();
    unit_offsets.push_back(offset);
    std::vector<std::string> stage_names;
    for (const json& st : case_stages) stage_names.push_back(st["name"].get<std::string>());
    json case_applicants = read_applicants(entries, i, first_index, h, recruitment, unit_id,
                                           stage_names, count, uw, out, openings);
    offset += count;
    cu["stages"] = std::move(case_stages);
    cu["applicants"] = std::move(case_applicants);
    case_units.push_back(std::move(cu));
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

bool is_salt(std::string_view salt) noexcept {
  return salt.size() == 64 && std::all_of(salt.begin(), salt.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

std::string log_opening(const Case& c, std::size_t u, std::size_t a, std::string_view salt) {
  if (!is_salt(salt))
    throw std::invalid_argument("log_opening: a salt is 64 lower-case hex digits");
  if (auto fast = opening_fast(c, u, a, salt)) return std::move(*fast);
  json j;
  j["inputs"] = applicant_inputs_json(c, u, a);
  j["salt"] = std::string(salt);
  return canonical(j);
}

std::string opening_commitment(std::string_view opening) {
  std::string bytes(kCommitmentScheme);
  bytes.push_back('\0');
  bytes.append(opening);
  return sha256_hex(bytes);
}

void log_entries(const Case& c, const Decision& d, const LogContext& ctx,
                 const LogEntrySink& sink) {
  check_decided_from(c, d);
  std::uint64_t index = ctx.log_index;
  std::string prev = ctx.prev;
  auto chain = [&](json j) {
    j["log_index"] = index++;
    j["prev"] = prev;
    std::string text = canonical(j);
    prev = to_hex(leaf_hash(text));
    sink(std::move(text));
  };
  chain(header_json(c, d, ctx));
  if (ctx.salts) {
    std::size_t total = 0;
    for (const Unit& unit : c.units) total += unit.applicants.size();
    if (ctx.salts->size() != total)
      throw std::invalid_argument("log_entries: one salt per applicant is needed");
  }
  std::size_t k = 0;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    for (std::size_t a = 0; a < c.units[u].applicants.size(); ++a, ++k) {
      if (ctx.salts) {
        std::string text =
            applicant_entry_v3(c, d, u, a, index, prev,
                               opening_commitment(log_opening(c, u, a, (*ctx.salts)[k])));
        ++index;
        prev = to_hex(leaf_hash(text));
        sink(std::move(text));
      } else if (auto fast = applicant_entry(c, d, u, a, index, prev)) {
        ++index;
        prev = to_hex(leaf_hash(*fast));
        sink(std::move(*fast));
      } else {
        chain(applicant_json(c, d, u, a));
      }
    }
  }
}

std::vector<std::string> log_entries(const Case& c, const Decision& d, const LogContext& ctx) {
  std::vector<std::string> out;
  std::size_t total = 1;
  for (const Unit& u : c.units) total += u.applicants.size();
  out.reserve(total);
  log_entries(c, d, ctx, [&](std::string&& e) { out.push_back(std::move(e)); });
  return out;
}

Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index) {
  return read_log_entries(entries, first_index, OpeningSource{});
}

Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index,
                                                        const OpeningSource& openings) {
  std::vector<LoggedRecruitment> out;
  try {
    std::size_t i = 0;
    while (i < entries.size()) out.push_back(read_one(entries, i, first_index, &openings));
  } catch (const Failure& f) {
    return f.error;
  } catch (const json::exception& e) {
    return make_error("bad_log_entry", "entry ?",
                      e.what());  // not reached: entries are checked first
  }
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
  const auto again = log_entries(r.input, *d, r.context);
  const std::size_t n = std::max(again.size(), r.entries.size());
  for (std::size_t k = 0; k < n; ++k)
    if (k >= again.size() || k >= r.entries.size() || again[k] != r.entries[k])
      result.differing.push_back(r.header_index + k);
  if (!result.differing.empty()) result.first_difference = result.differing.front();
  return result;
}

}  // namespace passline
