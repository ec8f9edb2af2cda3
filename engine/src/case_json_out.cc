// Writing a case back as a `quota-case/1` document (SPEC.md §6): the inverse of
// parse_case_json, used for the log's input digest (SPEC §7).
#include <algorithm>
#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>

#include "detail/json_forms.h"
#include "detail/utf8.h"
#include "passline/json.h"

namespace passline {

namespace detail {

namespace {
nlohmann::json region_list(RegionSet set) {
  nlohmann::json out = nlohmann::json::array();
  for (int r = 0; r < kRegionCount; ++r)
    if (set & region_bit(static_cast<Region>(r)))
      out.push_back(std::string(to_string(static_cast<Region>(r))));
  return out;
}
}  // namespace

std::string ratio_text(const Ratio& r) {
  std::string s = r.to_string();
  const auto dot = s.find('.');
  if (dot == std::string::npos ||
      s.size() - dot - 1 <= static_cast<std::size_t>(Decimal::kMaxFractionDigits))
    return s;
  // More fraction digits than a decimal may carry (a ratio given as `12.345678%`): write it
  // back as the percentage it came from.
  const std::int64_t den = r.denominator() / 100;
  std::string frac = std::to_string(r.numerator() % den);
  const std::size_t width = std::to_string(den).size() - 1;
  frac.insert(0, width - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return std::to_string(r.numerator() / den) + (frac.empty() ? "" : "." + frac) + "%";
}

nlohmann::json program_json(const Program& p) {
  nlohmann::json j;
  j["id"] = p.id;
  if (const auto* e = std::get_if<EducationGroup>(&p.group)) {
    nlohmann::json levels = nlohmann::json::array(), statuses = nlohmann::json::array();
    for (auto l : {EducationLevel::high_school, EducationLevel::college, EducationLevel::university,
                   EducationLevel::graduate})
      if (e->levels & level_bit(l)) levels.push_back(std::string(to_string(l)));
    for (auto s : {EducationStatus::graduated, EducationStatus::expected, EducationStatus::enrolled,
                   EducationStatus::dropped})
      if (e->statuses & status_bit(s)) statuses.push_back(std::string(to_string(s)));
    j["group"] = {
        {"education",
         {{"levels", levels}, {"statuses", statuses}, {"regions", region_list(e->regions)}}}};
  } else {
    const auto& a = std::get<AttributeGroup>(p.group);
    j["group"] = {{"attribute", {{"name", a.name}, {"equals", a.equals}}}};
  }
  j["ratio"] = ratio_text(p.ratio);
  j["rounding"] = std::string(to_string(p.rounding));
  if (p.cap)
    j["cap"] = {{"ratio", ratio_text(p.cap->ratio)},
                {"rounding", std::string(to_string(p.cap->rounding))}};
  j["scope"] = std::string(to_string(p.scope));
  j["min_planned"] = p.min_planned;
  return j;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes written as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0x0F];
    }
  }
  out.append(s, plain, std::string_view::npos);
  out += '"';
}

bool simple_attribute_json(std::string_view text) {
  if (text == "true" || text == "false") return true;
  if (text.empty()) return false;
  if (text.front() >= '0' && text.front() <= '9') {
    if (text.size() > 15 || (text.size() > 1 && text.front() == '0')) return false;
    for (char ch : text)
      if (ch < '0' || ch > '9') return false;
    return true;
  }
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  bool high = false;
  for (unsigned char ch : inner) {
    if (ch == '"' || ch == '\\' || ch < 0x20) return false;
    high = high || ch >= 0x80;
  }
  return !high || well_formed_utf8(inner);
}

nlohmann::json education_json(const std::vector<EducationRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const EducationRecord& r : records)
    out.push_back({{"level", std::string(to_string(r.level))},
                   {"region", std::string(to_string(r.region))},
                   {"status", std::string(to_string(r.status))}});
  return out;
}

