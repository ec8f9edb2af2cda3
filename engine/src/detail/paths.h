// JSON path helpers for error reports: `units[0].applicants[3].id`.
#pragma once

#include <cstddef>
#include <string>

namespace passline::detail {

inline std::string path(const std::string& prefix, std::size_t index) {
  return prefix + "[" + std::to_string(index) + "]";
}

}  // namespace passline::detail
