// Decisions in rows: writing a decided recruitment, reading it back, and the facts of decided
// recruitments that the ledger and the report are computed from (in passline::app).
#include <unordered_map>

#include "detail/db.h"
#include "detail/rows.h"
#include "passline/log.h"

namespace passline::sql {
namespace {

using T = detail::BulkInsert::Type;

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (Outcome o : {Outcome::pass_rank, Outcome::pass_tie, Outcome::pass_additional,
                    Outcome::fail_disqualified, Outcome::fail_below_cut})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

std::optional<StoppedBy> parse_stopped_by(std::string_view s) {
  for (StoppedBy b : {StoppedBy::threshold, StoppedBy::pool, StoppedBy::cap})
    if (to_string(b) == s) return b;
  return std::nullopt;
}

std::optional<ProgramSource> parse_source(std::string_view s) {
  for (ProgramSource p : {ProgramSource::law, ProgramSource::case_})
    if (to_string(p) == s) return p;
  return std::nullopt;
}

std::optional<std::string_view> opt_view(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

// Adds the signed delta to the agency's ledger for the year (an upsert per field and program).
void add_to_ledger(detail::Db& db, const std::string& agency, long long year,
                   const app::Ledger& delta) {
  for (const LedgerEntry& e : delta) {
    const long long h = e.hires, posts = e.posts;
    db.sql << "INSERT INTO ledger (agency, year, field, hires, posts) VALUES (:a, :y, :f, :h, :p) "
              "ON CONFLICT (agency, year, field) DO UPDATE SET hires = ledger.hires + "
              "excluded.hires, posts = ledger.posts + excluded.posts",
        soci::use(agency), soci::use(year), soci::use(e.field), soci::use(h), soci::use(posts);
    std::map<std::string, std::pair<long long, long long>> programs;  // group hires, obligated
    for (const auto& [program, n] : e.group_hires) programs[program].first = n;
    for (const auto& [program, n] : e.obligated) programs[program].second = n;
    for (const auto& [program, counts] : programs) {
      const long long g = counts.first, o = counts.second;
      db.sql << "INSERT INTO ledger_groups (agency, year, field, program, hires, obligated) "
                "VALUES (:a, :y, :f, :p, :h, :o) ON CONFLICT (agency, year, field, program) DO "
                "UPDATE SET hires = ledger_groups.hires + excluded.hires, obligated = "
                "ledger_groups.obligated + excluded.obligated",
          soci::use(agency), soci::use(year), soci::use(e.field), soci::use(program), soci::use(g),
          soci::use(o);
    }
  }
}

void write_programs(detail::Db& db, const std::string& rid, const Decision& d) {
  detail::BulkInsert programs(db, "decided_programs",
                              {{"recruitment", T::text},
                               {"ord", T::bigint},
                               {"program", T::text},
                               {"ratio", T::text},
                               {"scope", T::text},
                               {"min_planned", T::bigint},
                               {"pack_version", T::text},
                               {"pack_digest", T::text},
                               {"source", T::text}});
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const Program& pr = d.programs[p];
    programs.text(rid)
        .bigint(static_cast<std::int64_t>(p))
        .text(pr.id)
        .text(pr.ratio.to_string())
        .text(to_string(pr.scope))
        .bigint(pr.min_planned)
        .text(pr.pack_version)
        .text(pr.pack_digest)
        .text(d.spec == Spec::v2 ? std::optional<std::string_view>(to_string(pr.source))
                                 : std::nullopt)
        .end_row();
  }
  programs.flush();
}

void write_stages(detail::Db& db, const std::string& rid, long long uo, const UnitDecision& ud,
                  detail::BulkInsert& results) {
  for (std::size_t s = 0; s < ud.stages.size(); ++s) {
    const StageResult& sr = ud.stages[s];
    const long long so = static_cast<long long>(s), considered = sr.considered, passed = sr.passed;
    const long long cut = sr.cut ? sr.cut->units() : 0;
    const long long thr = sr.threshold ? sr.threshold->units() : 0;
    soci::indicator cut_i = sr.cut ? soci::i_ok : soci::i_null;
    soci::indicator thr_i = sr.threshold ? soci::i_ok : soci::i_null;
    db.sql << "UPDATE stages SET considered = :c, cut_millionths = :cut, "
              "threshold_millionths = :t, passed = :p "
              "WHERE recruitment = :r AND unit_ord = :u AND ord = :s",
        soci::use(considered), soci::use(cut, cut_i), soci::use(thr, thr_i), soci::use(passed),
        soci::use(rid), soci::use(uo), soci::use(so);
    for (std::size_t p = 0; p < sr.programs.size(); ++p) {
      const ProgramStageResult& r = sr.programs[p];
      results.text(rid)
          .bigint(uo)
          .bigint(so)
          .bigint(static_cast<std::int64_t>(p))
          .bigint(r.target)
          .bigint(r.regular)
          .bigint(r.additional)
          .bigint(r.shortfall)
          .text(r.stopped_by == StoppedBy::none
                    ? std::nullopt
                    : std::optional<std::string_view>(to_string(r.stopped_by)))
          .end_row();
    }
  }
}

void write_units(detail::Db& db, const app::DecisionRecord& rec) {
  const Case& c = *rec.input;
  const Decision& d = *rec.decision;
  const std::string& rid = c.recruitment.id;
  detail::BulkInsert results(db, "program_results",
                             {{"recruitment", T::text},
                              {"unit_ord", T::bigint},
                              {"stage_ord", T::bigint},
                              {"program_ord", T::bigint},
                              {"target", T::bigint},
                              {"regular", T::bigint},
                              {"additional", T::bigint},
                              {"shortfall", T::bigint},
                              {"stopped_by", T::text}});
  detail::BulkInsert unit_programs(db, "unit_programs",
                                   {{"recruitment", T::text},
                                    {"unit_ord", T::bigint},
                                    {"program_ord", T::bigint},
                                    {"applies", T::bigint},
                                    {"group_hires", T::bigint},
                                    {"exempt", T::text}});
  detail::BulkInsert decisions(db, "decisions",
                               {{"recruitment", T::text},
                                {"unit_ord", T::bigint},
                                {"applicant_ord", T::bigint},
                                {"local_mask", T::bigint}});
  detail::BulkInsert outcomes = detail::stage_outcome_rows(db);
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    const long long uo = static_cast<long long>(u);
    soci::indicator ex_i = ud.exempt ? soci::i_ok : soci::i_null;
    const std::string ex = ud.exempt.value_or("");
    const long long hires = ud.hires;
    db.sql << "UPDATE units SET exempt = :e, hires = :h WHERE recruitment = :r AND ord = :u",
        soci::use(ex, ex_i), soci::use(hires), soci::use(rid), soci::use(uo);
    write_stages(db, rid, uo, ud, results);
    for (std::size_t p = 0; p < d.programs.size(); ++p)
      unit_programs.text(rid)
          .bigint(uo)
          .bigint(static_cast<std::int64_t>(p))
          .bigint(rec.applies[u][p])
          .bigint(ud.group_hires[p])
          .text(p < ud.exempt_from.size() ? opt_view(ud.exempt_from[p]) : std::nullopt)
          .end_row();
    for (std::size_t a = 0; a < c.units[u].applicants.size(); ++a) {
      const auto ao = static_cast<std::int64_t>(a);
      decisions.text(rid).bigint(uo).bigint(ao).bigint(ud.local[a]).end_row();
      for (std::size_t s = 0; s < ud.stages.size(); ++s) {
        const StageOutcome& o = ud.outcome(a, s);
        if (o.outcome == Outcome::not_reached) break;  // nor any later stage
        outcomes.text(rid)
            .bigint(uo)
            .bigint(ao)
            .bigint(static_cast<std::int64_t>(s))
            .text(to_string(o.outcome))
            .bigint(o.outcome == Outcome::pass_additional ? std::optional<std::int64_t>(o.program)
                                                          : std::nullopt)
            .end_row();
      }
    }
  }
  for (auto* b : {&results, &unit_programs, &decisions, &outcomes}) b->flush();
}

void write_prior(detail::Db& db, const Case& c) {
  detail::BulkInsert prior(
      db, "decision_prior",
      {{"recruitment", T::text}, {"field", T::text}, {"program", T::text}, {"hires", T::bigint}});
  for (const LedgerEntry& e : c.ledger) {
    prior.text(c.recruitment.id).text(e.field).text("").bigint(e.hires).end_row();
    for (const auto& [p, n] : e.group_hires)
      prior.text(c.recruitment.id).text(e.field).text(p).bigint(n).end_row();
  }
  prior.flush();
}

}  // namespace

