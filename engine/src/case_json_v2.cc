// Parsing a `quota-case/2` document (SPEC.md §6) into the case model.
//
// Stricter than quota-case/1: every object is read against the keys SPEC §6 defines, and any
// other key is `unknown_key` at its path (a typo such as `requires_experiance` must not change
// who is hired); ids are checked (`bad_id`); ratios over 1 are `bad_ratio`. Every failure names
// the JSON path of the offending value. Checks that need the announcement date (the
// jeonnam_gwangju code, SPEC §2) or the rules are validate()'s and decide()'s.
#include <nlohmann/json.hpp>

#include <set>

#include "detail/case_json_common.h"
#include "detail/paths.h"
#include "passline/json.h"

namespace passline::detail {
namespace {

using nlohmann::json;

/// One object read against its allowed keys: unknown_key for any other, missing_field for an
/// absent required one.
class Object {
 public:
  Object(const json& v, std::string where, std::initializer_list<std::string_view> keys)
      : v_(as_object(v, where)), where_(std::move(where)) {
    for (const auto& [key, value] : v_.items()) {
      bool known = false;
      for (std::string_view k : keys) known = known || k == key;
      if (!known)
        fail("unknown_key", at(key),
             "'" + key + "' is not a key of this object (keys: " + join(keys) + ")");
    }
  }

  std::string at(std::string_view key) const {
    return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
  }
  const std::string& where() const { return where_; }

  /// The value of a required key.
  const json& required(const char* key) const {
    auto it = v_.find(key);
    if (it == v_.end())
      fail("missing_field", at(key), std::string("the field '") + key + "' is required");
    return *it;
  }
  /// The value of an optional key; nullptr when absent or null.
  const json* optional(const char* key) const {
    auto it = v_.find(key);
    return it == v_.end() || it->is_null() ? nullptr : &*it;
  }

 private:
  static std::string join(std::initializer_list<std::string_view> keys) {
    std::string out;
    for (std::string_view k : keys) {
      if (!out.empty()) out += ", ";
      out += k;
    }
    return out;
  }

