// Parsing a `quota-case/1` document (SPEC.md §6) into the case model.
//
// Strict: every value is type-checked and every failure names the JSON path of the offending
// value. Decimals must be JSON strings (a JSON number would have passed through binary floating
// point in most producers); integers must be JSON integers.
#include <nlohmann/json.hpp>

#include "detail/case_json_common.h"
#include "detail/case_json_fast.h"
#include "detail/paths.h"
#include "passline/json.h"

namespace passline {
namespace detail {
using nlohmann::json;

[[noreturn]] void fail(ErrorCode code, std::string where, std::string message) {
  throw Failure{make_error(code, std::move(where), std::move(message))};
}

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_float: return "a non-integer number";
    default: return "a number";
  }
}

const json& require(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  const json* v = it == obj.end() ? nullptr : &*it;
  if (!v)
    fail("missing_field", where.empty() ? key : where + "." + key,
         std::string("the field '") + key + "' is required");
  return *v;
}

const json& as_object(const json& v, const std::string& where) {
  if (!v.is_object()) fail("wrong_type", where, "expected an object, got " + type_name(v));
  return v;
}

const json& as_array(const json& v, const std::string& where) {
  if (!v.is_array()) fail("wrong_type", where, "expected an array, got " + type_name(v));
  return v;
}

std::string as_string(const json& v, const std::string& where) {
  if (!v.is_string()) fail("wrong_type", where, "expected a string, got " + type_name(v));
  return v.get<std::string>();
}

std::int64_t as_count(const json& v, const std::string& where) {
  if (!v.is_number_integer())
    fail("wrong_type", where, "expected a whole number, got " + type_name(v));
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT32_MAX))
      fail("invalid_value", where, "the number is too large");
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  }
  const auto n = v.get<std::int64_t>();
  if (n < 0) fail("invalid_value", where, "must be 0 or more");
  if (n > INT32_MAX) fail("invalid_value", where, "the number is too large");
  return n;
}

bool as_bool(const json& v, const std::string& where) {
  if (!v.is_boolean()) fail("wrong_type", where, "expected true or false, got " + type_name(v));
  return v.get<bool>();
}

Decimal as_decimal(const json& v, const std::string& where) {
  if (!v.is_string())
    fail("bad_decimal", where, "expected a decimal string such as \"80.5\", got " + type_name(v));
  const std::string& text = v.get_ref<const std::string&>();
  auto d = Decimal::parse(text);
  if (!d)
    fail("bad_decimal", where,
         "\"" + text +
             "\" is not a decimal: digits, an optional point and at most 6 fraction "
             "digits, no sign, exponent or spaces");
  return *d;
}

Rounding as_rounding(const json& v, const std::string& where) {
  auto rounding = parse_rounding(as_string(v, where));
  if (!rounding) fail("invalid_value", where, "rounding is ceil, floor or half_up");
  return *rounding;
}

Date as_date(const json& v, const std::string& where) {
  const std::string text = as_string(v, where);
  auto d = Date::parse(text);
  if (!d) fail("bad_date", where, "\"" + text + "\" is not a date YYYY-MM-DD");
  return *d;
}

std::string as_id(const json& v, const std::string& where) {
  std::string id = as_string(v, where);
  if (auto problem = id_problem(id)) fail("bad_id", where, "the id " + *problem);
  return id;
}

}  // namespace detail

