// The annual report: each agency's compliance with each program over a year.
#include <boost/multiprecision/cpp_int.hpp>
#include <map>
#include <set>

#include "detail/db.h"

namespace passline::sql {

Result<std::vector<ComplianceRow>> Store::compliance(int year, std::string_view agency) {
  detail::Db& db = impl_->db;
  const std::string a(agency);
  const long long y = year;
  // The recruitments that count: decided, of the year, not replaced by a decided correction.
  // Two texts, so that one agency's report uses the (agency, year) index.
  const std::string kCounted =
      std::string(" FROM recruitments r WHERE r.year = :y AND r.state = 'decided' AND ") +
      (a.empty() ? "(:a = '' OR r.agency = :a2)" : "r.agency = :a AND :a2 <> ''") +
      " AND NOT EXISTS (SELECT 1 FROM recruitments s WHERE s.supersedes = r.id AND s.state = 'decided')";
  try {
    std::map<std::pair<std::string, std::string>, ComplianceRow> rows;  // (agency, program)
    std::map<std::string, std::map<std::string, std::int64_t>> exempt;  // agency → reason → units
    std::map<std::string, std::set<std::string>> recruitments;          // agency → ids
    std::map<std::string, std::int64_t> units;                          // agency → units
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << std::string("SELECT r.agency, r.id, p.program, p.ratio, up.applies, "
                                         "u.hires, up.group_hires, u.exempt FROM unit_programs up "
                                         "JOIN units u ON u.recruitment = up.recruitment AND u.ord = up.unit_ord "
                                         "JOIN decided_programs p ON p.recruitment = up.recruitment AND p.ord = up.program_ord "
                                         "JOIN recruitments r ON r.id = up.recruitment "
                                         "WHERE r.id IN (SELECT r.id") + kCounted + ") ORDER BY r.announced, r.id",
           soci::use(y), soci::use(a), soci::use(a));
      for (const soci::row& r : rs) {
        const std::string ag = r.get<std::string>(0);
        ComplianceRow& row = rows[{ag, r.get<std::string>(2)}];
        row.agency = ag;
        row.program = r.get<std::string>(2);
        row.ratio = r.get<std::string>(3);  // the latest announced recruitment's ratio
        recruitments[ag].insert(r.get<std::string>(1));
        if (r.get<long long>(4)) {
          row.obligated += r.get<long long>(5);
          row.group_hires += r.get<long long>(6);
        }
      }
    }
    if (rows.empty()) return std::vector<ComplianceRow>{};  // nothing decided that year
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << std::string("SELECT u.recruitment, u.exempt FROM units u WHERE "
                                         "u.recruitment IN (SELECT r.id") + kCounted + ")",
           soci::use(y), soci::use(a), soci::use(a));
      std::map<std::string, std::string> agency_of;
      for (const auto& [ag, ids] : recruitments)
        for (const auto& id : ids) agency_of[id] = ag;
      for (const soci::row& r : rs) {
        const std::string& ag = agency_of[r.get<std::string>(0)];
        ++units[ag];
        if (r.get_indicator(1) == soci::i_ok) ++exempt[ag][r.get<std::string>(1)];
      }
    }
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::pair<std::int64_t, std::int64_t>>> shortfalls;
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << std::string("SELECT r.agency, p.program, pr.stopped_by, pr.shortfall "
                                         "FROM program_results pr JOIN decided_programs p ON "
                                         "p.recruitment = pr.recruitment AND p.ord = pr.program_ord "
                                         "JOIN recruitments r ON r.id = pr.recruitment "
                                         "WHERE pr.shortfall > 0 AND r.id IN (SELECT r.id") + kCounted + ")",
           soci::use(y), soci::use(a), soci::use(a));
      for (const soci::row& r : rs) {
        const std::string reason = r.get_indicator(2) == soci::i_ok ? r.get<std::string>(2) : "none";
        auto& s = shortfalls[{r.get<std::string>(0), r.get<std::string>(1)}][reason];
        ++s.first;
        s.second += r.get<long long>(3);
      }
    }
    std::vector<ComplianceRow> out;
    for (auto& [key, row] : rows) {
      row.recruitments = static_cast<std::int64_t>(recruitments[row.agency].size());
      row.units = units[row.agency];
      for (const auto& [reason, n] : exempt[row.agency]) row.exempt_units.emplace_back(reason, n);
      for (const auto& [reason, s] : shortfalls[key]) row.shortfalls.emplace_back(reason, s);
      // met: group_hires >= ratio × obligated, exactly.
      const auto ratio = Ratio::parse(row.ratio).value_or(Ratio{});
      using boost::multiprecision::int128_t;
      row.met = int128_t(row.group_hires) * ratio.denominator() >=
                int128_t(ratio.numerator()) * row.obligated;
      out.push_back(std::move(row));
    }
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("computing the " + detail::str(year) + " report", e);
  }
}

}  // namespace passline::sql