  const json& v_;
  std::string where_;
};

Ratio as_ratio_v2(const json& v, const std::string& where) {
  if (!v.is_string())
    fail("bad_decimal", where,
         "expected a ratio string such as \"0.3\" or \"30%\", got " + type_name(v));
  const std::string& text = v.get_ref<const std::string&>();
  auto r = Ratio::parse(text);
  if (!r) fail("bad_decimal", where, "\"" + text + "\" is not a ratio such as \"0.3\" or \"30%\"");
  if (r->above_one()) fail("bad_ratio", where, "a ratio must not exceed 1 (100%)");
  return *r;
}

Region as_region_v2(const json& v, const std::string& where) {
  const std::string code = as_string(v, where);
  auto r = parse_region(code);
  if (!r)
    fail("unknown_region", where,
         "\"" + code +
             "\" is not a region code (seoul busan daegu incheon gwangju daejeon ulsan sejong "
             "gyeonggi gangwon chungbuk chungnam jeonbuk jeonnam gyeongbuk gyeongnam jeju, and "
             "jeonnam_gwangju from 2026-07-01)");
  return *r;
}

/// Attribute values compare by JSON equality (SPEC §3.1: `true` is not `"true"`): the value is
/// kept as its JSON text.
std::string attribute_json(const json& v, const std::string& where) {
  if (v.is_string() || v.is_boolean() || v.is_number_integer() || v.is_number_unsigned())
    return v.dump(-1, ' ', false);
  fail("wrong_type", where, "an attribute value must be a string, a whole number or a boolean");
}

template <typename T, typename Parse>
std::uint8_t bit_list(const json& v, const std::string& where, Parse parse, const char* words) {
  as_array(v, where);
  std::uint8_t bits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string w = path(where, i);
    std::optional<T> x = parse(as_string(v[i], w));
    if (!x) fail("invalid_value", w, std::string("expected one of: ") + words);
    bits |= static_cast<std::uint8_t>(1u << static_cast<int>(*x));
  }
  return bits;
}

constexpr const char* kLevels = "high_school, college, university, graduate";
constexpr const char* kStatuses = "graduated, expected, enrolled, on_leave, dropped";
constexpr const char* kKinds = "regular, remote, misc";

Group parse_group(const json& v, const std::string& where);

EducationGroup parse_education(const json& v, const std::string& where) {
  const Object o(v, where, {"levels", "statuses", "regions", "membership", "kinds"});
  EducationGroup g;
  g.levels = bit_list<EducationLevel>(o.required("levels"), o.at("levels"), parse_education_level,
                                      kLevels);
  g.statuses = bit_list<EducationStatus>(o.required("statuses"), o.at("statuses"),
                                         parse_education_status, kStatuses);
  const json& regions = as_array(o.required("regions"), o.at("regions"));
  for (std::size_t i = 0; i < regions.size(); ++i)
    g.regions |= region_bit(as_region_v2(regions[i], path(o.at("regions"), i)));
  if (const json* m = o.optional("membership")) {
    const std::string t = as_string(*m, o.at("membership"));
    if (t == "final")
      g.membership = Membership::final;
    else if (t == "any")
      g.membership = Membership::any;
    else
      fail("invalid_value", o.at("membership"), "membership is final or any");
  }
  if (const json* k = o.optional("kinds"))
    g.kinds = bit_list<EducationKind>(*k, o.at("kinds"), parse_education_kind, kKinds);
  return g;
}

Group parse_group(const json& v, const std::string& where) {
  as_object(v, where);
  if (v.size() != 1)
    fail("invalid_value", where,
         "a group is one of {\"education\": {...}}, {\"attribute\": {...}} or "
         "{\"any_of\": [...]}");
  const std::string kind = v.begin().key();
  const nlohmann::json& body = v.begin().value();
  const std::string w = where + "." + kind;
  if (kind == "education") return parse_education(body, w);
  if (kind == "attribute") {
    const Object o(body, w, {"name", "equals"});
    AttributeGroup g;
    g.name = as_string(o.required("name"), o.at("name"));
    g.equals = attribute_json(o.required("equals"), o.at("equals"));
    return g;
  }
  if (kind == "any_of") {
    as_array(body, w);
    if (body.empty()) fail("invalid_value", w, "any_of needs at least one group");
    AnyOfGroup g;
    for (std::size_t i = 0; i < body.size(); ++i)
      g.any_of.push_back(GroupNode{parse_group(body[i], path(w, i))});
    return g;
  }
  fail("unknown_key", w, "a group is education, attribute or any_of");
}

Program parse_inline(const json& v, const std::string& where) {
  const Object o(v, where,
                 {"id", "group", "ratio", "rounding", "cap", "scope", "min_planned", "exemptions",
                  "strict_share"});
  Program p;
  p.source = ProgramSource::case_;
  p.id = as_id(o.required("id"), o.at("id"));
  p.group = parse_group(o.required("group"), o.at("group"));
  p.ratio = as_ratio_v2(o.required("ratio"), o.at("ratio"));
  p.rounding = as_rounding(o.required("rounding"), o.at("rounding"));
  if (const json* c = o.optional("cap")) {
    const Object co(*c, o.at("cap"), {"ratio", "rounding"});
    Cap cap;
    cap.ratio = as_ratio_v2(co.required("ratio"), co.at("ratio"));
    if (const json* r = co.optional("rounding")) cap.rounding = as_rounding(*r, co.at("rounding"));
    p.cap = cap;
  }
  if (const json* s = o.optional("scope")) {
    auto scope = parse_scope(as_string(*s, o.at("scope")));
    if (!scope) fail("invalid_value", o.at("scope"), "scope is stage or agency_year");
    p.scope = *scope;
  }
  if (p.scope == Scope::agency_year && !(p.ratio.numerator() < p.ratio.denominator()))
    fail("bad_ratio", o.at("ratio"), "a ratio with scope agency_year must be below 1");
  if (const json* m = o.optional("min_planned")) p.min_planned = as_count(*m, o.at("min_planned"));
  if (const json* e = o.optional("exemptions")) {
    as_array(*e, o.at("exemptions"));
    for (std::size_t i = 0; i < e->size(); ++i) {
      const std::string w = path(o.at("exemptions"), i);
      auto claim = parse_claim_v2(as_string((*e)[i], w));
      if (!claim)
        fail("invalid_value", w,
             "a claim is one of small_field, small_hiring, experienced, research_masters, "
             "doctorate, regional_branch, applicant_share");
      p.exemptions.push_back(*claim);
    }
  }
  if (const json* s = o.optional("strict_share"))
    p.strict_share = as_bool(*s, o.at("strict_share"));
  return p;
}

Agency parse_agency(const json& v) {
  const Object o(v, "agency", {"code", "region", "public_institution", "innovation_city"});
  Agency a;
  a.code = as_id(o.required("code"), o.at("code"));
  a.region = as_region_v2(o.required("region"), o.at("region"));
  a.public_institution = as_bool(o.required("public_institution"), o.at("public_institution"));
  if (const json* ic = o.optional("innovation_city")) {
    const Object io(*ic, o.at("innovation_city"), {"cohort", "since", "joint_city"});
    InnovationCity city;
    city.cohort = static_cast<int>(as_count(io.required("cohort"), io.at("cohort")));
    city.since = as_date(io.required("since"), io.at("since"));
    city.joint_city = as_bool(io.required("joint_city"), io.at("joint_city"));
    a.innovation_city = city;
  }
  return a;
}

EducationRecord parse_record(const json& v, const std::string& where) {
  const Object o(v, where, {"level", "region", "status", "kind", "year"});
  EducationRecord r;
  auto level = parse_education_level(as_string(o.required("level"), o.at("level")));
  if (!level) fail("invalid_value", o.at("level"), std::string("expected one of: ") + kLevels);
  r.level = *level;
  r.region = as_region_v2(o.required("region"), o.at("region"));
  auto status = parse_education_status(as_string(o.required("status"), o.at("status")));
  if (!status) fail("invalid_value", o.at("status"), std::string("expected one of: ") + kStatuses);
  r.status = *status;
  if (const json* k = o.optional("kind")) {
    auto kind = parse_education_kind(as_string(*k, o.at("kind")));
    if (!kind) fail("invalid_value", o.at("kind"), std::string("expected one of: ") + kKinds);
    r.kind = *kind;
  }
  if (const json* y = o.optional("year")) {
    const std::int64_t year = as_count(*y, o.at("year"));
    if (year < 1900 || year > 9999)
      fail("invalid_value", o.at("year"), "a year is between 1900 and 9999");
    r.year = static_cast<int>(year);
  }
  return r;
}

std::optional<std::size_t> stage_index(const Unit& unit, const std::string& name) {
  for (std::size_t s = 0; s < unit.stages.size(); ++s)
    if (unit.stages[s].name == name) return s;
  return std::nullopt;
}

Applicant parse_applicant_v2(const json& v, const std::string& where, const Unit& unit) {
  const Object o(v, where, {"id", "education", "scores", "disqualified", "attributes"});
  Applicant a;
  a.id = as_id(o.required("id"), o.at("id"));
  const json& edu = as_array(o.required("education"), o.at("education"));
  a.education.reserve(edu.size());
  for (std::size_t i = 0; i < edu.size(); ++i)
    a.education.push_back(parse_record(edu[i], path(o.at("education"), i)));
  a.scores.assign(unit.stages.size(), std::nullopt);
  const json& scores = as_object(o.required("scores"), o.at("scores"));
  for (const auto& [name, value] : scores.items()) {
    const std::string w = o.at("scores") + "." + name;
    auto s = stage_index(unit, name);
    if (!s) fail("unknown_key", w, "the unit has no stage '" + name + "'");
    if (!value.is_null()) a.scores[*s] = as_decimal(value, w);
  }
  if (const json* dq = o.optional("disqualified")) {
    as_array(*dq, o.at("disqualified"));
    for (std::size_t i = 0; i < dq->size(); ++i) {
      const std::string w = path(o.at("disqualified"), i);
      const std::string name = as_string((*dq)[i], w);
      auto s = stage_index(unit, name);
      if (!s) fail("unknown_stage", w, "the unit has no stage '" + name + "'");
      a.disqualified |= std::uint64_t{1} << *s;
    }
  }
  if (const json* attrs = o.optional("attributes")) {
    as_object(*attrs, o.at("attributes"));
    for (const auto& [name, value] : attrs->items())
      a.attributes.emplace_back(name, attribute_json(value, o.at("attributes") + "." + name));
  }
  return a;
}

Unit parse_unit_v2(const json& v, const std::string& where) {
  const Object o(v, where,
                 {"id", "field", "planned", "exemptions", "requires_experience", "min_degree",
                  "research_post", "notified_field", "branch_region", "branch_service_years",
                  "stages", "applicants"});
  Unit u;
  u.id = as_id(o.required("id"), o.at("id"));
  u.field = as_string(o.required("field"), o.at("field"));
  u.planned = as_count(o.required("planned"), o.at("planned"));
  if (const json* e = o.optional("exemptions")) {
    as_object(*e, o.at("exemptions"));
    for (const auto& [program, claims] : e->items()) {
      const std::string w = o.at("exemptions") + "." + program;
      as_array(claims, w);
      ProgramClaims pc{program, {}};
      for (std::size_t j = 0; j < claims.size(); ++j)
        pc.claims.push_back(as_string(claims[j], path(w, j)));
      u.claims.push_back(std::move(pc));
    }
  }
  if (const json* x = o.optional("requires_experience"))
    u.requires_experience = as_bool(*x, o.at("requires_experience"));
  if (const json* x = o.optional("min_degree")) {
    std::string degree = as_string(*x, o.at("min_degree"));
    if (degree != "masters" && degree != "doctorate")
      fail("invalid_value", o.at("min_degree"), "min_degree is masters or doctorate");
    u.min_degree = std::move(degree);
  }
  if (const json* x = o.optional("research_post"))
    u.research_post = as_bool(*x, o.at("research_post"));
  if (const json* x = o.optional("notified_field"))
    u.notified_field = as_bool(*x, o.at("notified_field"));
  if (const json* x = o.optional("branch_region"))
    u.branch_region = as_region_v2(*x, o.at("branch_region"));
  if (const json* x = o.optional("branch_service_years"))
    u.branch_service_years = as_count(*x, o.at("branch_service_years"));
  const json& stages = as_array(o.required("stages"), o.at("stages"));
  if (stages.size() > kMaxStages)
    fail("invalid_value", o.at("stages"),
         "at most " + std::to_string(kMaxStages) + " stages per unit");
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const Object so(stages[s], path(o.at("stages"), s), {"name", "planned", "threshold"});
    Stage stage;
    stage.name = as_string(so.required("name"), so.at("name"));
    stage.planned = as_count(so.required("planned"), so.at("planned"));
    if (const json* th = so.optional("threshold")) {
      const Object to(*th, so.at("threshold"), {"min_score", "below_cut"});
      if (const json* m = to.optional("min_score"))
        stage.threshold.min_score = as_decimal(*m, to.at("min_score"));
      if (const json* b = to.optional("below_cut"))
        stage.threshold.below_cut = as_decimal(*b, to.at("below_cut"));
    }
    u.stages.push_back(std::move(stage));
  }
  const json& apps = as_array(o.required("applicants"), o.at("applicants"));
  u.applicants.reserve(apps.size());
  for (std::size_t a = 0; a < apps.size(); ++a)
    u.applicants.push_back(parse_applicant_v2(apps[a], path(o.at("applicants"), a), u));
  return u;
}