namespace {

using detail::path;
using nlohmann::json;
using namespace detail;

const json* find(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Ratio as_ratio(const json& v, const std::string& where) {
  if (!v.is_string())
    fail("bad_decimal", where,
         "expected a ratio string such as \"0.3\" or \"30%\", got " + type_name(v));
  const std::string& text = v.get_ref<const std::string&>();
  auto r = Ratio::parse(text);
  if (!r) fail("bad_decimal", where, "\"" + text + "\" is not a ratio such as \"0.3\" or \"30%\"");
  if (r->above_one()) fail("invalid_value", where, "a ratio must not exceed 1 (100%)");
  return *r;
}

Region as_region(const json& v, const std::string& where) {
  const std::string code = as_string(v, where);
  auto r = parse_region_v1(code);
  if (!r)
    fail("unknown_region", where,
         "\"" + code +
             "\" is not one of the 17 region codes (seoul busan daegu incheon gwangju "
             "daejeon ulsan sejong gyeonggi gangwon chungbuk chungnam jeonbuk jeonnam gyeongbuk "
             "gyeongnam jeju)");
  return *r;
}

std::string attribute_text(const json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean() || v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  fail("wrong_type", where, "an attribute value must be a string, a whole number or a boolean");
}

EducationGroup parse_education_group(const json& g, const std::string& where) {
  as_object(g, where);
  EducationGroup out;
  const json& levels = as_array(require(g, "levels", where), where + ".levels");
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string w = path(where + ".levels", i);
    auto l = parse_education_level(as_string(levels[i], w));
    if (!l) fail("invalid_value", w, "a level is high_school, college, university or graduate");
    out.levels |= level_bit(*l);
  }
  const json& statuses = as_array(require(g, "statuses", where), where + ".statuses");
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    const std::string w = path(where + ".statuses", i);
    auto s = parse_education_status(as_string(statuses[i], w));
    if (!s) fail("invalid_value", w, "a status is graduated, expected, enrolled or dropped");
    out.statuses |= status_bit(*s);
  }
  const json& regions = as_array(require(g, "regions", where), where + ".regions");
  for (std::size_t i = 0; i < regions.size(); ++i)
    out.regions |= region_bit(as_region(regions[i], path(where + ".regions", i)));
  return out;
}

AttributeGroup parse_attribute_group(const json& g, const std::string& where) {
  as_object(g, where);
  AttributeGroup out;
  out.name = as_string(require(g, "name", where), where + ".name");
  out.equals = attribute_text(require(g, "equals", where), where + ".equals");
  return out;
}

Program parse_inline_program(const json& v, const std::string& where) {
  as_object(v, where);
  Program p;
  p.id = as_string(require(v, "id", where), where + ".id");
  const std::string gw = where + ".group";
  const json& g = as_object(require(v, "group", where), gw);
  if (const json* e = find(g, "education")) {
    p.group = parse_education_group(*e, gw + ".education");
  } else if (const json* a = find(g, "attribute")) {
    p.group = parse_attribute_group(*a, gw + ".attribute");
  } else if (find(g, "levels")) {
    p.group = parse_education_group(g, gw);
  } else if (find(g, "name")) {
    p.group = parse_attribute_group(g, gw);
  } else {
    fail("invalid_value", gw,
         "a group is {education: {levels, statuses, regions}} or "
         "{attribute: {name, equals}}");
  }
  p.ratio = as_ratio(require(v, "ratio", where), where + ".ratio");
  if (const json* r = find(v, "rounding")) p.rounding = as_rounding(*r, where + ".rounding");
  if (const json* c = find(v, "cap"); c && !c->is_null()) {
    const std::string cw = where + ".cap";
    as_object(*c, cw);
    Cap cap;
    cap.ratio = as_ratio(require(*c, "ratio", cw), cw + ".ratio");
    if (const json* r = find(*c, "rounding")) cap.rounding = as_rounding(*r, cw + ".rounding");
    p.cap = cap;
  }
  if (const json* s = find(v, "scope")) {
    auto scope = parse_scope(as_string(*s, where + ".scope"));
    if (!scope) fail("invalid_value", where + ".scope", "scope is stage or agency_year");
    p.scope = *scope;
  }
  if (const json* m = find(v, "min_planned")) p.min_planned = as_count(*m, where + ".min_planned");
  return p;
}

