// Each agency's year figures (schema 11): read in one statement kept prepared, replaced by
// decide in the transaction that writes the decision, summed from the stored decisions by the
// migration's data step.
#include <stdexcept>

#include "passline/app/compliance.h"

#include "detail/db.h"
#include "detail/rows.h"

namespace passline::sql {
namespace detail {

Result<std::optional<app::StoredYearFigures>> read_year_figures(Db& db, const std::string& agency,
                                                                long long year) {
  // One statement kept prepared (the compliance GET's hot path: docs/PERFORMANCE.md): the
  // year's head row (t = 0: recruitments, units, the agency's region), its programs (t = 1) and
  // their reasons (t = 2), in that order, so that a reason finds its program.
  struct Vars {
    std::string agency, program, s1, s2, s3;
    long long year = 0, t = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0;
    soci::indicator s1_i = soci::i_null;
  };
  static const std::string sql =
      "SELECT 0 AS t, '' AS program, a.region AS s1, '' AS s2, '' AS s3, f.recruitments AS n1, "
      "f.units AS n2, 0 AS n3, 0 AS n4, 0 AS n5 FROM year_figures f LEFT JOIN agencies a ON "
      "a.code = f.agency WHERE f.agency = :a AND f.year = :y "
      "UNION ALL SELECT 1, program, ratio, ratio_announced, ratio_recruitment, obligated, "
      "group_hires, min_planned, not_bound, no_hires FROM year_program_figures WHERE agency = :a2 "
      "AND year = :y2 "
      "UNION ALL SELECT 2, program, kind, reason, '', n, missing, 0, 0, 0 FROM "
      "year_program_reasons WHERE agency = :a3 AND year = :y3 ORDER BY 1";
  auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
    return soci::statement(
        (s.prepare << sql, soci::use(v.agency), soci::use(v.year), soci::use(v.agency),
         soci::use(v.year), soci::use(v.agency), soci::use(v.year), soci::into(v.t),
         soci::into(v.program), soci::into(v.s1, v.s1_i), soci::into(v.s2), soci::into(v.s3),
         soci::into(v.n1), soci::into(v.n2), soci::into(v.n3), soci::into(v.n4), soci::into(v.n5)));
  });
  Vars& v = q.v;
  v.agency = agency;
  v.year = year;
  app::StoredYearFigures out;
  bool head = false;
  std::optional<Error> bad;  // read the statement to the end all the same: no cursor stays open
  q.st.execute(false);
  while (q.st.fetch()) {
    if (v.t == 0) {
      head = true;
      out.figures.recruitments = v.n1;
      out.figures.units = v.n2;
      out.region.reset();
      if (v.s1_i == soci::i_ok) out.region = parse_region(v.s1);
    } else if (v.t == 1) {
      auto ratio = Ratio::parse(v.s1);
      if (!ratio) {
        if (!bad) bad = corrupt("year_program_figures.ratio", v.s1);
        continue;
      }
      app::ProgramFigures& p = out.figures.programs[v.program];
      p.ratio = *ratio;
      p.ratio_announced = v.s2;
      p.ratio_recruitment = v.s3;
      p.obligated = v.n1;
      p.group_hires = v.n2;
      p.min_planned = v.n3;
      p.not_bound = v.n4;
      p.no_hires = v.n5;
    } else {
      auto p = out.figures.programs.find(v.program);
      if (p == out.figures.programs.end()) {
        if (!bad) bad = corrupt("year_program_reasons.program", v.program);
        continue;
      }
      if (v.s1 == "exempt") {
        p->second.exempt[v.s2] = v.n1;
      } else if (v.s1 == "shortfall") {
        p->second.shortfalls[v.s2] = {v.n1, v.n2};
      } else if (!bad) {
        bad = corrupt("year_program_reasons.kind", v.s1);
      }
    }
  }
  if (!head) return std::optional<app::StoredYearFigures>{};
  if (bad) return *bad;
  return std::optional<app::StoredYearFigures>{std::move(out)};
}

