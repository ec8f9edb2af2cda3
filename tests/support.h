// Helpers shared by the doctest suites.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace passline::test {

/// The whole file, bytes as they are; empty if it cannot be read.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace passline::test
