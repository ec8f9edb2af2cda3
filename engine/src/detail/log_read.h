// The general reader and writer of log entries, without the fast routes for applicant entries
// (log.cc): the references the fast routes are tested against (tests/test_replay_fast.cc).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "passline/log.h"

namespace passline::detail {

/// read_log_entries() with every entry parsed as a JSON tree and every case rebuilt through
/// parse_case_json(): the same result and the same errors, more slowly.
Result<std::vector<LoggedRecruitment>> read_log_entries_general(
    const std::vector<std::string>& entries, std::size_t first_index = 0,
    const OpeningSource& openings = {});

/// log_entries() with every applicant entry built as a JSON tree and canonicalised: the same
/// bytes, more slowly.
std::vector<std::string> log_entries_general(const Case& c, const Decision& d,
                                             const LogContext& ctx);

}  // namespace passline::detail
