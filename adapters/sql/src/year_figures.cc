// Each agency's year figures (schema 11): read in three statements kept prepared, replaced by
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
  app::StoredYearFigures out;
  {
    struct Vars {
      std::string agency, region;
      long long year = 0, recruitments = 0, units = 0;
      soci::indicator region_i = soci::i_null;
    };
    static const std::string sql =
        "SELECT f.recruitments, f.units, a.region FROM year_figures f LEFT JOIN agencies a ON "
        "a.code = f.agency WHERE f.agency = :a AND f.year = :y";
    auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
      return soci::statement((s.prepare << sql, soci::use(v.agency), soci::use(v.year),
                              soci::into(v.recruitments), soci::into(v.units),
                              soci::into(v.region, v.region_i)));
    });
    q.v.agency = agency;
    q.v.year = year;
    if (!run_one(q.st)) return std::optional<app::StoredYearFigures>{};
    out.figures.recruitments = q.v.recruitments;
    out.figures.units = q.v.units;
    if (q.v.region_i == soci::i_ok) out.region = parse_region(q.v.region);
  }
  std::optional<Error> bad;  // read each statement to the end all the same: no cursor stays open
  {
    struct Vars {
      std::string agency, program, ratio, announced, recruitment;
      long long year = 0, obligated = 0, group_hires = 0, min_planned = 0, not_bound = 0,
                no_hires = 0;
    };
    static const std::string sql =
        "SELECT program, ratio, ratio_announced, ratio_recruitment, obligated, group_hires, "
        "min_planned, not_bound, no_hires FROM year_program_figures WHERE agency = :a AND "
        "year = :y";
    auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
      return soci::statement((s.prepare << sql, soci::use(v.agency), soci::use(v.year),
                              soci::into(v.program), soci::into(v.ratio), soci::into(v.announced),
                              soci::into(v.recruitment), soci::into(v.obligated),
                              soci::into(v.group_hires), soci::into(v.min_planned),
                              soci::into(v.not_bound), soci::into(v.no_hires)));
    });
    Vars& v = q.v;
    v.agency = agency;
    v.year = year;
    q.st.execute(false);
    while (q.st.fetch()) {
      auto ratio = Ratio::parse(v.ratio);
      if (!ratio) {
        if (!bad) bad = corrupt("year_program_figures.ratio", v.ratio);
        continue;
      }
      app::ProgramFigures& p = out.figures.programs[v.program];
      p.ratio = *ratio;
      p.ratio_announced = v.announced;
      p.ratio_recruitment = v.recruitment;
      p.obligated = v.obligated;
      p.group_hires = v.group_hires;
      p.min_planned = v.min_planned;
      p.not_bound = v.not_bound;
      p.no_hires = v.no_hires;
    }
  }
  {
    struct Vars {
      std::string agency, program, kind, reason;
      long long year = 0, n = 0, missing = 0;
    };
    static const std::string sql =
        "SELECT program, kind, reason, n, missing FROM year_program_reasons WHERE agency = :a "
        "AND year = :y";
    auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
      return soci::statement((s.prepare << sql, soci::use(v.agency), soci::use(v.year),
                              soci::into(v.program), soci::into(v.kind), soci::into(v.reason),
                              soci::into(v.n), soci::into(v.missing)));
    });
    Vars& v = q.v;
    v.agency = agency;
    v.year = year;
    q.st.execute(false);
    while (q.st.fetch()) {
      auto p = out.figures.programs.find(v.program);
      if (p == out.figures.programs.end()) {
        if (!bad) bad = corrupt("year_program_reasons.program", v.program);
        continue;
      }
      if (v.kind == "exempt") {
        p->second.exempt[v.reason] = v.n;
      } else if (v.kind == "shortfall") {
        p->second.shortfalls[v.reason] = {v.n, v.missing};
      } else if (!bad) {
        bad = corrupt("year_program_reasons.kind", v.kind);
      }
    }
  }
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