Applicant parse_applicant(const json& v, const std::string& where, const Unit& unit) {
  as_object(v, where);
  Applicant a;
  a.id = as_id(require(v, "id", where), where + ".id");
  if (const json* edu = find(v, "education"); edu && !edu->is_null()) {
    const std::string ew = where + ".education";
    as_array(*edu, ew);
    a.education.reserve(edu->size());
    for (std::size_t i = 0; i < edu->size(); ++i) {
      const std::string rw = path(ew, i);
      const json& r = as_object((*edu)[i], rw);
      EducationRecord rec;
      auto level = parse_education_level(as_string(require(r, "level", rw), rw + ".level"));
      if (!level)
        fail("invalid_value", rw + ".level",
             "a level is high_school, college, university or graduate");
      rec.level = *level;
      rec.region = as_region(require(r, "region", rw), rw + ".region");
      auto status = parse_education_status(as_string(require(r, "status", rw), rw + ".status"));
      if (!status)
        fail("invalid_value", rw + ".status",
             "a status is graduated, expected, enrolled or dropped");
      rec.status = *status;
      a.education.push_back(rec);
    }
  }
  a.scores.assign(unit.stages.size(), std::nullopt);
  auto stage_index = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t s = 0; s < unit.stages.size(); ++s)
      if (unit.stages[s].name == name) return s;
    return std::nullopt;
  };
  if (const json* scores = find(v, "scores"); scores && !scores->is_null()) {
    const std::string sw = where + ".scores";
    as_object(*scores, sw);
    for (const auto& [name, value] : scores->items()) {
      const std::string w = sw + "." + name;
      auto s = stage_index(name);
      if (!s) fail("unknown_stage", w, "the unit has no stage '" + name + "'");
      if (!value.is_null()) a.scores[*s] = as_decimal(value, w);
    }
  }
  if (const json* dq = find(v, "disqualified"); dq && !dq->is_null()) {
    const std::string dw = where + ".disqualified";
    as_array(*dq, dw);
    for (std::size_t i = 0; i < dq->size(); ++i) {
      const std::string w = path(dw, i);
      const std::string name = as_string((*dq)[i], w);
      auto s = stage_index(name);
      if (!s) fail("unknown_stage", w, "the unit has no stage '" + name + "'");
      a.disqualified |= std::uint64_t{1} << *s;
    }
  }
  if (const json* attrs = find(v, "attributes"); attrs && !attrs->is_null()) {
    const std::string aw = where + ".attributes";
    as_object(*attrs, aw);
    for (const auto& [name, value] : attrs->items())
      a.attributes.emplace_back(name, attribute_text(value, aw + "." + name));
  }
  return a;
}

Unit parse_unit(const json& v, const std::string& where) {
  as_object(v, where);
  Unit u;
  u.id = as_id(require(v, "id", where), where + ".id");
  u.field = as_string(require(v, "field", where), where + ".field");
  u.planned = as_count(require(v, "planned", where), where + ".planned");
  if (const json* e = find(v, "exemptions"); e && !e->is_null()) {
    as_array(*e, where + ".exemptions");
    for (std::size_t i = 0; i < e->size(); ++i)
      u.exemptions.push_back(as_string((*e)[i], path(where + ".exemptions", i)));
  }
  if (const json* x = find(v, "requires_experience"); x && !x->is_null())
    u.requires_experience = as_bool(*x, where + ".requires_experience");
  if (const json* x = find(v, "min_degree"); x && !x->is_null())
    u.min_degree = as_string(*x, where + ".min_degree");
  if (const json* x = find(v, "branch_region"); x && !x->is_null())
    u.branch_region = as_region(*x, where + ".branch_region");
  const std::string sw = where + ".stages";
  const json& stages = as_array(require(v, "stages", where), sw);
  if (stages.size() > kMaxStages)
    fail("invalid_value", sw, "at most " + std::to_string(kMaxStages) + " stages per unit");
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::string w = path(sw, s);
    const json& st = as_object(stages[s], w);
    Stage stage;
    stage.name = as_string(require(st, "name", w), w + ".name");
    stage.planned = as_count(require(st, "planned", w), w + ".planned");
    if (const json* th = find(st, "threshold"); th && !th->is_null()) {
      const std::string tw = w + ".threshold";
      as_object(*th, tw);
      if (const json* m = find(*th, "min_score"); m && !m->is_null())
        stage.threshold.min_score = as_decimal(*m, tw + ".min_score");
      if (const json* b = find(*th, "below_cut"); b && !b->is_null())
        stage.threshold.below_cut = as_decimal(*b, tw + ".below_cut");
    }
    u.stages.push_back(std::move(stage));
  }
  if (const json* apps = find(v, "applicants"); apps && !apps->is_null()) {
    const std::string aw = where + ".applicants";
    as_array(*apps, aw);
    u.applicants.reserve(apps->size());
    for (std::size_t a = 0; a < apps->size(); ++a)
      u.applicants.push_back(parse_applicant((*apps)[a], path(aw, a), u));
  }
  return u;
}

std::vector<ProgramRef> parse_programs(const json& programs) {
  std::vector<ProgramRef> out;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const std::string w = path("programs", p);
    if (programs[p].is_string())
      out.emplace_back(programs[p].get<std::string>());
    else if (programs[p].is_object())
      out.emplace_back(parse_inline_program(programs[p], w));
    else
      fail("wrong_type", w, "a program is a rule pack id or an inline program object");
  }
  return out;
}