nlohmann::json threshold_json(const Threshold& t) {
  nlohmann::json out = nlohmann::json::object();
  if (t.min_score) out["min_score"] = t.min_score->to_string();
  if (t.below_cut) out["below_cut"] = t.below_cut->to_string();
  return out;
}

nlohmann::json attributes_json(const std::vector<std::pair<std::string, std::string>>& attributes) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : attributes)
    if (!out.contains(name)) out[name] = value;
  return out;
}

nlohmann::json disqualified_json(const Unit& u, std::uint64_t mask) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t s = 0; s < u.stages.size() && s < kMaxStages; ++s)
    if (mask & (std::uint64_t{1} << s)) out.push_back(u.stages[s].name);
  return out;
}

nlohmann::json ledger_json(const std::vector<LedgerEntry>& ledger) {
  nlohmann::json out = nlohmann::json::array();
  for (const LedgerEntry& e : ledger) {
    nlohmann::json g = nlohmann::json::object();
    for (const auto& [program, n] : e.group_hires) g[program] = n;
    out.push_back({{"field", e.field}, {"hires", e.hires}, {"group_hires", std::move(g)}});
  }
  return out;
}

}  // namespace detail

namespace {

constexpr std::string_view kApplicantsMarker = "\x01PASSLINE-APPLICANTS-";

/// out += t, the length of the literal known at compile time (no strlen per call).
template <std::size_t N>
void append_literal(std::string& out, const char (&t)[N]) {
  out.append(t, N - 1);
}

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth), ' '); }

