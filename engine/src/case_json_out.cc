// Writing a case back as a `quota-case/1` document (SPEC.md §6): the inverse of
// parse_case_json, used for the log's input digest (SPEC §7).
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "detail/json_forms.h"
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
  if (dot == std::string::npos || s.size() - dot - 1 <= static_cast<std::size_t>(Decimal::kMaxFractionDigits))
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
    j["group"] = {{"education",
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

std::string case_to_json(const Case& c) {
  using nlohmann::json;
  json doc;
  doc["format"] = "quota-case/1";
  doc["agency"] = {{"code", c.agency.code},
                   {"region", std::string(to_string(c.agency.region))},
                   {"designated", c.agency.designated}};
  doc["recruitment"] = {{"id", c.recruitment.id}, {"announced", c.recruitment.announced.to_string()}};
  json programs = json::array();
  for (const ProgramRef& p : c.programs) {
    if (const auto* id = std::get_if<std::string>(&p))
      programs.push_back(*id);
    else
      programs.push_back(detail::program_json(std::get<Program>(p)));
  }
  doc["programs"] = std::move(programs);
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
      stages.push_back({{"name", s.name}, {"planned", s.planned},
                        {"threshold", detail::threshold_json(s.threshold)}});
    unit["stages"] = std::move(stages);
    json applicants = json::array();
    for (const Applicant& a : u.applicants) {
      json app;
      app["id"] = a.id;
      app["education"] = detail::education_json(a.education);
      json scores = json::object();
      for (std::size_t s = 0; s < u.stages.size(); ++s) {
        const bool has = s < a.scores.size() && a.scores[s];
        scores[u.stages[s].name] = has ? json(a.scores[s]->to_string()) : json(nullptr);
      }
      app["scores"] = std::move(scores);
      app["disqualified"] = detail::disqualified_json(u, a.disqualified);
      app["attributes"] = detail::attributes_json(a.attributes);
      applicants.push_back(std::move(app));
    }
    unit["applicants"] = std::move(applicants);
    units.push_back(std::move(unit));
  }
  doc["units"] = std::move(units);
  doc["ledger"] = {{"prior", detail::ledger_json(c.ledger)}};
  try {
    return doc.dump(1, ' ', false) + "\n";
  } catch (const json::type_error&) {
    throw std::invalid_argument("case_to_json: a text field of the case is not valid UTF-8");
  }
}

}  // namespace passline
