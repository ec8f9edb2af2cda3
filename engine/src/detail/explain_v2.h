// The account of a quota-case/2 decision (explain_v2.cc), internal to the engine.
#pragma once

#include <string_view>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline::detail {

/// explain_steps() for a quota-case/2 case and its decision (explain.h). Errors:
/// `unknown_applicant` (path `applicant`); `unknown_rule_digest` (path `programs[p]`) when
/// `rules` has no pack with a program's recorded digest; `invalid_value` (path `decision`) when
/// `d` is not a quota-case/2 decision of `c`.
Result<Explanation> explain_v2(const Case& c, const Decision& d, const RuleRegistry& rules,
                               std::string_view applicant_id, const ExplainOptions& options);

}  // namespace passline::detail