// One unit's applicants array, laid out as nlohmann::json's dump(1) lays it out at this depth
// (the array opens on the `"applicants": ` line at depth 3): keys sorted bytewise.
// `flush(out)` is called between applicants once `out` holds 64 KiB or more; it may consume and
// clear `out` (case_json_pieces), or do nothing (case_to_json).
// quota-case/2 (v2): education records with their kind and year, attribute values as the JSON
// text they hold (each simple_attribute_json(), checked by the caller).
template <class Flush>
void write_applicants(std::string& out, const Unit& u, bool v2, Flush&& flush) {
  if (u.applicants.empty()) {
    append_literal(out, "[]");
    return;
  }
  // Stage names sorted bytewise, for the scores object.
  std::vector<std::size_t> by_name(u.stages.size());
  for (std::size_t s = 0; s < by_name.size(); ++s) by_name[s] = s;
  std::sort(by_name.begin(), by_name.end(),
            [&](std::size_t a, std::size_t b) { return u.stages[a].name < u.stages[b].name; });
  append_literal(out, "[\n");
  for (std::size_t i = 0; i < u.applicants.size(); ++i) {
    const Applicant& a = u.applicants[i];
    indent(out, 4);
    append_literal(out, "{\n");
    // attributes: the first occurrence of a name, names sorted bytewise
    indent(out, 5);
    append_literal(out, "\"attributes\": ");
    std::vector<const std::pair<std::string, std::string>*> attrs;
    for (const auto& kv : a.attributes) {
      bool seen = false;
      for (const auto* p : attrs) seen = seen || p->first == kv.first;
      if (!seen) attrs.push_back(&kv);
    }
    std::sort(attrs.begin(), attrs.end(), [](auto* x, auto* y) { return x->first < y->first; });
    if (attrs.empty()) {
      append_literal(out, "{}");
    } else {
      append_literal(out, "{\n");
      for (std::size_t k = 0; k < attrs.size(); ++k) {
        indent(out, 6);
        detail::append_json_string(out, attrs[k]->first);
        append_literal(out, ": ");
        if (v2)
          out += attrs[k]->second;
        else
          detail::append_json_string(out, attrs[k]->second);
        out += k + 1 < attrs.size() ? ",\n" : "\n";
      }
      indent(out, 5);
      out += '}';
    }
    append_literal(out, ",\n");
    indent(out, 5);
    append_literal(out, "\"disqualified\": ");
    std::vector<std::size_t> dq;
    for (std::size_t s = 0; s < u.stages.size() && s < kMaxStages; ++s)
      if (a.disqualified & (std::uint64_t{1} << s)) dq.push_back(s);
    if (dq.empty()) {
      append_literal(out, "[]");
    } else {
      append_literal(out, "[\n");
      for (std::size_t k = 0; k < dq.size(); ++k) {
        indent(out, 6);
        detail::append_json_string(out, u.stages[dq[k]].name);
        out += k + 1 < dq.size() ? ",\n" : "\n";
      }
      indent(out, 5);
      out += ']';
    }
    append_literal(out, ",\n");
    indent(out, 5);
    append_literal(out, "\"education\": ");
    if (a.education.empty()) {
      append_literal(out, "[]");
    } else {
      append_literal(out, "[\n");
      for (std::size_t k = 0; k < a.education.size(); ++k) {
        const EducationRecord& r = a.education[k];
        indent(out, 6);
        append_literal(out, "{\n");
        if (v2) {
          indent(out, 7);
          append_literal(out, "\"kind\": \"");
          out += to_string(r.kind);
          append_literal(out, "\",\n");
        }
        indent(out, 7);
        append_literal(out, "\"level\": \"");
        out += to_string(r.level);
        append_literal(out, "\",\n");
        indent(out, 7);
        append_literal(out, "\"region\": \"");
        out += to_string(r.region);
        append_literal(out, "\",\n");
        indent(out, 7);
        append_literal(out, "\"status\": \"");
        out += to_string(r.status);
        if (v2 && r.year) {
          append_literal(out, "\",\n");
          indent(out, 7);
          append_literal(out, "\"year\": ");
          out += std::to_string(*r.year);
          out += '\n';
        } else {
          append_literal(out, "\"\n");
        }
        indent(out, 6);
        out += k + 1 < a.education.size() ? "},\n" : "}\n";
      }
      indent(out, 5);
      out += ']';
    }
    append_literal(out, ",\n");
    indent(out, 5);
    append_literal(out, "\"id\": ");
    detail::append_json_string(out, a.id);
    append_literal(out, ",\n");
    indent(out, 5);
    append_literal(out, "\"scores\": ");
    if (by_name.empty()) {
      append_literal(out, "{}");
    } else {
      append_literal(out, "{\n");
      // A repeated stage name keeps the last score, as json[name] = ... would.
      std::size_t written = 0;
      for (std::size_t k = 0; k < by_name.size(); ++k) {
        const std::size_t s = by_name[k];
        std::size_t last = s;
        for (std::size_t t = s + 1; t < u.stages.size(); ++t)
          if (u.stages[t].name == u.stages[s].name) last = t;
        if (k > 0 && u.stages[by_name[k - 1]].name == u.stages[s].name) continue;
        if (written++) append_literal(out, ",\n");
        indent(out, 6);
        detail::append_json_string(out, u.stages[s].name);
        append_literal(out, ": ");
        if (last < a.scores.size() && a.scores[last]) {
          out += '"';
          out += a.scores[last]->to_string();
          out += '"';
        } else {
          append_literal(out, "null");
        }
      }
      out += '\n';
      indent(out, 5);
      out += '}';
    }
    out += '\n';
    indent(out, 4);
    out += i + 1 < u.applicants.size() ? "},\n" : "}\n";
    if (out.size() >= (std::size_t{1} << 16)) flush(out);
  }
  indent(out, 3);
  out += ']';
}

}  // namespace

namespace {

nlohmann::json programs_json(const std::vector<ProgramRef>& programs) {
  nlohmann::json out = nlohmann::json::array();
  for (const ProgramRef& p : programs) {
    if (const auto* id = std::get_if<std::string>(&p))
      out.push_back(*id);
    else
      out.push_back(detail::program_json(std::get<Program>(p)));
  }
  return out;
}

}  // namespace

