// passline's application layer: each agency's compliance with each program over a year, the
// rows of the annual report (the ministry's yearly publication).
// Thread-safety: pure functions on values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "passline/app/store.h"

namespace passline::app {

/// One agency's compliance with one program over a year.
struct ComplianceRow {
  std::string agency;
  std::string program;
  std::string ratio;             ///< the target ratio of the latest recruitment, as text (`0.18`)
  std::int64_t obligated = 0;    ///< hires in units the program bound (program_applies)
  std::int64_t group_hires = 0;  ///< of those, hires in the program's group
  bool met = false;              ///< group_hires >= ratio × obligated, exactly
  std::int64_t recruitments = 0;
  std::int64_t units = 0;
  std::vector<std::pair<std::string, std::int64_t>> exempt_units;  ///< reason → units
  /// stopped_by reason (threshold, pool, cap) → {stage results short, passes missing}.
  std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> shortfalls;
};

/// The recruitments that count for the year: every decided one except those replaced by a
/// decided correction (a correction that is not decided yet replaces nothing). Keeps order.
std::vector<DecidedRecruitment> counted(std::vector<DecidedRecruitment> decided);

/// The report's rows over `decided` (already counted()), one per agency and program, ordered by
/// agency then program. A program's ratio is that of the agency's latest announced recruitment.
std::vector<ComplianceRow> compliance_rows(const std::vector<DecidedRecruitment>& decided);

}  // namespace passline::app
