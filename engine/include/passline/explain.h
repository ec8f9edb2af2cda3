// passline: a plain-language account of one applicant's outcome, for the recruiter who must
// answer the applicant ("why was I not added?").
// Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/result.h"

namespace passline {

enum class Language { ko, en };

/// Explains, stage by stage, what happened to applicant `applicant_id` (searched in every
/// unit): score and rank among the considered, the cut, the threshold, each program's target
/// and whether the applicant is in its group, and why the applicant passed, was added, or was
/// not. Error `unknown_applicant` (path `applicant`) when no unit has that id.
Result<std::string> explain(const Case& c, const Decision& d, std::string_view applicant_id,
                            Language lang);

}  // namespace passline
