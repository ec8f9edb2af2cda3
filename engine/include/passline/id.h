// passline: the id rule of SPEC §6, for ids given outside a case document.
//
// Ids of a quota-case/2 case (agency code, recruitment, unit, applicant and inline program ids)
// are 1–64 Unicode characters, none a control character nor one of `/ ? # %`; the case parser
// applies the rule to the ids in the document (`bad_id` at their path). Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

#include "passline/result.h"

namespace passline {

/// Checks an id given outside a case document (an HTTP path segment or query value) by the rule
/// above. Error `bad_id` at `path` saying what is wrong (text that is not UTF-8 too).
Status check_id(std::string_view id, const std::string& path);

}  // namespace passline
