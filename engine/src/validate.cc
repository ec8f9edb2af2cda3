// Structural checks of a case that do not depend on the rules (SPEC.md §6).
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "detail/utf8.h"
#include "detail/paths.h"
#include "passline/id.h"
#include "passline/decision.h"

namespace passline {

namespace {
/// The index of the first applicant whose id repeats an earlier one's, if any. An open-addressing
/// table of indices: no allocation per applicant (a node-based set dominated decide's time).
std::optional<std::size_t> first_duplicate_id(const std::vector<Applicant>& applicants) {
  std::size_t capacity = 16;
  while (capacity < applicants.size() * 2) capacity *= 2;
  std::vector<std::uint32_t> slots(capacity, 0);  // index + 1; 0 = empty
  const std::hash<std::string_view> hash;
  for (std::size_t a = 0; a < applicants.size(); ++a) {
    const std::string_view id = applicants[a].id;
    for (std::size_t h = hash(id) & (capacity - 1);; h = (h + 1) & (capacity - 1)) {
      if (slots[h] == 0) {
        slots[h] = static_cast<std::uint32_t>(a + 1);
        break;
      }
      if (applicants[slots[h] - 1].id == id) return a;
    }
  }
  return std::nullopt;
}

/// True when `s` is well-formed UTF-8 (detail/utf8.h). Every string a decision prints must be,
/// so the document is valid JSON.
bool valid_utf8(std::string_view s) { return detail::well_formed_utf8(s); }

Error not_utf8(const std::string& where) {
  return make_error("invalid_value", where, "the text is not valid UTF-8");
}

bool known_exemption(std::string_view claim) {
  return claim == "small_field" || claim == "experienced" || claim == "research_masters" ||
         claim == "regional_branch" || claim == "applicant_share";
}
}  // namespace

Status validate(const Case& c) {
  using detail::path;
  // The one rule for ids (passline/id.h, SPEC §6): every id may end up in a URL or a file.
  if (auto ok = check_id(c.agency.code, "agency.code"); !ok) return ok;
  if (auto ok = check_id(c.recruitment.id, "recruitment.id"); !ok) return ok;
  if (c.programs.size() > kMaxPrograms)
    return make_error("invalid_value", "programs",
                      "at most " + std::to_string(kMaxPrograms) + " programs per case");
  std::set<std::string> program_ids;
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    const std::string& id = std::holds_alternative<std::string>(c.programs[p])
                                ? std::get<std::string>(c.programs[p])
                                : std::get<Program>(c.programs[p]).id;
    if (id.empty())
      return make_error("invalid_value", path("programs", p), "a program id must not be empty");
    if (!valid_utf8(id)) return not_utf8(path("programs", p));
    if (!program_ids.insert(id).second)
      return make_error("duplicate_program", path("programs", p),
                        "program '" + id + "' is named twice");
  }
  std::set<std::string> unit_ids;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const std::string up = path("units", u);
    if (auto ok = check_id(unit.id, up + ".id"); !ok) return ok;
    if (!unit_ids.insert(unit.id).second)
      return make_error("duplicate_unit", up + ".id", "unit id '" + unit.id + "' is used twice");
    if (unit.planned < 0)
      return make_error("invalid_value", up + ".planned", "planned hires must be 0 or more");
    if (unit.stages.empty())
      return make_error("invalid_value", up + ".stages", "a unit needs at least one stage");
    if (unit.stages.size() > kMaxStages)
      return make_error("invalid_value", up + ".stages",
                        "at most " + std::to_string(kMaxStages) + " stages per unit");
    for (std::size_t e = 0; e < unit.exemptions.size(); ++e)
      if (!known_exemption(unit.exemptions[e]))
        return make_error("exemption_not_supported", up + ".exemptions",
                          "unknown exemption '" + unit.exemptions[e] +
                              "' (small_field, experienced, research_masters, regional_branch, "
                              "applicant_share)");
    std::set<std::string> stage_names;
    for (std::size_t s = 0; s < unit.stages.size(); ++s) {
      const Stage& st = unit.stages[s];
      const std::string sp = path(up + ".stages", s);
      if (st.name.empty())
        return make_error("invalid_value", sp + ".name", "a stage name must not be empty");
      if (!valid_utf8(st.name)) return not_utf8(sp + ".name");
      if (!stage_names.insert(st.name).second)
        return make_error("duplicate_stage", sp + ".name",
                          "stage '" + st.name + "' appears twice in the unit");
      if (st.planned < 0)
        return make_error("invalid_value", sp + ".planned", "planned passers must be 0 or more");
    }
    const std::size_t last = unit.stages.size() - 1;
    if (unit.stages[last].planned != unit.planned)
      return make_error("planned_mismatch", path(up + ".stages", last) + ".planned",
                        "the last stage's planned (" + std::to_string(unit.stages[last].planned) +
                            ") must equal the unit's planned (" + std::to_string(unit.planned) +
                            ")");
    if (unit.applicants.size() >= std::size_t{UINT32_MAX})
      return make_error("invalid_value", up + ".applicants", "too many applicants in one unit");
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      const Applicant& app = unit.applicants[a];
      if (auto ok = check_id(app.id, path(up + ".applicants", a) + ".id"); !ok) return ok;
      if (app.scores.size() != unit.stages.size())
        return make_error("invalid_value", path(up + ".applicants", a) + ".scores",
                          "one score slot per stage is required");
    }
    if (auto dup = first_duplicate_id(unit.applicants))
      return make_error("duplicate_applicant", path(up + ".applicants", *dup) + ".id",
                        "applicant id '" + unit.applicants[*dup].id + "' appears twice in unit '" +
                            unit.id + "'");
  }
  for (std::size_t l = 0; l < c.ledger.size(); ++l) {
    const LedgerEntry& e = c.ledger[l];
    const std::string lp = path("ledger.prior", l);
    if (e.hires < 0)
      return make_error("invalid_value", lp + ".hires", "prior hires must be 0 or more");
    for (const auto& [program, n] : e.group_hires)
      if (n < 0 || n > e.hires)
        return make_error("invalid_value", lp + ".group_hires." + program,
                          "group hires must be between 0 and the entry's hires");
  }
  return Status::ok_status();
}

}  // namespace passline
