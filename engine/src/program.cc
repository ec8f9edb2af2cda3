// Education records, final education and group membership (SPEC.md §2).
#include "passline/program.h"

namespace passline {

std::optional<EducationLevel> parse_education_level(std::string_view t) noexcept {
  if (t == "high_school") return EducationLevel::high_school;
  if (t == "college") return EducationLevel::college;
  if (t == "university") return EducationLevel::university;
  if (t == "graduate") return EducationLevel::graduate;
  return std::nullopt;
}

std::optional<EducationStatus> parse_education_status(std::string_view t) noexcept {
  if (t == "graduated") return EducationStatus::graduated;
  if (t == "expected") return EducationStatus::expected;
  if (t == "enrolled") return EducationStatus::enrolled;
  if (t == "dropped") return EducationStatus::dropped;
  return std::nullopt;
}

std::string_view to_string(EducationLevel l) noexcept {
  switch (l) {
    case EducationLevel::high_school: return "high_school";
    case EducationLevel::college: return "college";
    case EducationLevel::university: return "university";
    case EducationLevel::graduate: return "graduate";
  }
  return "?";
}

std::string_view to_string(EducationStatus s) noexcept {
  switch (s) {
    case EducationStatus::graduated: return "graduated";
    case EducationStatus::expected: return "expected";
    case EducationStatus::enrolled: return "enrolled";
    case EducationStatus::dropped: return "dropped";
  }
  return "?";
}

std::optional<Scope> parse_scope(std::string_view t) noexcept {
  if (t == "stage") return Scope::stage;
  if (t == "agency_year") return Scope::agency_year;
  return std::nullopt;
}

std::string_view to_string(Scope s) noexcept { return s == Scope::stage ? "stage" : "agency_year"; }

std::optional<std::size_t> final_education(const std::vector<EducationRecord>& records,
                                           StatusSet statuses) {
  // Graduate school never counts; high_school < college < university.
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const EducationRecord& r = records[i];
    if (r.level == EducationLevel::graduate) continue;
    if (!(statuses & status_bit(r.status))) continue;
    if (!best || r.level > records[*best].level) best = i;
  }
  return best;
}

bool in_education_group(const std::vector<EducationRecord>& records, const EducationGroup& g) {
  const auto best = final_education(records, g.statuses);
  if (!best) return false;
  const EducationLevel top = records[*best].level;
  if (!(g.levels & level_bit(top))) return false;
  for (const EducationRecord& r : records) {
    if (r.level != top || !(g.statuses & status_bit(r.status))) continue;
    if (g.regions & region_bit(r.region)) return true;
  }
  return false;
}

}  // namespace passline
