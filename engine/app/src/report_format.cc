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

namespace {

// The passline-report/2 document written straight to text, byte for byte what nlohmann's
// dump(1) of report_json_tree() prints (one-space indent, "key": value, strings escaped as
// nlohmann does without ensure_ascii), without building the tree: the compliance GET's hot
// path (docs/PERFORMANCE.md). A string that is not valid UTF-8 makes it give up (false), and
// report_json falls back to the tree, which throws as before.
class ReportWriter {
 public:
  bool ok = true;
  std::string out;

  void indent(int level) { out.append(static_cast<std::size_t>(level), ' '); }

  void string(std::string_view v) {
    out += '"';
    std::size_t i = 0;
    while (i < v.size()) {
      const auto c = static_cast<unsigned char>(v[i]);
      if (c < 0x80) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\b': out += "\\b"; break;
          case '\f': out += "\\f"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default:
            if (c < 0x20) {
              static const char hex[] = "0123456789abcdef";
              out += "\\u00";
              out += hex[c >> 4];
              out += hex[c & 15];
            } else {
              out += static_cast<char>(c);
            }
        }
        ++i;
        continue;
      }
      const std::size_t n = utf8_length(v, i);
      if (n == 0) {
        ok = false;
        return;
      }
      out.append(v.substr(i, n));
      i += n;
    }
    out += '"';
  }

  void number(std::int64_t n) { out += std::to_string(n); }
  void key(int level, std::string_view k) {
    indent(level);
    string(k);
    out += ": ";
  }
  void region(const std::optional<Region>& r) {
    if (r)
      string(to_string(*r));
    else
      out += "null";
  }

  // An object of name → value (the last value of a repeated name, at its first place, as
  // nlohmann's ordered_json operator[] keeps it), each value written by `value(level, v)`.
  template <class Pairs, class Value>
  void ordered_object(int level, const Pairs& v, Value&& value) {
    if (v.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (seen_before(v, i)) continue;
      if (!first) out += ",\n";
      first = false;
      key(level + 1, v[i].first);
      value(level + 1, last_of(v, i).second);
    }
    out += "\n";
    indent(level);
    out += "}";
  }

  // reason → count.
  void reasons(int level, const ReasonCounts& v) {
    ordered_object(level, v, [&](int, auto n) { number(n); });
  }

  // cause → {stage_results, passes_missing}.
  void shortfalls(int level, const ShortfallCounts& v) {
    ordered_object(level, v, [&](int at, const auto& s) {
      out += "{\n";
      key(at + 1, "stage_results");
      number(s.first);
      out += ",\n";
      key(at + 1, "passes_missing");
      number(s.second);
      out += "\n";
      indent(at);
      out += "}";
    });
  }

  void totals(int level, const ComplianceTotals& t, bool regional) {
    out += "{\n";
    key(level + 1, "program");
    string(t.program);
    if (regional) {
      out += ",\n";
      key(level + 1, "region");
      region(t.region);
    }
    field(level + 1, "agencies", t.agencies);
    field(level + 1, "agencies_met", t.agencies_met);
    field(level + 1, "obligated_hires", t.obligated);
    field(level + 1, "group_hires", t.group_hires);
    out += ",\n";
    key(level + 1, "rate");
    string(percent(t.group_hires, t.obligated));
    field(level + 1, "agencies_obligated", t.agencies_obligated);
    field(level + 1, "agencies_not_obligated", t.agencies_not_obligated);
    out += ",\n";
    key(level + 1, "no_obligated_hiring");
    reasons(level + 1, t.no_obligation);
    out += ",\n";
    key(level + 1, "shortfalls");
    shortfalls(level + 1, t.shortfalls);
    out += ",\n";
    key(level + 1, "summary");
    string(summary_line(t));
    out += "\n";
    indent(level);
    out += "}";
  }

  // ",\n" then `"name": n`.
  void field(int level, std::string_view name, std::int64_t n) {
    out += ",\n";
    key(level, name);
    number(n);
  }

  template <class F, class T>
  void array(int level, const std::vector<T>& items, F&& each) {
    if (items.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ",\n";
      indent(level + 1);
      each(level + 1, items[i]);
    }
    out += "\n";
    indent(level);
    out += "]";
  }

 private:
  // The length of the UTF-8 sequence at v[i] (a lead byte ≥ 0x80), 0 when it is not one that
  // nlohmann accepts (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
  static std::size_t utf8_length(std::string_view v, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(v[i + k]); };
    const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
      return i + k < v.size() && b(k) >= lo && b(k) <= hi;
    };
    const unsigned c = b(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }
  template <class V>
  static bool seen_before(const V& v, std::size_t i) {
    for (std::size_t k = 0; k < i; ++k)
      if (v[k].first == v[i].first) return true;
    return false;
  }
  template <class V>
  static const typename V::value_type& last_of(const V& v, std::size_t i) {
    std::size_t last = i;
    for (std::size_t k = i + 1; k < v.size(); ++k)
      if (v[k].first == v[i].first) last = k;
    return v[last];
  }
};

}  // namespace

