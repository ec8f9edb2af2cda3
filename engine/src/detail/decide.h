// The two halves of decide() (decide.cc), internal to the engine, so that a simulation
// (simulate.cc) can change the programs between them and still decide through the one rule.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/program.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline::detail {

/// decide()'s first half: validates `c` (SPEC §6), checks a quota-case/2 agency's facts and
/// resolves the programs in force (quota-case/2: SPEC §3.2; quota-case/1: the case's programs
/// through `rules`). Errors as decide().
Result<std::vector<Program>> case_programs(const Case& c, const RuleRegistry& rules);

/// decide()'s second half: decides every unit of the validated case `c` under `programs`
/// (SPEC §4–5). Errors as decide() (exemptions, threshold_missing, ...).
Result<Decision> decide_with_programs(const Case& c, std::vector<Program> programs);

/// The exemptions of unit `u` (Decree §30-2④; quota-case/2 per program, quota-case/1 for the
/// unit) from the group memberships already in out.local, into out.exempt_from or out.exempt.
/// Errors as decide().
Status unit_exemptions(const Case& c, std::size_t u, const std::vector<Program>& programs,
                       UnitDecision& out);

/// quota-case/2, SPEC §4 step 4: per program, the ledger's obligated hires (H) and group hires
/// (L) for the year.
std::vector<std::pair<std::int64_t, std::int64_t>> ledger_year(
    const Case& c, const std::vector<Program>& programs);

}  // namespace passline::detail
