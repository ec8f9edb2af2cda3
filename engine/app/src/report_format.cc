// The annual report's forms: table, CSV, JSON (docs/REPORT.md).
#include "passline/app/report_format.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <nlohmann/json.hpp>

namespace passline::app {
namespace {

using Json = nlohmann::ordered_json;

std::string reason_count(const ReasonCounts& v) {
  std::string out;
  for (const auto& [reason, n] : v)
    out += (out.empty() ? "" : " ") + reason + ":" + std::to_string(n);
  return out.empty() ? "-" : out;
}

std::string shortfall_text(const ShortfallCounts& v) {
  std::string out;
  for (const auto& [reason, s] : v)
    out += (out.empty() ? "" : " ") + reason + ":" + std::to_string(s.second);
  return out.empty() ? "-" : out;
}

std::string met_text(const std::optional<bool>& met, const char* no) {
  return met ? (*met ? "yes" : no) : "-";
}

std::string region_text(const std::optional<Region>& r) {
  return r ? std::string(to_string(*r)) : "-";
}

Json region_json(const std::optional<Region>& r) {
  return r ? Json(std::string(to_string(*r))) : Json(nullptr);
}

/// 6076 → "6,076".
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return n < 0 ? "-" + digits : digits;
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

Json reasons_json(const ReasonCounts& v) {
  Json o = Json::object();
  for (const auto& [reason, n] : v) o[reason] = n;
  return o;
}

Json shortfalls_json(const ShortfallCounts& v) {
  Json o = Json::object();
  for (const auto& [reason, s] : v)
    o[reason] = {{"stage_results", s.first}, {"passes_missing", s.second}};
  return o;
}

/// The keys of passline-report/1's totals first, in its order, then those /2 added.
Json totals_json(const ComplianceTotals& t, bool regional) {
  Json o;
  o["program"] = t.program;
  if (regional) o["region"] = region_json(t.region);
  o["agencies"] = t.agencies;
  o["agencies_met"] = t.agencies_met;
  o["obligated_hires"] = t.obligated;
  o["group_hires"] = t.group_hires;
  o["rate"] = percent(t.group_hires, t.obligated);
  o["agencies_obligated"] = t.agencies_obligated;
  o["agencies_not_obligated"] = t.agencies_not_obligated;
  o["no_obligated_hiring"] = reasons_json(t.no_obligation);
  o["shortfalls"] = shortfalls_json(t.shortfalls);
  o["summary"] = summary_line(t);
  return o;
}

std::string csv_report(const ComplianceReport& report) {
  const std::string year = std::to_string(report.year);
  std::string out =
      "year,agency,program,target_ratio,obligated_hires,group_hires,rate,met,recruitments,units,"
      "exempt_units,shortfalls,region,no_obligated_hiring,agencies,agencies_obligated,"
      "agencies_met,agencies_not_obligated\n";
  for (const ComplianceRow& r : report.rows) {
    out += year + "," + csv_field(r.agency) + "," + csv_field(r.program) + "," + r.ratio + "," +
           std::to_string(r.obligated) + "," + std::to_string(r.group_hires) + "," +
           percent(r.group_hires, r.obligated) + "," + met_text(r.met, "no") + "," +
           std::to_string(r.recruitments) + "," + std::to_string(r.units) + "," +
           csv_field(reason_count(r.exempt_units)) + "," + csv_field(shortfall_text(r.shortfalls)) +
           "," + region_text(r.region) + "," + csv_field(reason_count(r.no_obligation)) + ",,,,\n";
  }
  for (const AgencyWithoutRow& a : report.without_row) {
    out += year + "," + csv_field(a.agency) + ",-,,0,0,-,-,,,-,-," + region_text(a.region) + "," +
           a.reason + ",,,,\n";
  }
  auto totals = [&](const ComplianceTotals& t, const std::string& label,
                    const std::string& region) {
    out += year + "," + label + "," + csv_field(t.program) + ",," + std::to_string(t.obligated) +
           "," + std::to_string(t.group_hires) + "," + percent(t.group_hires, t.obligated) + "," +
           std::to_string(t.agencies_met) + "/" + std::to_string(t.agencies_obligated) + ",,,," +
           csv_field(shortfall_text(t.shortfalls)) + "," + region + "," +
           csv_field(reason_count(t.no_obligation)) + "," + std::to_string(t.agencies) + "," +
           std::to_string(t.agencies_obligated) + "," + std::to_string(t.agencies_met) + "," +
           std::to_string(t.agencies_not_obligated) + "\n";
  };
  for (const ComplianceTotals& t : report.regions) totals(t, "REGION", region_text(t.region));
  for (const ComplianceTotals& t : report.national) totals(t, "TOTAL", "");
  return out;
}

std::string table_report(const ComplianceReport& report) {
  const std::string year = std::to_string(report.year);
  std::size_t aw = 6, rw = 6, pw = 7;
  for (const ComplianceRow& r : report.rows) {
    aw = std::max(aw, r.agency.size());
    rw = std::max(rw, region_text(r.region).size());
    pw = std::max(pw, r.program.size());
  }
  for (const AgencyWithoutRow& a : report.without_row) {
    aw = std::max(aw, a.agency.size());
    rw = std::max(rw, region_text(a.region).size());
  }
  std::string out = "Local-talent hiring " + year + " (이전지역인재 채용 실적)\n\n";
  out += pad("AGENCY", aw) + "  " + pad("REGION", rw) + "  " + pad("PROGRAM", pw) + "  " +
         pad("TARGET", 6, true) + "  " + pad("OBLIGATED", 9, true) + "  " + pad("LOCAL", 6, true) +
         "  " + pad("RATE", 6, true) +
         "  MET  EXEMPT UNITS          SHORTFALL (passes missing by cause)\n";
  std::size_t apart = report.without_row.size();
  for (const ComplianceRow& r : report.rows) {
    if (!r.met) {
      ++apart;
      continue;
    }
    const auto ratio = Ratio::parse(r.ratio);
    const std::string target = ratio ? percent(ratio->numerator(), ratio->denominator()) : r.ratio;
    out += pad(r.agency, aw) + "  " + pad(region_text(r.region), rw) + "  " + pad(r.program, pw) +
           "  " + pad(target, 6, true) + "  " + pad(std::to_string(r.obligated), 9, true) + "  " +
           pad(std::to_string(r.group_hires), 6, true) + "  " +
           pad(percent(r.group_hires, r.obligated), 6, true) + "  " + met_text(r.met, "NO ") +
           "  " + pad(reason_count(r.exempt_units), 20) + "  " + shortfall_text(r.shortfalls) +
           "\n";
  }
  if (apart > 0) {
    out += "\nNo obligated hiring, counted apart (met: -)\n";
    out += pad("AGENCY", aw) + "  " + pad("REGION", rw) + "  " + pad("PROGRAM", pw) + "  " +
           pad("UNITS", 5, true) + "  WHY (units by reason)\n";
    for (const ComplianceRow& r : report.rows) {
      if (r.met) continue;
      out += pad(r.agency, aw) + "  " + pad(region_text(r.region), rw) + "  " + pad(r.program, pw) +
             "  " + pad(std::to_string(r.units), 5, true) + "  " + reason_count(r.no_obligation) +
             "\n";
    }
    for (const AgencyWithoutRow& a : report.without_row)
      out += pad(a.agency, aw) + "  " + pad(region_text(a.region), rw) + "  " + pad("-", pw) +
             "  " + pad("-", 5, true) + "  " + a.reason + "\n";
  }
  std::string program;
  for (const ComplianceTotals& t : report.regions) {
    if (t.program != program) {
      program = t.program;
      out += "\n" + program + " by region:\n";
    }
    out += "  " + pad(region_text(t.region), rw) + "  " + summary_line(t) + "\n";
  }
  if (!report.national.empty()) out += "\n";
  for (const ComplianceTotals& t : report.national) {
    out += "TOTAL " + t.program + ": " + summary_line(t) + "\n";
    if (!t.no_obligation.empty()) {
      out += "  no obligated hiring, agencies by reason:";
      for (const auto& [reason, n] : t.no_obligation) out += " " + reason + " " + grouped(n) + ",";
      out.back() = '\n';
    }
    if (!t.shortfalls.empty()) {
      out += "  shortfalls, passes missing by cause:";
      for (const auto& [cause, s] : t.shortfalls)
        out += " " + cause + " " + grouped(s.second) + " (" + grouped(s.first) + " stage results),";
      out.back() = '\n';
    }
  }
  if (report.rows.empty())
    out += report.without_row.empty()
               ? "no decided recruitment in " + year + "\n"
               : "no decided recruitment bound by a program in " + year + "\n";
  return out;
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

std::string summary_line(const ComplianceTotals& t) {
  return grouped(t.group_hires) + " of " + grouped(t.obligated) + " obligated hires local (" +
         percent(t.group_hires, t.obligated) + "); " + grouped(t.agencies_met) + " of " +
         grouped(t.agencies_obligated) + " agencies with obligated hiring met the target; " +
         grouped(t.agencies_not_obligated) + " had no obligated hiring";
}

std::string report_json(const ComplianceReport& report) {
  Json doc;
  doc["format"] = "passline-report/2";
  doc["year"] = report.year;
  doc["agencies"] = Json::array();
  for (const ComplianceRow& r : report.rows) {
    Json a;  // passline-report/1's keys first, in its order, then those /2 added
    a["agency"] = r.agency;
    a["program"] = r.program;
    a["target_ratio"] = r.ratio;
    a["obligated_hires"] = r.obligated;
    a["group_hires"] = r.group_hires;
    a["rate"] = percent(r.group_hires, r.obligated);
    a["met"] = r.met ? Json(*r.met) : Json(nullptr);
    a["recruitments"] = r.recruitments;
    a["units"] = r.units;
    a["exempt_units"] = reasons_json(r.exempt_units);
    a["shortfalls"] = shortfalls_json(r.shortfalls);
    a["region"] = region_json(r.region);
    a["no_obligated_hiring"] = reasons_json(r.no_obligation);
    doc["agencies"].push_back(std::move(a));
  }
  doc["agencies_without_row"] = Json::array();
  for (const AgencyWithoutRow& a : report.without_row)
    doc["agencies_without_row"].push_back(
        {{"agency", a.agency}, {"region", region_json(a.region)}, {"reason", a.reason}});
  doc["totals"] = Json::array();
  for (const ComplianceTotals& t : report.national) doc["totals"].push_back(totals_json(t, false));
  doc["regions"] = Json::array();
  for (const ComplianceTotals& t : report.regions) doc["regions"].push_back(totals_json(t, true));
  return doc.dump(1) + "\n";
}

std::string format_report(const ComplianceReport& report, std::string_view format) {
  if (format == "json") return report_json(report);
  if (format == "csv") return csv_report(report);
  return table_report(report);
}

std::string format_report(int year, const std::vector<ComplianceRow>& rows,
                          std::string_view format) {
  return format_report(compliance_report(year, rows), format);
}

std::string report_json(int year, const std::vector<ComplianceRow>& rows) {
  return report_json(compliance_report(year, rows));
}

}  // namespace passline::app