Result<bool> Store::write_decision(const app::DecisionRecord& rec) {
  const std::string& rid = rec.input->recruitment.id;
  return detail::guarded(impl_->db, "writing the decision of " + rid, [&]() -> Result<bool> {
    detail::Db& db = impl_->db;
    auto info = detail::read_recruitment(db, rid);
    if (!info) return false;
    const std::string version(engine_version());
    soci::statement st = (db.sql.prepare << "UPDATE recruitments SET state = 'decided', "
                                            "decided_at = :t, engine_version = :v WHERE id = :id "
                                            "AND state = 'imported'",
                          soci::use(rec.decided_at), soci::use(version), soci::use(rid));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    write_programs(db, rid, *rec.decision);
    write_units(db, rec);
    write_prior(db, *rec.input);
    add_to_ledger(db, info->agency, info->year, rec.ledger_delta);
    return true;
  });
}

namespace {

Status read_unit_results(detail::Db& db, const std::string& rid, Decision& d) {
  const std::size_t programs = d.programs.size();
  const bool v2 = d.spec == Spec::v2;
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT id, exempt, hires FROM units WHERE recruitment = :r ORDER BY ord",
       soci::use(rid));
  for (const soci::row& r : rs) {
    UnitDecision& u = d.units.emplace_back();
    u.id = r.get<std::string>(0);
    if (r.get_indicator(1) == soci::i_ok) u.exempt = r.get<std::string>(1);
    u.hires = r.get<long long>(2);
    u.group_hires.assign(programs, 0);
    if (v2) u.exempt_from.assign(programs, std::nullopt);  // quota-case/2: per program
  }
  soci::rowset<soci::row> ss =
      (db.sql.prepare << "SELECT unit_ord, name, planned, considered, cut_millionths, "
                         "threshold_millionths, passed FROM stages WHERE recruitment = :r "
                         "ORDER BY unit_ord, ord",
       soci::use(rid));
  for (const soci::row& r : ss) {
    StageResult& s =
        d.units.at(static_cast<std::size_t>(r.get<long long>(0))).stages.emplace_back();
    s.name = r.get<std::string>(1);
    s.planned = r.get<long long>(2);
    s.considered = r.get<long long>(3);
    if (r.get_indicator(4) == soci::i_ok) s.cut = Decimal::from_units(r.get<long long>(4));
    if (r.get_indicator(5) == soci::i_ok) s.threshold = Decimal::from_units(r.get<long long>(5));
    s.passed = r.get<long long>(6);
    s.programs.resize(programs);
  }
  soci::rowset<soci::row> ps =
      (db.sql.prepare << "SELECT unit_ord, stage_ord, program_ord, target, regular, additional, "
                         "shortfall, stopped_by FROM program_results WHERE recruitment = :r",
       soci::use(rid));
  for (const soci::row& r : ps) {
    ProgramStageResult& p = d.units.at(static_cast<std::size_t>(r.get<long long>(0)))
                                .stages.at(static_cast<std::size_t>(r.get<long long>(1)))
                                .programs.at(static_cast<std::size_t>(r.get<long long>(2)));
    p.target = r.get<long long>(3);
    p.regular = r.get<long long>(4);
    p.additional = r.get<long long>(5);
    p.shortfall = r.get<long long>(6);
    if (r.get_indicator(7) != soci::i_ok) continue;
    auto stop = parse_stopped_by(r.get<std::string>(7));
    if (!stop) return detail::corrupt("program_results.stopped_by", r.get<std::string>(7));
    p.stopped_by = *stop;
  }
  soci::rowset<soci::row> us =
      (db.sql.prepare << "SELECT unit_ord, program_ord, group_hires, exempt FROM unit_programs "
                         "WHERE recruitment = :r",
       soci::use(rid));
  for (const soci::row& r : us) {
    UnitDecision& u = d.units.at(static_cast<std::size_t>(r.get<long long>(0)));
    const auto p = static_cast<std::size_t>(r.get<long long>(1));
    u.group_hires.at(p) = r.get<long long>(2);
    if (v2 && r.get_indicator(3) == soci::i_ok) u.exempt_from.at(p) = r.get<std::string>(3);
  }
  return {};
}

