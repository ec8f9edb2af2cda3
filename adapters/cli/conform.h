// passline CLI: SPEC §6's conformance rule on JSON documents.
// Thread-safety: pure.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace passline::cli {

/// Where a produced document first departs from the expected one.
struct Difference {
  std::string path;    ///< JSONPath of the value, `$.units[0].stages[0].cut`
  std::string detail;  ///< `expected "80.5", got "81"`
};

/// SPEC §6: `produced` conforms to `expected` when every key of every expected object is
/// present in the produced object with a conforming value (extra keys allowed), arrays have the
/// same length and conform element by element, and other values are equal. Returns nullopt
/// when it conforms, else the first difference in document order (object keys in the order
/// nlohmann::json iterates them: bytewise).
std::optional<Difference> first_difference(const nlohmann::json& expected,
                                           const nlohmann::json& produced);

}  // namespace passline::cli
