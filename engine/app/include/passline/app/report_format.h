// passline: the annual report (app::compliance rows) as a table, CSV or JSON, with national
// totals per program. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "passline/app/compliance.h"

namespace passline::app {

/// National totals of one program over a year.
struct ReportTotals {
  std::string program;
  std::int64_t agencies = 0;
  std::int64_t agencies_met = 0;
  std::int64_t obligated = 0;
  std::int64_t group_hires = 0;
};

/// Totals per program, in program-id order.
std::vector<ReportTotals> report_totals(const std::vector<ComplianceRow>& rows);

/// `part / whole` as a percentage with one decimal, rounded half up (`23.4%`); `-` when whole = 0.
std::string percent(std::int64_t part, std::int64_t whole);

/// The report in `format`: "table" (aligned columns for people), "csv" (RFC 4180, one row per
/// agency and program, then the totals), or "json" (`passline-report/1`).
std::string format_report(int year, const std::vector<ComplianceRow>& rows,
                          std::string_view format);

/// The `passline-report/1` JSON document.
std::string report_json(int year, const std::vector<ComplianceRow>& rows);

}  // namespace passline::app