constexpr std::size_t kBatch = 10000;

void read_local(detail::Db& db, const std::string& rid, Decision& d) {
  std::vector<long long> unit(kBatch), app(kBatch), mask(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT unit_ord, applicant_ord, local_mask FROM decisions "
                         "WHERE recruitment = :r",
       soci::use(rid), soci::into(unit), soci::into(app), soci::into(mask));
  st.execute();
  while (st.fetch()) {
    for (std::size_t i = 0; i < unit.size(); ++i)
      d.units.at(static_cast<std::size_t>(unit[i])).local.at(static_cast<std::size_t>(app[i])) =
          static_cast<std::uint32_t>(mask[i]);
    for (auto* v : {&unit, &app, &mask}) v->resize(kBatch);
  }
}

Status read_outcomes(detail::Db& db, const std::string& rid, Decision& d) {
  std::vector<long long> unit(kBatch), app(kBatch), stage(kBatch), program(kBatch);
  std::vector<soci::indicator> program_i(kBatch);
  std::vector<std::string> outcome(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT unit_ord, applicant_ord, stage_ord, outcome, program_ord "
                         "FROM stage_outcomes WHERE recruitment = :r",
       soci::use(rid), soci::into(unit), soci::into(app), soci::into(stage), soci::into(outcome),
       soci::into(program, program_i));
  st.execute();
  while (st.fetch()) {
    for (std::size_t i = 0; i < unit.size(); ++i) {
      UnitDecision& u = d.units.at(static_cast<std::size_t>(unit[i]));
      auto parsed = parse_outcome(outcome[i]);
      if (!parsed) return detail::corrupt("stage_outcomes.outcome", outcome[i]);
      StageOutcome o{*parsed, 0};
      if (program_i[i] == soci::i_ok) {
        if (program[i] < 0 || static_cast<std::size_t>(program[i]) >= d.programs.size())
          return detail::corrupt("stage_outcomes.program_ord", detail::str(program[i]));
        o.program = static_cast<std::uint8_t>(program[i]);
      }
      const auto a = static_cast<std::size_t>(app[i]), s = static_cast<std::size_t>(stage[i]);
      u.outcomes.at(a * u.stages.size() + s) = o;
    }
    for (auto* v : {&unit, &app, &stage, &program}) v->resize(kBatch);
    outcome.resize(kBatch);
    program_i.resize(kBatch);
  }
  return {};
}

