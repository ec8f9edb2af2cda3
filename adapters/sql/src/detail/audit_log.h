// Internals of the decision log in the database.
#pragma once

#include <string>
#include <vector>

#include "passline/merkle.h"

namespace passline::sql::detail {

/// The log head's compact range, stored as comma-separated hex hashes. Throws on a value that
/// is not a hash.
std::vector<Hash> parse_hashes(const std::string& text);

}  // namespace passline::sql::detail
