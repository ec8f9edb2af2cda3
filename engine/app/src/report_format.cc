// The annual report's forms: table, CSV, JSON.
#include "passline/app/report_format.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <map>
#include <nlohmann/json.hpp>

namespace passline::app {
namespace {

std::string reason_count(const std::vector<std::pair<std::string, std::int64_t>>& v) {
  std::string out;
  for (const auto& [reason, n] : v)
    out += (out.empty() ? "" : " ") + reason + ":" + std::to_string(n);
  return out.empty() ? "-" : out;
}

std::string shortfall_text(const ComplianceRow& r) {
  std::string out;
  for (const auto& [reason, s] : r.shortfalls)
    out += (out.empty() ? "" : " ") + reason + ":" + std::to_string(s.second);
  return out.empty() ? "-" : out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string pad(const std::string& s, std::size_t w, bool right = false) {
  if (s.size() >= w) return s;
  return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

}  // namespace

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  // Tenths of a percent, half up, in integers: (part × 1000 × 2 + whole) / (2 × whole).
  using boost::multiprecision::int128_t;
  const int128_t tenths = (int128_t(part) * 2000 + whole) / (int128_t(whole) * 2);
  const auto t = static_cast<std::int64_t>(tenths);
  return std::to_string(t / 10) + "." + std::to_string(t % 10) + "%";
}

std::vector<ReportTotals> report_totals(const std::vector<ComplianceRow>& rows) {
  std::map<std::string, ReportTotals> by;
  for (const ComplianceRow& r : rows) {
    ReportTotals& t = by[r.program];
    t.program = r.program;
    ++t.agencies;
    t.agencies_met += r.met ? 1 : 0;
    t.obligated += r.obligated;
    t.group_hires += r.group_hires;
  }
  std::vector<ReportTotals> out;
  for (auto& [p, t] : by) out.push_back(t);
  return out;
}

std::string report_json(int year, const std::vector<ComplianceRow>& rows) {
  nlohmann::ordered_json doc;
  doc["format"] = "passline-report/1";
  doc["year"] = year;
  doc["agencies"] = nlohmann::ordered_json::array();
  for (const ComplianceRow& r : rows) {
    nlohmann::ordered_json a;
    a["agency"] = r.agency;
    a["program"] = r.program;
    a["target_ratio"] = r.ratio;
    a["obligated_hires"] = r.obligated;
    a["group_hires"] = r.group_hires;
    a["rate"] = percent(r.group_hires, r.obligated);
    a["met"] = r.met;
    a["recruitments"] = r.recruitments;
    a["units"] = r.units;
    a["exempt_units"] = nlohmann::ordered_json::object();
    for (const auto& [reason, n] : r.exempt_units) a["exempt_units"][reason] = n;
    a["shortfalls"] = nlohmann::ordered_json::object();
    for (const auto& [reason, s] : r.shortfalls)
      a["shortfalls"][reason] = {{"stage_results", s.first}, {"passes_missing", s.second}};
    doc["agencies"].push_back(std::move(a));
  }
  doc["totals"] = nlohmann::ordered_json::array();
  for (const ReportTotals& t : report_totals(rows)) {
    doc["totals"].push_back({{"program", t.program},
                             {"agencies", t.agencies},
                             {"agencies_met", t.agencies_met},
                             {"obligated_hires", t.obligated},
                             {"group_hires", t.group_hires},
                             {"rate", percent(t.group_hires, t.obligated)}});
  }
  return doc.dump(1) + "\n";
}

std::string format_report(int year, const std::vector<ComplianceRow>& rows,
                          std::string_view format) {
  if (format == "json") return report_json(year, rows);
  const auto totals = report_totals(rows);
  if (format == "csv") {
    std::string out =
        "year,agency,program,target_ratio,obligated_hires,group_hires,rate,met,recruitments,units,"
        "exempt_units,shortfalls\n";
    for (const ComplianceRow& r : rows) {
      out += std::to_string(year) + "," + csv_field(r.agency) + "," + csv_field(r.program) + "," +
             r.ratio + "," + std::to_string(r.obligated) + "," + std::to_string(r.group_hires) +
             "," + percent(r.group_hires, r.obligated) + "," + (r.met ? "yes" : "no") + "," +
             std::to_string(r.recruitments) + "," + std::to_string(r.units) + "," +
             csv_field(reason_count(r.exempt_units)) + "," + csv_field(shortfall_text(r)) + "\n";
    }
    for (const ReportTotals& t : totals) {
      out += std::to_string(year) + ",TOTAL," + csv_field(t.program) + ",," +
             std::to_string(t.obligated) + "," + std::to_string(t.group_hires) + "," +
             percent(t.group_hires, t.obligated) + "," + std::to_string(t.agencies_met) + "/" +
             std::to_string(t.agencies) + ",,,,\n";
    }
    return out;
  }
  // table
  std::size_t aw = 6, pw = 7;
  for (const ComplianceRow& r : rows) {
    aw = std::max(aw, r.agency.size());
    pw = std::max(pw, r.program.size());
  }
  std::string out = "Local-talent hiring " + std::to_string(year) + " (이전지역인재 채용 실적)\n\n";
  out += pad("AGENCY", aw) + "  " + pad("PROGRAM", pw) + "  " + pad("TARGET", 6, true) + "  " +
         pad("OBLIGATED", 9, true) + "  " + pad("LOCAL", 6, true) + "  " + pad("RATE", 6, true) +
         "  MET  EXEMPT UNITS          SHORTFALL (passes missing by cause)\n";
  for (const ComplianceRow& r : rows) {
    const auto ratio = Ratio::parse(r.ratio);
    const std::string target = ratio ? percent(ratio->numerator(), ratio->denominator()) : r.ratio;
    out += pad(r.agency, aw) + "  " + pad(r.program, pw) + "  " + pad(target, 6, true) + "  " +
           pad(std::to_string(r.obligated), 9, true) + "  " +
           pad(std::to_string(r.group_hires), 6, true) + "  " +
           pad(percent(r.group_hires, r.obligated), 6, true) + "  " + (r.met ? "yes" : "NO ") +
           "  " + pad(reason_count(r.exempt_units), 20) + "  " + shortfall_text(r) + "\n";
  }
  out += "\n";
  for (const ReportTotals& t : totals) {
    out += "TOTAL " + t.program + ": " + std::to_string(t.group_hires) + " of " +
           std::to_string(t.obligated) + " obligated hires local (" +
           percent(t.group_hires, t.obligated) + "); " + std::to_string(t.agencies_met) + " of " +
           std::to_string(t.agencies) + " agencies met the target\n";
  }
  if (rows.empty()) out += "no decided recruitment in " + std::to_string(year) + "\n";
  return out;
}

}  // namespace passline::app