Result<std::vector<app::DecidedProgram>> read_programs(detail::Db& db, const std::string& rid,
                                                       Decision* d) {
  struct Vars {
    std::string rid, program, ratio, scope, pack_version, pack_digest, source;
    long long min_planned = 0;
    soci::indicator source_i = soci::i_null;
  };
  static const std::string sql =
      "SELECT program, ratio, scope, min_planned, pack_version, pack_digest, source "
      "FROM decided_programs WHERE recruitment = :r ORDER BY ord";
  auto& q = detail::cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
    return soci::statement((s.prepare << sql, soci::use(v.rid), soci::into(v.program),
                            soci::into(v.ratio), soci::into(v.scope), soci::into(v.min_planned),
                            soci::into(v.pack_version), soci::into(v.pack_digest),
                            soci::into(v.source, v.source_i)));
  });
  Vars& v = q.v;
  v.rid = rid;
  std::vector<app::DecidedProgram> out;
  q.st.execute(false);
  std::optional<Error> bad;  // read to the end all the same: no cursor stays open
  while (q.st.fetch()) {
    if (bad) continue;
    auto ratio = Ratio::parse(v.ratio);
    if (!ratio) {
      bad = detail::corrupt("decided_programs.ratio", v.ratio);
      continue;
    }
    out.push_back({v.program, *ratio});
    if (!d) continue;
    Program p;
    p.id = v.program;
    p.ratio = *ratio;
    auto scope = parse_scope(v.scope);
    if (!scope) {
      bad = detail::corrupt("decided_programs.scope", v.scope);
      continue;
    }
    p.scope = *scope;
    p.min_planned = v.min_planned;
    p.pack_version = v.pack_version;
    p.pack_digest = v.pack_digest;
    if (v.source_i == soci::i_ok) {  // schema 9, quota-case/2
      auto source = parse_source(v.source);
      if (!source) {
        bad = detail::corrupt("decided_programs.source", v.source);
        continue;
      }
      p.source = *source;
    }
    d->programs.push_back(std::move(p));
  }
  if (bad) return *bad;
  return out;
}

}  // namespace

