// Writing a decision as `quota-decision/1` (SPEC.md §6). Deterministic: keys sorted bytewise
// (nlohmann::json objects are std::map), applicants sorted by id, decimals canonical.
#include <algorithm>
#include <numeric>
#include <nlohmann/json.hpp>

#include "passline/json.h"

namespace passline {
namespace {

using nlohmann::json;

json decimal_or_null(const std::optional<Decimal>& d) {
  return d ? json(d->to_string()) : json(nullptr);
}

json stage_outcome_json(const Stage& stage, const StageOutcome& o,
                        const std::vector<Program>& programs) {
  json j = json::object();
  j["stage"] = stage.name;
  switch (o.outcome) {
    case Outcome::pass_rank: j["decision"] = "pass"; j["basis"] = "rank"; break;
    case Outcome::pass_tie: j["decision"] = "pass"; j["basis"] = "tie"; break;
    case Outcome::pass_additional:
      j["decision"] = "pass";
      j["basis"] = "additional";
      j["program"] = programs[o.program].id;
      break;
    case Outcome::fail_disqualified: j["decision"] = "fail"; j["reason"] = "disqualified"; break;
    case Outcome::fail_below_cut: j["decision"] = "fail"; j["reason"] = "below_cut"; break;
    case Outcome::not_reached: break;
  }
  return j;
}

json unit_json(const Unit& unit, const UnitDecision& ud, const std::vector<Program>& programs) {
  json j = json::object();
  j["id"] = ud.id;
  j["exempt"] = ud.exempt ? json(*ud.exempt) : json(nullptr);
  j["hires"] = ud.hires;
  json group_hires = json::object();
  for (std::size_t p = 0; p < programs.size(); ++p) group_hires[programs[p].id] = ud.group_hires[p];
  j["group_hires"] = std::move(group_hires);

  json stages = json::array();
  for (const StageResult& s : ud.stages) {
    json js = json::object();
    js["name"] = s.name;
    js["planned"] = s.planned;
    js["considered"] = s.considered;
    js["cut"] = decimal_or_null(s.cut);
    js["threshold"] = decimal_or_null(s.threshold);
    js["passed"] = s.passed;
    json jp = json::array();
    for (std::size_t p = 0; p < s.programs.size(); ++p) {
      const ProgramStageResult& r = s.programs[p];
      jp.push_back({{"program", programs[p].id},
                    {"target", r.target},
                    {"regular", r.regular},
                    {"additional", r.additional},
                    {"shortfall", r.shortfall},
                    {"stopped_by", r.stopped_by == StoppedBy::none
                                       ? json(nullptr)
                                       : json(std::string(to_string(r.stopped_by)))}});
    }
    js["programs"] = std::move(jp);
    stages.push_back(std::move(js));
  }
  j["stages"] = std::move(stages);

  std::vector<std::size_t> order(unit.applicants.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return unit.applicants[a].id < unit.applicants[b].id;
  });
  json applicants = json::array();
  for (std::size_t a : order) {
    json ja = json::object();
    ja["id"] = unit.applicants[a].id;
    json local = json::object();
    for (std::size_t p = 0; p < programs.size(); ++p)
      local[programs[p].id] = ((ud.local[a] >> p) & 1u) != 0;
    ja["local"] = std::move(local);
    json outcomes = json::array();
    for (std::size_t s = 0; s < unit.stages.size(); ++s) {
      const StageOutcome& o = ud.outcome(a, s);
      if (o.outcome == Outcome::not_reached) break;
      outcomes.push_back(stage_outcome_json(unit.stages[s], o, programs));
    }
    ja["stages"] = std::move(outcomes);
    applicants.push_back(std::move(ja));
  }
  j["applicants"] = std::move(applicants);
  return j;
}

}  // namespace

std::string decision_to_json(const Case& c, const Decision& d) {
  json doc = json::object();
  doc["format"] = "quota-decision/1";
  doc["recruitment"] = d.recruitment;
  json units = json::array();
  for (std::size_t u = 0; u < d.units.size(); ++u)
    units.push_back(unit_json(c.units[u], d.units[u], d.programs));
  doc["units"] = std::move(units);
  return doc.dump(1, ' ', false, json::error_handler_t::strict) + "\n";
}

std::string error_to_json(const Error& e) {
  json doc = {{"format", "quota-decision/1"},
              {"error", {{"code", e.code}, {"path", e.path}, {"message", e.message}}}};
  return doc.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace passline
