// Which programs bind a quota-case/2 recruitment (SPEC §2, §3.2), internal to the engine.
#pragma once

#include <vector>

#include "passline/case.h"
#include "passline/program.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline::detail {

/// SPEC §2: the agency's facts are well-formed (cohort, since, joint_city; an agency in the
/// capital region is no 이전공공기관등) and every region code is valid on the announcement date.
Status check_agency_facts(const Case& c, const RegionCalendar& regions);

/// SPEC §3.2: the programs in force, in order: those the law binds by the agency's facts
/// (source law), then the case's further programs (source case), their regions widened by the
/// region mergers in force. Errors at `programs[i]`: program_assigned_by_law, unknown_program,
/// no_rule_in_force, agency_not_covered, duplicate_program.
Result<std::vector<Program>> programs_in_force(const Case& c, const RuleRegistry& rules);

}  // namespace passline::detail