Result<Decision> Store::read_decision(const Case& input) {
  const std::string& rid = input.recruitment.id;
  return detail::guarded("reading the decision of " + rid, [&]() -> Result<Decision> {
    detail::Db& db = impl_->db;
    Decision d;
    d.spec = input.spec;  // a quota-case/2 is stored with its document (schema 8)
    d.recruitment = rid;
    auto programs = read_programs(db, rid, &d);
    if (!programs) return programs.error();
    if (auto s = read_unit_results(db, rid, d); !s) return std::move(s).error();
    if (d.units.size() != input.units.size())
      return detail::corrupt("units", "decided units of " + rid);
    for (std::size_t u = 0; u < d.units.size(); ++u) {
      const std::size_t n = input.units[u].applicants.size();
      d.units[u].local.assign(n, 0);
      d.units[u].outcomes.assign(n * d.units[u].stages.size(), StageOutcome{});
    }
    read_local(db, rid, d);
    if (auto s = read_outcomes(db, rid, d); !s) return std::move(s).error();
    return d;
  });
}

Result<Decision> Store::read_decision_units(std::string_view id) {
  const std::string rid(id);
  return detail::guarded("reading the units of the decision of " + rid, [&]() -> Result<Decision> {
    detail::Db& db = impl_->db;
    auto info = detail::read_recruitment(db, rid);
    if (!info || !info->decided())
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + rid + "' is not decided");
    Decision d;
    d.spec = detail::stored_spec(db, rid);
    d.recruitment = rid;
    auto programs = read_programs(db, rid, &d);
    if (!programs) return programs.error();
    if (auto s = read_unit_results(db, rid, d); !s) return std::move(s).error();
    return d;
  });
}

namespace {

/// Which decided recruitments `Store::decided` reads: the SQL condition on `recruitments r` and
/// the values it binds. One text per filter, so that one agency's read uses the (agency, year)
/// index.
struct Scope {
  enum class Kind { id, agency, year } kind = Kind::year;
  std::string id, agency;
  long long year = 0;

  static Kind of(const app::DecidedFilter& f) {
    return !f.id.empty() ? Kind::id : !f.agency.empty() ? Kind::agency : Kind::year;
  }
  static std::string where(Kind k) {
    const std::string decided = "r.state = 'decided' AND ";
    switch (k) {
      case Kind::id: return decided + "r.id = :i";
      case Kind::agency: return decided + "r.agency = :a AND (:y = 0 OR r.year = :y2)";
      case Kind::year: break;
    }
    return decided + "(:y = 0 OR r.year = :y2)";
  }
  void bind(soci::details::prepare_temp_type& p) {
    if (kind == Kind::id) p, soci::use(id);
    if (kind == Kind::agency) p, soci::use(agency);
    if (kind != Kind::id) p, soci::use(year), soci::use(year);
  }
  void set(const app::DecidedFilter& f) {
    id = f.id;
    agency = f.agency;
    year = f.year;
  }
};

/// The statement `sql` (which names the scope's condition), cached per connection and filter.
template <class Vars, class Intos>
detail::Prepared<Vars>& scoped(detail::Db& db, const app::DecidedFilter& f, const std::string& sql,
                               Intos intos) {
  const Scope::Kind kind = Scope::of(f);
  auto& q = detail::cached<Vars>(db, sql, [&](soci::session& s, Vars& v) {
    v.scope.kind = kind;
    soci::details::prepare_temp_type p = (s.prepare << sql);
    intos(p, v);
    v.scope.bind(p);
    return soci::statement(p);
  });
  q.v.scope.set(f);
  return q;
}

}  // namespace