Case parse_case(const json& doc) {
  as_object(doc, "$");
  const std::string format = as_string(require(doc, "format", ""), "format");
  if (format == "quota-case/2") return parse_case_v2(doc);
  if (format != "quota-case/1")
    fail("unsupported_format", "format",
         "expected \"quota-case/2\" (or \"quota-case/1\"), got \"" + format + "\"");
  Case c;
  const json& agency = as_object(require(doc, "agency", ""), "agency");
  c.agency.code = as_id(require(agency, "code", "agency"), "agency.code");
  c.agency.region = as_region(require(agency, "region", "agency"), "agency.region");
  c.agency.designated =
      static_cast<int>(as_count(require(agency, "designated", "agency"), "agency.designated"));
  const json& rec = as_object(require(doc, "recruitment", ""), "recruitment");
  c.recruitment.id = as_id(require(rec, "id", "recruitment"), "recruitment.id");
  c.recruitment.announced =
      as_date(require(rec, "announced", "recruitment"), "recruitment.announced");
  c.programs = parse_programs(as_array(require(doc, "programs", ""), "programs"));
  const json& units = as_array(require(doc, "units", ""), "units");
  c.units.reserve(units.size());
  for (std::size_t u = 0; u < units.size(); ++u)
    c.units.push_back(parse_unit(units[u], path("units", u)));
  if (const json* ledger = find(doc, "ledger"); ledger && !ledger->is_null()) {
    as_object(*ledger, "ledger");
    if (const json* prior = find(*ledger, "prior"); prior && !prior->is_null()) {
      as_array(*prior, "ledger.prior");
      for (std::size_t l = 0; l < prior->size(); ++l) {
        const std::string w = path("ledger.prior", l);
        const json& e = as_object((*prior)[l], w);
        LedgerEntry entry;
        entry.field = as_string(require(e, "field", w), w + ".field");
        entry.hires = as_count(require(e, "hires", w), w + ".hires");
        if (const json* g = find(e, "group_hires"); g && !g->is_null()) {
          as_object(*g, w + ".group_hires");
          for (const auto& [program, n] : g->items())
            entry.group_hires[program] = as_count(n, w + ".group_hires." + program);
        }
        c.ledger.push_back(std::move(entry));
      }
    }
  }
  return c;
}

/// Records the byte offset of the first parse error, for errors nlohmann raises without one
/// (a number too large for any machine type: `1e999`).
struct ErrorPosition : nlohmann::json_sax<json> {
  std::size_t position = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string& token,
                   const nlohmann::detail::exception&) override {
    position = pos >= token.size() ? pos - token.size() + 1 : 1;  // where the token begins
    return false;
  }
};

/// `line L, column C` (1-based, columns in code points) of the 1-based byte offset `byte`.
std::string line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  const std::size_t end = std::min<std::size_t>(byte > 0 ? byte - 1 : 0, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count UTF-8 code points, not bytes
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string without_prefix(std::string what) {
  if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
  return what;
}

}  // namespace

Case detail::parse_case_tree(const json& doc) { return parse_case(doc); }

Result<Case> detail::parse_case_json_general(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset where parsing failed.
    return make_error("malformed_json", line_and_column(text, e.byte),
                      "the case is not valid JSON: " + without_prefix(e.what()));
  } catch (const json::exception& e) {
    // Out of range numbers carry no position; a second, event-only parse finds it.
    ErrorPosition where;
    json::sax_parse(text.begin(), text.end(), &where);
    return make_error("malformed_json", line_and_column(text, where.position),
                      "the case is not valid JSON: " + without_prefix(e.what()));
  }
  try {
    return parse_case(doc);
  } catch (const Failure& f) {
    return f.error;
  }
}

Result<Case> parse_case_json(std::string_view text) {
  if (auto fast = detail::parse_case_json_fast(text)) return std::move(*fast);
  return detail::parse_case_json_general(text);
}

Spec declared_spec(std::string_view text) {
  try {
    const json doc = json::parse(text.begin(), text.end());
    if (doc.is_object()) {
      auto it = doc.find("format");
      if (it != doc.end() && *it == "quota-case/2") return Spec::v2;
    }
  } catch (const json::exception&) {
  }
  return Spec::v1;
}

Result<std::vector<ProgramRef>> parse_programs_json(std::string_view text) {
  try {
    const json doc = json::parse(text.begin(), text.end());
    return parse_programs(as_array(doc, "programs"));
  } catch (const json::exception& e) {
    return make_error("malformed_json", "programs",
                      "the programs are not valid JSON: " + without_prefix(e.what()));
  } catch (const Failure& f) {
    return f.error;
  }
}

}  // namespace passline
