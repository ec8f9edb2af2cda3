// Exemptions (SPEC §5): Decree §30-2④ (혁신도시법 시행령) lists the units the ratio of §30-2②
// does not apply to. A unit claims them; each claim is checked here against the data, one
// function per claim, and an exempt unit is decided by rank alone (every target 0).
#include <string>
#include <variant>

#include "detail/paths.h"
#include "detail/steps.h"

namespace passline::detail {
namespace {

/// The claims of SPEC §5 and their checks, in SPEC order.
struct ClaimRule {
  std::string_view name;
  Claim claim;
  ClaimCheck (*check)(const ClaimContext&);
};

constexpr ClaimRule kClaimRules[] = {
    {"small_field", Claim::small_field, &check_small_field},
    {"experienced", Claim::experienced, &check_experienced},
    {"research_masters", Claim::research_masters, &check_research_masters},
    {"regional_branch", Claim::regional_branch, &check_regional_branch},
    {"applicant_share", Claim::applicant_share, &check_applicant_share},
};

}  // namespace

std::optional<Claim> parse_claim(std::string_view name) noexcept {
  for (const ClaimRule& r : kClaimRules)
    if (r.name == name) return r.claim;
  return std::nullopt;
}

ClaimCheck check_small_field(const ClaimContext& x) {
  std::int64_t hires = 0;
  for (const Unit& other : x.c.units)
    if (other.field == x.unit.field) hires += other.planned;
  for (const LedgerEntry& e : x.c.ledger)
    if (e.field == x.unit.field) hires += e.hires;
  if (hires <= 5) return {true, {}};
  return {false, "the year's hires in field '" + x.unit.field + "' are " + std::to_string(hires) +
                     ", more than 5"};
}

ClaimCheck check_experienced(const ClaimContext& x) {
  if (x.unit.requires_experience) return {true, {}};
  return {false, "the unit does not have requires_experience: true"};
}

ClaimCheck check_research_masters(const ClaimContext& x) {
  const auto& degree = x.unit.min_degree;
  if (degree && (*degree == "masters" || *degree == "doctorate")) return {true, {}};
  return {false, "the unit's min_degree is not masters or doctorate"};
}

ClaimCheck check_regional_branch(const ClaimContext& x) {
  if (!x.unit.branch_region) return {false, "the unit has no branch_region"};
  const Region branch = *x.unit.branch_region;
  for (const Program& p : x.programs) {
    const auto* g = std::get_if<EducationGroup>(&p.group);
    if (g && (g->regions & region_bit(branch)))
      return {false, "the branch region " + std::string(to_string(branch)) +
                         " is inside a program's regions"};
  }
  return {true, {}};
}

ClaimCheck check_applicant_share(const ClaimContext& x) {
  const auto total = static_cast<std::int64_t>(x.unit.applicants.size());
  for (std::size_t p = 0; p < x.programs.size(); ++p) {
    std::int64_t members = 0;
    for (std::uint32_t mask : x.local) members += (mask >> p) & 1u;
    if (x.programs[p].ratio.at_most(members, total)) continue;
    return {false, "program '" + x.programs[p].id + "' has " + std::to_string(members) +
                       " group members among " + std::to_string(total) + " applicants, more than " +
                       x.programs[p].ratio.to_string() + " of them"};
  }
  return {true, {}};
}

ClaimCheck check_claim(Claim claim, const ClaimContext& x) {
  for (const ClaimRule& r : kClaimRules)
    if (r.claim == claim) return r.check(x);
  return {};
}

Result<std::optional<std::string>> check_exemptions(const Case& c, std::size_t u,
                                                    const std::vector<Program>& programs,
                                                    const std::vector<std::uint32_t>& local) {
  const Unit& unit = c.units[u];
  const ClaimContext x{c, unit, programs, local};
  for (const std::string& claim : unit.exemptions) {
    const std::optional<Claim> known = parse_claim(claim);
    const ClaimCheck check = known ? check_claim(*known, x) : ClaimCheck{};
    if (!check.holds)
      return make_error("exemption_not_supported", path("units", u) + ".exemptions",
                        "exemption '" + claim + "' does not hold: " + check.why);
  }
  if (unit.exemptions.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{unit.exemptions.front()};
}

}  // namespace passline::detail
