// The JSON forms of case parts, shared by case_to_json (case_json_out.cc) and the decision log
// (log.cc), so that a logged inline program or education record reads exactly as in the case.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>

#include "passline/case.h"

namespace passline::detail {

/// Appends `s` as a JSON string: `"` and `\\` escaped, `\b \f \n \r \t`, other controls as
/// lowercase `\u00xx`, everything else as it is (valid UTF-8). This is both RFC 8785's form and
/// nlohmann::json's dump with ensure_ascii off, so the log, the canonicaliser and case_to_json
/// all write strings through it.
void append_json_string(std::string& out, std::string_view s);

/// A ratio as parse_case_json reads it back: its decimal text, or a percentage when it has
/// more than 6 fraction digits.
std::string ratio_text(const Ratio& r);
/// An inline program as `quota-case/1` writes it: {id, group: {education|attribute},
/// ratio, rounding, cap?, scope, min_planned}.
nlohmann::json program_json(const Program& p);
/// [{level, region, status}, ...] in the given order.
nlohmann::json education_json(const std::vector<EducationRecord>& records);
/// {min_score?, below_cut?} as decimal strings.
nlohmann::json threshold_json(const Threshold& t);
/// {name: value}, the first occurrence of a repeated name (the one decide() uses).
nlohmann::json attributes_json(const std::vector<std::pair<std::string, std::string>>& attributes);
/// The names of the stages set in `mask`, in stage order.
nlohmann::json disqualified_json(const Unit& u, std::uint64_t mask);
/// [{field, hires, group_hires}] of `ledger.prior`.
nlohmann::json ledger_json(const std::vector<LedgerEntry>& ledger);

// quota-case/2 forms (case_json_out.cc): what case_to_json writes for a v2 case, and the log.
nlohmann::json program_json_v2(const Program& p);
nlohmann::json agency_json_v2(const Agency& a);
nlohmann::json education_json_v2(const std::vector<EducationRecord>& records);
nlohmann::json attributes_json_v2(
    const std::vector<std::pair<std::string, std::string>>& attributes);
nlohmann::json unit_head_json_v2(const Unit& u);
nlohmann::json ledger_json_v2(const std::vector<LedgerEntry>& ledger);
nlohmann::json programs_json_v2(const std::vector<ProgramRef>& programs);
/// True when `text`, a quota-case/2 attribute value's JSON text, is already in the form both
/// nlohmann::json's dump and RFC 8785 give it: `true`, `false`, a whole number of at most 15
/// digits without a leading zero, or a string without escapes or control characters in valid
/// UTF-8. The direct writers copy such a value as it is; any other goes through a JSON tree.
bool simple_attribute_json(std::string_view text);

/// case_to_json(c) in consecutive pieces (their concatenation is the text), so a large case can
/// be hashed without holding its whole text (the log's input_digest). Errors as case_to_json.
void case_json_pieces(const Case& c, const std::function<void(std::string_view)>& piece);

/// The whole quota-case/2 document (with_applicants false: every unit without `applicants`).
nlohmann::json case_json_v2(const Case& c, bool with_applicants);

}  // namespace passline::detail