std::map<std::string, std::int64_t> program_counts(const json& v, const std::string& where) {
  as_object(v, where);
  std::map<std::string, std::int64_t> out;
  for (const auto& [program, n] : v.items()) out[program] = as_count(n, where + "." + program);
  return out;
}

}  // namespace

std::vector<ProgramRef> parse_programs_v2(const json& programs) {
  std::vector<ProgramRef> out;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const std::string w = path("programs", p);
    if (programs[p].is_string())
      out.emplace_back(programs[p].get<std::string>());
    else if (programs[p].is_object())
      out.emplace_back(parse_inline(programs[p], w));
    else
      fail("wrong_type", w, "a program is a rule pack id or an inline program object");
  }
  return out;
}

Case parse_case_v2(const json& doc) {
  const Object o(doc, "", {"format", "agency", "recruitment", "programs", "units", "ledger"});
  Case c;
  c.spec = Spec::v2;
  c.agency = parse_agency(o.required("agency"));
  const Object ro(o.required("recruitment"), "recruitment", {"id", "announced"});
  c.recruitment.id = as_id(ro.required("id"), ro.at("id"));
  c.recruitment.announced = as_date(ro.required("announced"), ro.at("announced"));
  if (const json* p = o.optional("programs"))
    c.programs = parse_programs_v2(as_array(*p, "programs"));
  const json& units = as_array(o.required("units"), "units");
  c.units.reserve(units.size());
  for (std::size_t u = 0; u < units.size(); ++u)
    c.units.push_back(parse_unit_v2(units[u], path("units", u)));
  if (const json* ledger = o.optional("ledger")) {
    const Object lo(*ledger, "ledger", {"prior"});
    if (const json* prior = lo.optional("prior")) {
      as_array(*prior, "ledger.prior");
      for (std::size_t l = 0; l < prior->size(); ++l) {
        const Object eo((*prior)[l], path("ledger.prior", l),
                        {"field", "posts", "hires", "obligated", "group_hires"});
        LedgerEntry e;
        e.field = as_string(eo.required("field"), eo.at("field"));
        e.posts = as_count(eo.required("posts"), eo.at("posts"));
        e.hires = as_count(eo.required("hires"), eo.at("hires"));
        e.obligated = program_counts(eo.required("obligated"), eo.at("obligated"));
        e.group_hires = program_counts(eo.required("group_hires"), eo.at("group_hires"));
        c.ledger.push_back(std::move(e));
      }
    }
  }
  return c;
}

}  // namespace passline::detail