std::string report_json(const ComplianceReport& report) {
  ReportWriter w;
  w.out.reserve(1024 +
                1024 * (report.rows.size() + report.national.size() + report.regions.size()));
  w.out += "{\n";
  w.key(1, "format");
  w.string("passline-report/2");
  w.field(1, "year", report.year);
  w.out += ",\n";
  w.key(1, "agencies");
  w.array(1, report.rows, [&](int level, const ComplianceRow& r) {
    w.out += "{\n";
    w.key(level + 1, "agency");
    w.string(r.agency);
    w.out += ",\n";
    w.key(level + 1, "program");
    w.string(r.program);
    w.out += ",\n";
    w.key(level + 1, "target_ratio");
    w.string(r.ratio);
    w.field(level + 1, "obligated_hires", r.obligated);
    w.field(level + 1, "group_hires", r.group_hires);
    w.out += ",\n";
    w.key(level + 1, "rate");
    w.string(percent(r.group_hires, r.obligated));
    w.out += ",\n";
    w.key(level + 1, "met");
    w.out += r.met ? (*r.met ? "true" : "false") : "null";
    w.field(level + 1, "recruitments", r.recruitments);
    w.field(level + 1, "units", r.units);
    w.out += ",\n";
    w.key(level + 1, "exempt_units");
    w.reasons(level + 1, r.exempt_units);
    w.out += ",\n";
    w.key(level + 1, "shortfalls");
    w.shortfalls(level + 1, r.shortfalls);
    w.out += ",\n";
    w.key(level + 1, "region");
    w.region(r.region);
    w.out += ",\n";
    w.key(level + 1, "no_obligated_hiring");
    w.reasons(level + 1, r.no_obligation);
    w.out += "\n";
    w.indent(level);
    w.out += "}";
  });
  w.out += ",\n";
  w.key(1, "agencies_without_row");
  w.array(1, report.without_row, [&](int level, const AgencyWithoutRow& a) {
    w.out += "{\n";
    w.key(level + 1, "agency");
    w.string(a.agency);
    w.out += ",\n";
    w.key(level + 1, "region");
    w.region(a.region);
    w.out += ",\n";
    w.key(level + 1, "reason");
    w.string(a.reason);
    w.out += "\n";
    w.indent(level);
    w.out += "}";
  });
  w.out += ",\n";
  w.key(1, "totals");
  w.array(1, report.national,
          [&](int level, const ComplianceTotals& t) { w.totals(level, t, false); });
  w.out += ",\n";
  w.key(1, "regions");
  w.array(1, report.regions,
          [&](int level, const ComplianceTotals& t) { w.totals(level, t, true); });
  w.out += "\n}\n";
  if (!w.ok) return detail::report_json_tree(report);  // throws on the string as nlohmann does
  return std::move(w.out);
}

namespace detail {

std::string report_json_tree(const ComplianceReport& report) {
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

}  // namespace detail

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
