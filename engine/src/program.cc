// Education records, final education and group membership (SPEC.md §2).
#include "passline/program.h"

#include <algorithm>
#include <utility>

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
  if (t == "on_leave") return EducationStatus::on_leave;
  return std::nullopt;
}

std::optional<EducationKind> parse_education_kind(std::string_view t) noexcept {
  if (t == "regular") return EducationKind::regular;
  if (t == "remote") return EducationKind::remote;
  if (t == "misc") return EducationKind::misc;
  return std::nullopt;
}

std::string_view to_string(EducationKind k) noexcept {
  switch (k) {
    case EducationKind::regular: return "regular";
    case EducationKind::remote: return "remote";
    case EducationKind::misc: return "misc";
  }
  return "?";
}

namespace {
constexpr std::pair<std::string_view, Claim> kClaimNames[] = {
    {"small_field", Claim::small_field},
    {"small_hiring", Claim::small_hiring},
    {"experienced", Claim::experienced},
    {"research_masters", Claim::research_masters},
    {"doctorate", Claim::doctorate},
    {"regional_branch", Claim::regional_branch},
    {"applicant_share", Claim::applicant_share},
};
}  // namespace

std::optional<Claim> parse_claim_v2(std::string_view t) noexcept {
  for (const auto& [name, claim] : kClaimNames)
    if (name == t) return claim;
  return std::nullopt;
}

std::string_view to_string(Claim c) noexcept {
  for (const auto& [name, claim] : kClaimNames)
    if (claim == c) return name;
  return "?";
}

std::string_view to_string(ProgramSource s) noexcept {
  return s == ProgramSource::law ? "law" : "case";
}

RegionSet education_regions(const Group& g) {
  if (const auto* e = std::get_if<EducationGroup>(&g)) return e->regions;
  RegionSet out = 0;
  if (const auto* any = std::get_if<AnyOfGroup>(&g))
    for (const GroupNode& member : any->any_of) out |= education_regions(member.group);
  return out;
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
    case EducationStatus::on_leave: return "on_leave";
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

FinalEducationV2 final_education_v2(const std::vector<EducationRecord>& records,
                                    const EducationGroup& g) {
  // Among counting records below graduate school, the latest year when every one has a year,
  // else the highest level.
  FinalEducationV2 out;
  out.by_year = true;
  for (const EducationRecord& r : records) {
    if (r.level == EducationLevel::graduate || !(g.statuses & status_bit(r.status)) ||
        !(g.kinds & kind_bit(r.kind)))
      continue;
    if (r.year)
      out.latest_year = out.any ? std::max(out.latest_year, *r.year) : *r.year;
    else
      out.by_year = false;
    out.top = out.any ? std::max(out.top, r.level) : r.level;
    out.any = true;
  }
  if (!out.any) out.by_year = false;
  return out;
}

bool in_education_group_v2(const std::vector<EducationRecord>& records, const EducationGroup& g) {
  // A record counts at all when its status and kind are accepted (SPEC §3.1).
  auto counts = [&](const EducationRecord& r) {
    return (g.statuses & status_bit(r.status)) && (g.kinds & kind_bit(r.kind));
  };
  auto accepted = [&](const EducationRecord& r) {
    return (g.levels & level_bit(r.level)) && (g.regions & region_bit(r.region));
  };
  if (g.membership == Membership::any) {
    for (const EducationRecord& r : records)
      if (counts(r) && accepted(r)) return true;
    return false;
  }
  // `final`: any final record in the group suffices.
  const FinalEducationV2 final = final_education_v2(records, g);
  for (const EducationRecord& r : records)
    if (final.is_final(r, g) && accepted(r)) return true;
  return false;
}

}  // namespace passline
