// Exemptions (SPEC §5): Decree §30-2④ (혁신도시법 시행령) lists the units the ratio of §30-2②
// does not apply to. A unit claims them; each claim is checked here against the data, one
// function per claim, and an exempt unit is decided by rank alone (every target 0).
#include <string>
#include <variant>

#include "detail/paths.h"
#include <algorithm>

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

// ---- quota-case/2 (SPEC §3.3–3.4, §5) ---------------------------------------------------
//
// Each program recognises its own claims (the pack's `exemptions`), and each claim is checked
// as its provision reads: 혁신도시법 시행령 §30-2④ for kr-innovation-city, 지방대육성법 시행령
// §9① for kr-nonmetro-35.

namespace {

/// Announced posts (planned hires) this year: this case's units plus ledger.prior, of one field
/// (`field` set) or of every field.
std::int64_t posts_this_year(const Case& c, const std::string* field) {
  std::int64_t posts = 0;
  for (const Unit& other : c.units)
    if (!field || other.field == *field) posts += other.planned;
  for (const LedgerEntry& e : c.ledger)
    if (!field || e.field == *field) posts += e.posts;
  return posts;
}

}  // namespace

ClaimCheck check_claim_v2(passline::Claim claim, const ClaimContext& x, std::size_t p) {
  const Unit& unit = x.unit;
  const Program& program = x.programs[p];
  switch (claim) {
    case passline::Claim::small_field: {  // §30-2④1: 시험실시분야별 연 채용모집인원 5명 이하
      const std::int64_t posts = posts_this_year(x.c, &unit.field);
      if (posts <= 5) return {true, {}};
      return {false, "the year's announced posts in field '" + unit.field + "' are " +
                         std::to_string(posts) + ", more than 5"};
    }
    case passline::Claim::small_hiring: {  // §9①1: 연간 채용인원 5명 이하
      const std::int64_t posts = posts_this_year(x.c, nullptr);
      if (posts <= 5) return {true, {}};
      return {false, "the agency's announced posts this year are " + std::to_string(posts) +
                         ", more than 5"};
    }
    case passline::Claim::experienced:  // §30-2④2, §9①3
      if (unit.requires_experience) return {true, {}};
      return {false, "the unit does not have requires_experience: true"};
    case passline::Claim::research_masters: {  // §30-2④3: 석사학위 이상, 연구직으로 직렬 제한
      const bool degree =
          unit.min_degree && (*unit.min_degree == "masters" || *unit.min_degree == "doctorate");
      if (degree && unit.research_post) return {true, {}};
      if (!degree) return {false, "the unit's min_degree is not masters or doctorate"};
      return {false, "the unit does not have research_post: true (a research job series)"};
    }
    case passline::Claim::doctorate: {  // §9①2: 박사학위, or 석사 in a field MOE notified
      if (unit.min_degree == std::optional<std::string>("doctorate")) return {true, {}};
      if (unit.min_degree == std::optional<std::string>("masters") && unit.notified_field)
        return {true, {}};
      if (unit.min_degree == std::optional<std::string>("masters"))
        return {false, "min_degree masters exempts only with notified_field: true"};
      return {false, "the unit's min_degree is not doctorate"};
    }
    case passline::Claim::regional_branch: {  // §30-2④4 and its proviso
      if (!unit.branch_region) return {false, "the unit has no branch_region"};
      if (unit.branch_service_years && *unit.branch_service_years < 5)
        return {false, "branch_service_years is " + std::to_string(*unit.branch_service_years) +
                           ", under the 5 years of Decree §30-2④4"};
      if (education_regions(program.group) & region_bit(*unit.branch_region))
        return {false, "the branch region " + std::string(to_string(*unit.branch_region)) +
                           " lies inside the program's 이전지역 (Decree §30-2④4 proviso)"};
      return {true, {}};
    }
    case passline::Claim::applicant_share: {  // §30-2④6 (≤), §9①5 (<)
      const auto total = static_cast<std::int64_t>(unit.applicants.size());
      std::int64_t members = 0;
      for (std::uint32_t mask : x.local) members += (mask >> p) & 1u;
      const bool holds = program.strict_share ? !program.ratio.at_least(members, total)
                                              : program.ratio.at_most(members, total);
      if (holds) return {true, {}};
      return {false, std::to_string(members) + " of " + std::to_string(total) +
                         " applicants are in the group, " +
                         (program.strict_share ? "not under " : "more than ") +
                         program.ratio.to_string() + " of them"};
    }
  }
  return {};
}

Result<std::vector<std::optional<std::string>>> check_exemptions_v2(
    const Case& c, std::size_t u, const std::vector<Program>& programs,
    const std::vector<std::uint32_t>& local) {
  const Unit& unit = c.units[u];
  const ClaimContext x{c, unit, programs, local};
  std::vector<std::optional<std::string>> out(programs.size());
  for (const ProgramClaims& pc : unit.claims) {
    const std::string where = path("units", u) + ".exemptions." + pc.program;
    std::size_t p = 0;
    while (p < programs.size() && programs[p].id != pc.program) ++p;
    if (p == programs.size())
      return make_error("unknown_program", where,
                        "no program '" + pc.program + "' is in force for this recruitment");
    const Program& program = programs[p];
    for (std::size_t j = 0; j < pc.claims.size(); ++j) {
      const std::string at = path(where, j);
      const auto claim = parse_claim_v2(pc.claims[j]);
      const bool recognised =
          claim && std::find(program.exemptions.begin(), program.exemptions.end(), *claim) !=
                       program.exemptions.end();
      if (!recognised)
        return make_error("exemption_not_recognized", at,
                          "'" + program.id + "' does not recognise the exemption '" + pc.claims[j] +
                              "'");
      const ClaimCheck check = check_claim_v2(*claim, x, p);
      if (!check.holds)
        return make_error("exemption_not_supported", at,
                          "exemption '" + pc.claims[j] + "' from '" + program.id +
                              "' does not hold: " + check.why);
    }
    if (!pc.claims.empty()) out[p] = pc.claims.front();
  }
  return out;
}

}  // namespace passline::detail