std::string programs_to_json(const std::vector<ProgramRef>& programs) {
  const bool v2 = std::any_of(programs.begin(), programs.end(), [](const ProgramRef& p) {
    const auto* inline_program = std::get_if<Program>(&p);
    return inline_program && (!inline_program->exemptions.empty() || inline_program->strict_share ||
                              std::holds_alternative<AnyOfGroup>(inline_program->group));
  });
  return v2 ? detail::programs_json_v2(programs).dump() : programs_json(programs).dump();
}

namespace {

/// The marker a unit's `applicants` holds in the document until write_applicants() replaces it.
std::string applicants_marker(std::size_t u) {
  return std::string(kApplicantsMarker) + std::to_string(u) + "\x01";
}

/// `doc` dumped as nlohmann::json's dump(1) lays it out, each unit's applicants marker replaced
/// by write_applicants(): the text of the document with the applicants in it.
template <class Flush>
std::string splice_applicants(const Case& c, const nlohmann::json& doc, bool v2, Flush&& flush) {
  using nlohmann::json;
  std::string text;
  try {
    text = doc.dump(1, ' ', false);
  } catch (const json::type_error&) {
    throw std::invalid_argument("case_to_json: a text field of the case is not valid UTF-8");
  }
  // Splice each unit's applicants in place of its marker. The marker is found with the raw
  // quotes around `applicants`, which a string value can never contain unescaped.
  std::string out;
  out.reserve(text.size() + 256 * 1024);
  std::size_t from = 0;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const std::string marker =
        "\"applicants\": \"\\u0001PASSLINE-APPLICANTS-" + std::to_string(u) + "\\u0001\"";
    const std::size_t at = text.find(marker, from);
    if (at == std::string::npos)
      throw std::logic_error("case_to_json: lost the applicants of a unit");
    out.append(text, from, at - from);
    out += "\"applicants\": ";
    write_applicants(out, c.units[u], v2, flush);
    from = at + marker.size();
  }
  out.append(text, from, std::string::npos);
  out += '\n';
  return out;
}

/// quota-case/2 with every attribute value in the simple form write_applicants() copies: the
/// tree without applicants, spliced; nullopt otherwise (the caller dumps the whole tree).
template <class Flush>
std::optional<std::string> case_json_v2_spliced(const Case& c, Flush&& flush) {
  for (const Unit& u : c.units)
    for (const Applicant& a : u.applicants)
      for (const auto& kv : a.attributes)
        if (!detail::simple_attribute_json(kv.second)) return std::nullopt;
  nlohmann::json doc = detail::case_json_v2(c, false);
  for (std::size_t u = 0; u < c.units.size(); ++u)
    doc["units"][u]["applicants"] = applicants_marker(u);
  return splice_applicants(c, doc, true, flush);
}

/// The quota-case/1 text of case_to_json(), passing `flush` to write_applicants().
template <class Flush>
std::string case_json_v1(const Case& c, Flush&& flush) {
  using nlohmann::json;
  json doc;
  doc["format"] = "quota-case/1";
  doc["agency"] = {{"code", c.agency.code},
                   {"region", std::string(to_string(c.agency.region))},
                   {"designated", c.agency.designated}};
  doc["recruitment"] = {{"id", c.recruitment.id},
                        {"announced", c.recruitment.announced.to_string()}};
  doc["programs"] = programs_json(c.programs);
  json units = json::array();
  for (const Unit& u : c.units) {
    json unit;
    unit["id"] = u.id;
    unit["field"] = u.field;
    unit["planned"] = u.planned;
    unit["exemptions"] = u.exemptions;
    unit["requires_experience"] = u.requires_experience;
    if (u.min_degree) unit["min_degree"] = *u.min_degree;
    if (u.branch_region) unit["branch_region"] = std::string(to_string(*u.branch_region));
    json stages = json::array();
    for (const Stage& s : u.stages)
      stages.push_back({{"name", s.name},
                        {"planned", s.planned},
                        {"threshold", detail::threshold_json(s.threshold)}});
    unit["stages"] = std::move(stages);
    // Applicants are written directly below (the bulk of a large case), in the same layout.
    unit["applicants"] = applicants_marker(units.size());
    units.push_back(std::move(unit));
  }
  doc["units"] = std::move(units);
  doc["ledger"] = {{"prior", detail::ledger_json(c.ledger)}};
  return splice_applicants(c, doc, false, flush);
}

}  // namespace