Result<std::vector<app::DecidedRecruitment>> Store::decided(const app::DecidedFilter& f) {
  return detail::guarded("reading decided recruitments",
                         [&] { return detail::read_decided(impl_->db, f); });
}

Result<std::vector<app::DecidedRecruitment>> detail::read_decided(detail::Db& db,
                                                                  const app::DecidedFilter& f) {
  {
    {
      // Five statements whatever the number of recruitments, each kept prepared: the
      // recruitments, then their programs, units, units' programs and shortfalls, each
      // joined to the same condition on `recruitments r`.
      const std::string where = Scope::where(Scope::of(f));
      std::vector<app::DecidedRecruitment> out;
      std::unordered_map<std::string, std::size_t> index;
      std::vector<bool> v2;
      {
        struct Vars {
          Scope scope;
          std::string id, agency, announced, state, sup, supby, imported, dec, region;
          long long year = 0, applicants = 0, document = 0;
          soci::indicator sup_i = soci::i_null, supby_i = soci::i_null, dec_i = soci::i_null,
                          region_i = soci::i_null;
        };
        const std::string sql =
            "SELECT r.id, r.agency, r.announced, r.year, r.state, r.supersedes, "
            "r.superseded_by, r.applicants, r.imported_at, r.decided_at, a.region, "
            "CASE WHEN r.document IS NULL THEN 0 ELSE 1 END FROM recruitments r "
            "LEFT JOIN agencies a ON a.code = r.agency WHERE " +
            where + " ORDER BY r.announced, r.id";
        auto& q = scoped<Vars>(db, f, sql, [](soci::details::prepare_temp_type& p, Vars& v) {
          p, soci::into(v.id), soci::into(v.agency), soci::into(v.announced), soci::into(v.year),
              soci::into(v.state), soci::into(v.sup, v.sup_i), soci::into(v.supby, v.supby_i),
              soci::into(v.applicants), soci::into(v.imported), soci::into(v.dec, v.dec_i),
              soci::into(v.region, v.region_i), soci::into(v.document);
        });
        Vars& v = q.v;
        q.st.execute(false);
        while (q.st.fetch()) {
          app::RecruitmentInfo& r = out.emplace_back().info;
          r = detail::recruitment_info(v);
          index.emplace(r.id, out.size() - 1);
          v2.push_back(v.document != 0);
        }
      }
      if (out.empty()) return out;
      auto at = [&](const std::string& rid) -> app::DecidedRecruitment* {
        auto it = index.find(rid);
        return it == index.end() ? nullptr : &out[it->second];
      };
      {
        struct Vars {
          Scope scope;
          std::string rid, program, ratio;
        };
        const std::string sql =
            "SELECT p.recruitment, p.program, p.ratio FROM decided_programs p "
            "JOIN recruitments r ON r.id = p.recruitment WHERE " +
            where + " ORDER BY p.recruitment, p.ord";
        auto& q = scoped<Vars>(db, f, sql, [](soci::details::prepare_temp_type& p, Vars& v) {
          p, soci::into(v.rid), soci::into(v.program), soci::into(v.ratio);
        });
        q.st.execute(false);
        std::optional<Error> bad;  // read to the end all the same: no cursor stays open
        while (q.st.fetch()) {
          auto ratio = Ratio::parse(q.v.ratio);
          if (!ratio && !bad) bad = detail::corrupt("decided_programs.ratio", q.v.ratio);
          if (!ratio) continue;
          if (auto* r = at(q.v.rid)) r->programs.push_back({q.v.program, *ratio});
        }
        if (bad) return *bad;
      }
      {
        struct Vars {
          Scope scope;
          std::string rid, id, field, exempt;
          soci::indicator exempt_i = soci::i_null;
          long long hires = 0, planned = 0;
        };
        const std::string sql =
            "SELECT u.recruitment, u.id, u.field, u.exempt, u.hires, u.planned FROM units u "
            "JOIN recruitments r ON r.id = u.recruitment WHERE " +
            where + " ORDER BY u.recruitment, u.ord";
        auto& q = scoped<Vars>(db, f, sql, [](soci::details::prepare_temp_type& p, Vars& v) {
          p, soci::into(v.rid), soci::into(v.id), soci::into(v.field),
              soci::into(v.exempt, v.exempt_i), soci::into(v.hires), soci::into(v.planned);
        });
        q.st.execute(false);
        while (q.st.fetch()) {
          const auto& row = q.v;
          app::DecidedRecruitment* r = at(row.rid);
          if (!r) continue;
          const auto i = index.at(row.rid);
          app::DecidedUnit& u = r->units.emplace_back();
          u.id = row.id;
          u.field = row.field;
          if (row.exempt_i == soci::i_ok) u.exempt = row.exempt;
          u.hires = row.hires;
          u.planned = row.planned;
          u.applies.assign(r->programs.size(), 0);
          u.group_hires.assign(r->programs.size(), 0);
          // quota-case/2: the claims are kept per program (schema 9), none held unless read.
          if (v2[i]) u.exempt_from.assign(r->programs.size(), std::nullopt);
        }
      }
      {
        struct Vars {
          Scope scope;
          std::string rid, exempt;
          soci::indicator exempt_i = soci::i_null;
          long long unit = 0, program = 0, applies = 0, group_hires = 0;
        };
        const std::string sql =
            "SELECT p.recruitment, p.unit_ord, p.program_ord, p.applies, p.group_hires, "
            "p.exempt FROM unit_programs p JOIN recruitments r ON r.id = p.recruitment WHERE " +
            where;
        auto& q = scoped<Vars>(db, f, sql, [](soci::details::prepare_temp_type& p, Vars& v) {
          p, soci::into(v.rid), soci::into(v.unit), soci::into(v.program), soci::into(v.applies),
              soci::into(v.group_hires), soci::into(v.exempt, v.exempt_i);
        });
        q.st.execute(false);
        while (q.st.fetch()) {
          const auto& row = q.v;
          app::DecidedRecruitment* r = at(row.rid);
          if (!r) continue;
          app::DecidedUnit& u = r->units.at(static_cast<std::size_t>(row.unit));
          const auto p = static_cast<std::size_t>(row.program);
          u.applies.at(p) = row.applies ? 1 : 0;
          u.group_hires.at(p) = row.group_hires;
          if (v2[index.at(row.rid)] && row.exempt_i == soci::i_ok) u.exempt_from.at(p) = row.exempt;
        }
      }
      {
        struct Vars {
          Scope scope;
          std::string rid, stopped_by;
          soci::indicator stopped_i = soci::i_null;
          long long program = 0, shortfall = 0;
        };
        const std::string sql =
            "SELECT s.recruitment, s.program_ord, s.stopped_by, s.shortfall FROM "
            "program_results s JOIN recruitments r ON r.id = s.recruitment WHERE " +
            where +
            " AND s.shortfall > 0 ORDER BY s.recruitment, s.unit_ord, s.stage_ord, "
            "s.program_ord";
        auto& q = scoped<Vars>(db, f, sql, [](soci::details::prepare_temp_type& p, Vars& v) {
          p, soci::into(v.rid), soci::into(v.program), soci::into(v.stopped_by, v.stopped_i),
              soci::into(v.shortfall);
        });
        q.st.execute(false);
        std::optional<Error> bad;  // read to the end all the same: no cursor stays open
        while (q.st.fetch()) {
          const auto& row = q.v;
          app::DecidedRecruitment* r = at(row.rid);
          if (!r || bad) continue;
          app::DecidedShortfall& s = r->shortfalls.emplace_back();
          s.program = static_cast<std::size_t>(row.program);
          if (row.stopped_i == soci::i_ok) {
            auto stop = parse_stopped_by(row.stopped_by);
            if (!stop) {
              bad = detail::corrupt("program_results.stopped_by", row.stopped_by);
              continue;
            }
            s.stopped_by = *stop;
          }
          s.shortfall = row.shortfall;
        }
        if (bad) return *bad;
      }
      return out;
    }
  }
}

}  // namespace passline::sql
