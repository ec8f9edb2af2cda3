// The two routes of parse_case_json(): the general reader over a JSON tree (case_json.cc) and
// the fast one for quota-case/1 (case_json_fast.cc), tested against each other.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

#include "passline/case.h"
#include "passline/result.h"

namespace passline::detail {

/// The case a quota-case/1 `text` describes, read in one event-driven pass without a JSON tree
/// of its applicants; nullopt whenever the text is anything else or anything in it is not as
/// the general reader accepts it (that reader then gives the answer and the error). When it
/// answers, the case is the one parse_case_json_general() reads. Thread-safe (no shared state).
std::optional<Case> parse_case_json_fast(std::string_view text);

/// parse_case_json() without the fast route: the text parsed as a JSON tree, then read.
Result<Case> parse_case_json_general(std::string_view text);

/// The case of a parsed quota-case/1 or /2 document; throws Failure naming the field.
Case parse_case_tree(const nlohmann::json& doc);

}  // namespace passline::detail