std::string case_to_json(const Case& c) {
  if (c.spec == Spec::v2) {
    if (auto text = case_json_v2_spliced(c, [](std::string&) {})) return std::move(*text);
    try {
      return detail::case_json_v2(c, true).dump(1, ' ', false) + "\n";
    } catch (const nlohmann::json::type_error&) {
      throw std::invalid_argument("case_to_json: a text field of the case is not valid UTF-8");
    }
  }
  return case_json_v1(c, [](std::string&) {});
}

void detail::case_json_pieces(const Case& c, const std::function<void(std::string_view)>& piece) {
  auto flush = [&](std::string& out) {
    piece(out);
    out.clear();
  };
  if (c.spec == Spec::v2) {
    for (const Unit& u : c.units)
      for (const Applicant& a : u.applicants)
        for (const auto& kv : a.attributes)
          if (!detail::simple_attribute_json(kv.second)) {
            piece(case_to_json(c));
            return;
          }
    piece(*case_json_v2_spliced(c, flush));
    return;
  }
  piece(case_json_v1(c, flush));
}

}  // namespace passline

// ---- quota-case/2 -------------------------------------------------------------------------

namespace passline::detail {
namespace {

nlohmann::json bits_json(std::uint8_t bits, std::initializer_list<std::string_view> names) {
  nlohmann::json out = nlohmann::json::array();
  int i = 0;
  for (std::string_view n : names) {
    if (bits & (1u << i)) out.push_back(std::string(n));
    ++i;
  }
  return out;
}

nlohmann::json group_json_v2(const Group& g) {
  if (const auto* e = std::get_if<EducationGroup>(&g))
    return {
        {"education",
         {{"levels", bits_json(e->levels, {"high_school", "college", "university", "graduate"})},
          {"statuses",
           bits_json(e->statuses, {"graduated", "expected", "enrolled", "dropped", "on_leave"})},
          {"regions", region_list(e->regions)},
          {"kinds", bits_json(e->kinds, {"regular", "remote", "misc"})},
          {"membership", e->membership == Membership::final ? "final" : "any"}}}};
  if (const auto* a = std::get_if<AttributeGroup>(&g))
    return {{"attribute", {{"name", a->name}, {"equals", nlohmann::json::parse(a->equals)}}}};
  nlohmann::json members = nlohmann::json::array();
  for (const GroupNode& m : std::get<AnyOfGroup>(g).any_of)
    members.push_back(group_json_v2(m.group));
  return {{"any_of", std::move(members)}};
}

}  // namespace

nlohmann::json program_json_v2(const Program& p) {
  nlohmann::json j;
  j["id"] = p.id;
  j["group"] = group_json_v2(p.group);
  j["ratio"] = ratio_text(p.ratio);
  j["rounding"] = std::string(to_string(p.rounding));
  if (p.cap)
    j["cap"] = {{"ratio", ratio_text(p.cap->ratio)},
                {"rounding", std::string(to_string(p.cap->rounding))}};
  j["scope"] = std::string(to_string(p.scope));
  j["min_planned"] = p.min_planned;
  nlohmann::json claims = nlohmann::json::array();
  for (Claim c : p.exemptions) claims.push_back(std::string(to_string(c)));
  j["exemptions"] = std::move(claims);
  j["strict_share"] = p.strict_share;
  return j;
}

nlohmann::json agency_json_v2(const Agency& a) {
  nlohmann::json j = {{"code", a.code},
                      {"region", std::string(to_string(a.region))},
                      {"public_institution", a.public_institution},
                      {"innovation_city", nullptr}};
  if (a.innovation_city)
    j["innovation_city"] = {{"cohort", a.innovation_city->cohort},
                            {"since", a.innovation_city->since.to_string()},
                            {"joint_city", a.innovation_city->joint_city}};
  return j;
}

nlohmann::json education_json_v2(const std::vector<EducationRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const EducationRecord& r : records) {
    nlohmann::json j = {{"level", std::string(to_string(r.level))},
                        {"region", std::string(to_string(r.region))},
                        {"status", std::string(to_string(r.status))},
                        {"kind", std::string(to_string(r.kind))}};
    if (r.year) j["year"] = *r.year;
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json attributes_json_v2(
    const std::vector<std::pair<std::string, std::string>>& attributes) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : attributes)
    if (!out.contains(name)) out[name] = nlohmann::json::parse(value);
  return out;
}