void put_year_figures(Db& db, const std::string& agency, long long year,
                      const app::YearFigures& f) {
  const long long recruitments = f.recruitments, units = f.units;
  db.sql << "DELETE FROM year_program_reasons WHERE agency = :a AND year = :y", soci::use(agency),
      soci::use(year);
  db.sql << "DELETE FROM year_program_figures WHERE agency = :a AND year = :y", soci::use(agency),
      soci::use(year);
  db.sql << "INSERT INTO year_figures (agency, year, recruitments, units) VALUES (:a, :y, :r, "
            ":u) ON CONFLICT (agency, year) DO UPDATE SET recruitments = excluded.recruitments, "
            "units = excluded.units",
      soci::use(agency), soci::use(year), soci::use(recruitments), soci::use(units);
  for (const auto& [program, p] : f.programs) {
    const std::string ratio = p.ratio.to_string();
    const long long obligated = p.obligated, group_hires = p.group_hires,
                    min_planned = p.min_planned, not_bound = p.not_bound, no_hires = p.no_hires;
    db.sql << "INSERT INTO year_program_figures (agency, year, program, ratio, ratio_announced, "
              "ratio_recruitment, obligated, group_hires, min_planned, not_bound, no_hires) "
              "VALUES (:a, :y, :p, :r, :ra, :rr, :o, :g, :m, :nb, :nh)",
        soci::use(agency), soci::use(year), soci::use(program), soci::use(ratio),
        soci::use(p.ratio_announced), soci::use(p.ratio_recruitment), soci::use(obligated),
        soci::use(group_hires), soci::use(min_planned), soci::use(not_bound), soci::use(no_hires);
    // A named copy: Clang 14 cannot capture a structured binding in a lambda (C++20 P1091).
    const std::string& program_id = program;
    auto reason = [&](const char* kind, const std::string& r, long long n, long long missing) {
      const std::string k = kind;
      db.sql << "INSERT INTO year_program_reasons (agency, year, program, kind, reason, n, "
                "missing) VALUES (:a, :y, :p, :k, :r, :n, :m)",
          soci::use(agency), soci::use(year), soci::use(program_id), soci::use(k), soci::use(r),
          soci::use(n), soci::use(missing);
    };
    for (const auto& [claim, n] : p.exempt) reason("exempt", claim, n, 0);
    for (const auto& [cause, s] : p.shortfalls) reason("shortfall", cause, s.first, s.second);
  }
}

void backfill_year_figures(Db& db) {
  std::vector<std::pair<std::string, long long>> years;
  {
    soci::rowset<soci::row> rs = (db.sql.prepare << "SELECT DISTINCT agency, year FROM "
                                                    "recruitments WHERE state = 'decided'");
    for (const soci::row& r : rs) years.emplace_back(r.get<std::string>(0), r.get<long long>(1));
  }
  for (const auto& [agency, year] : years) {
    app::DecidedFilter filter;
    filter.agency = agency;
    filter.year = static_cast<int>(year);
    auto decided = read_decided(db, filter);
    if (!decided) throw std::runtime_error(decided.error().message);
    put_year_figures(db, agency, year, app::year_figures(app::counted(std::move(*decided))));
  }
}

}  // namespace detail

Result<std::optional<app::StoredYearFigures>> Store::read_year_figures(std::string_view agency,
                                                                       int year) {
  return detail::guarded("reading the year figures of " + std::string(agency), [&] {
    return detail::read_year_figures(impl_->db, std::string(agency), year);
  });
}

Status Store::put_year_figures(std::string_view agency, int year, const app::YearFigures& f) {
  return detail::guarded("writing the year figures of " + std::string(agency), [&]() -> Status {
    detail::put_year_figures(impl_->db, std::string(agency), year, f);
    return {};
  });
}

}  // namespace passline::sql
