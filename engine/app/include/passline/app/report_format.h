// passline: the annual report (app::compliance_report) as a table, CSV or JSON, with the totals
// per region and national in the form of MOLIT's yearly publication. docs/REPORT.md describes
// every form and key. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "passline/app/compliance.h"

namespace passline::app {

/// `part / whole` as a percentage with one decimal, rounded half up (`23.4%`), computed in
/// integers; `-` when whole = 0.
std::string percent(std::int64_t part, std::int64_t whole);

/// The MOLIT line of `t` (혁신도시법 §29-2⑤): "1,423 of 6,076 obligated hires local (23.4%);
/// 58 of 59 agencies with obligated hiring met the target; 50 had no obligated hiring".
std::string summary_line(const ComplianceTotals& t);

/// The report in `format`: "table" (aligned columns for people: the agencies with obligated
/// hiring, those counted apart with their reasons, the regional and national lines), "csv"
/// (RFC 4180: one row per agency and program, per agency without a row, per region and
/// program, then the national totals), or "json" (`passline-report/2`).
std::string format_report(const ComplianceReport& report, std::string_view format);

/// The `passline-report/2` JSON document, written straight to text (no JSON tree): the same
/// bytes as detail::report_json_tree. Throws nlohmann::json::type_error when a string of the
/// report is not valid UTF-8, as the tree's dump does.
std::string report_json(const ComplianceReport& report);

namespace detail {
/// The same document built as a nlohmann::ordered_json tree and dumped with a one-space indent:
/// the reference report_json must equal byte for byte (tests), and its fallback.
std::string report_json_tree(const ComplianceReport& report);
}  // namespace detail

/// format_report / report_json of compliance_report(year, rows): the rows and their totals,
/// without agencies that have no row.
std::string format_report(int year, const std::vector<ComplianceRow>& rows,
                          std::string_view format);
std::string report_json(int year, const std::vector<ComplianceRow>& rows);

}  // namespace passline::app
