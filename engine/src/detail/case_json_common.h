// The strict JSON readers shared by the quota-case/1 and quota-case/2 parsers (case_json.cc,
// case_json_v2.cc): each checks one value's type or format and, on failure, unwinds with a
// Failure naming the code and the path. Failure never escapes parse_case_json().
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/id.h"
#include "passline/result.h"

namespace passline::detail {

struct Failure {
  Error error;
};

[[noreturn]] void fail(ErrorCode code, std::string where, std::string message);
std::string type_name(const nlohmann::json& v);
const nlohmann::json& require(const nlohmann::json& obj, const char* key, const std::string& where);
const nlohmann::json& as_object(const nlohmann::json& v, const std::string& where);
const nlohmann::json& as_array(const nlohmann::json& v, const std::string& where);
std::string as_string(const nlohmann::json& v, const std::string& where);
/// A JSON integer in [0, INT32_MAX].
std::int64_t as_count(const nlohmann::json& v, const std::string& where);
bool as_bool(const nlohmann::json& v, const std::string& where);
Decimal as_decimal(const nlohmann::json& v, const std::string& where);
Rounding as_rounding(const nlohmann::json& v, const std::string& where);
Date as_date(const nlohmann::json& v, const std::string& where);

using passline::id_problem;  // passline/id.h: the one rule for ids (SPEC §6)
/// A string that passes the id rule (SPEC §6: 1–64 Unicode characters, none a control
/// character nor one of `/ ? # %`); `bad_id` at `where` otherwise. Both case formats use it.
std::string as_id(const nlohmann::json& v, const std::string& where);

/// The quota-case/2 parser (case_json_v2.cc).
Case parse_case_v2(const nlohmann::json& doc);
std::vector<ProgramRef> parse_programs_v2(const nlohmann::json& programs);

}  // namespace passline::detail