nlohmann::json unit_head_json_v2(const Unit& u) {
  nlohmann::json unit;
  unit["id"] = u.id;
  unit["field"] = u.field;
  unit["planned"] = u.planned;
  nlohmann::json claims = nlohmann::json::object();
  for (const ProgramClaims& pc : u.claims) claims[pc.program] = pc.claims;
  unit["exemptions"] = std::move(claims);
  unit["requires_experience"] = u.requires_experience;
  if (u.min_degree) unit["min_degree"] = *u.min_degree;
  unit["research_post"] = u.research_post;
  unit["notified_field"] = u.notified_field;
  if (u.branch_region) unit["branch_region"] = std::string(to_string(*u.branch_region));
  if (u.branch_service_years) unit["branch_service_years"] = *u.branch_service_years;
  nlohmann::json stages = nlohmann::json::array();
  for (const Stage& s : u.stages)
    stages.push_back(
        {{"name", s.name}, {"planned", s.planned}, {"threshold", threshold_json(s.threshold)}});
  unit["stages"] = std::move(stages);
  return unit;
}

nlohmann::json ledger_json_v2(const std::vector<LedgerEntry>& ledger) {
  nlohmann::json out = nlohmann::json::array();
  for (const LedgerEntry& e : ledger)
    out.push_back({{"field", e.field},
                   {"posts", e.posts},
                   {"hires", e.hires},
                   {"obligated", e.obligated},
                   {"group_hires", e.group_hires}});
  return out;
}

nlohmann::json programs_json_v2(const std::vector<ProgramRef>& programs) {
  nlohmann::json out = nlohmann::json::array();
  for (const ProgramRef& p : programs) {
    if (const auto* id = std::get_if<std::string>(&p))
      out.push_back(*id);
    else
      out.push_back(program_json_v2(std::get<Program>(p)));
  }
  return out;
}

nlohmann::json case_json_v2(const Case& c, bool with_applicants) {
  nlohmann::json doc;
  doc["format"] = "quota-case/2";
  doc["agency"] = agency_json_v2(c.agency);
  doc["recruitment"] = {{"id", c.recruitment.id},
                        {"announced", c.recruitment.announced.to_string()}};
  doc["programs"] = programs_json_v2(c.programs);
  nlohmann::json units = nlohmann::json::array();
  for (const Unit& u : c.units) {
    nlohmann::json unit = unit_head_json_v2(u);
    if (with_applicants) {
      nlohmann::json apps = nlohmann::json::array();
      for (const Applicant& a : u.applicants) {
        nlohmann::json scores = nlohmann::json::object();
        for (std::size_t s = 0; s < u.stages.size(); ++s)
          scores[u.stages[s].name] = s < a.scores.size() && a.scores[s]
                                         ? nlohmann::json(a.scores[s]->to_string())
                                         : nlohmann::json(nullptr);
        apps.push_back({{"id", a.id},
                        {"education", education_json_v2(a.education)},
                        {"scores", std::move(scores)},
                        {"disqualified", disqualified_json(u, a.disqualified)},
                        {"attributes", attributes_json_v2(a.attributes)}});
      }
      unit["applicants"] = std::move(apps);
    }
    units.push_back(std::move(unit));
  }
  doc["units"] = std::move(units);
  doc["ledger"] = {{"prior", ledger_json_v2(c.ledger)}};
  return doc;
}

}  // namespace passline::detail
