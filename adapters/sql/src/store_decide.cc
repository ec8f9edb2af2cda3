// Decisions in rows: writing a decided recruitment, reading it back, and the facts of decided
// recruitments that the ledger and the report are computed from (in passline::app).
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
  return detail::guarded("writing the decision of " + rid, [&]() -> Result<bool> {
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
  std::vector<app::DecidedProgram> out;
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT program, ratio, scope, min_planned, pack_version, pack_digest, "
                         "source FROM decided_programs WHERE recruitment = :r ORDER BY ord",
       soci::use(rid));
  for (const soci::row& r : rs) {
    auto ratio = Ratio::parse(r.get<std::string>(1));
    if (!ratio) return detail::corrupt("decided_programs.ratio", r.get<std::string>(1));
    out.push_back({r.get<std::string>(0), *ratio});
    if (!d) continue;
    Program p;
    p.id = r.get<std::string>(0);
    p.ratio = *ratio;
    auto scope = parse_scope(r.get<std::string>(2));
    if (!scope) return detail::corrupt("decided_programs.scope", r.get<std::string>(2));
    p.scope = *scope;
    p.min_planned = r.get<long long>(3);
    p.pack_version = r.get<std::string>(4);
    p.pack_digest = r.get<std::string>(5);
    if (r.get_indicator(6) == soci::i_ok) {  // schema 9, quota-case/2
      auto source = parse_source(r.get<std::string>(6));
      if (!source) return detail::corrupt("decided_programs.source", r.get<std::string>(6));
      p.source = *source;
    }
    d->programs.push_back(std::move(p));
  }
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

Result<std::vector<app::DecidedRecruitment>> Store::decided(const app::DecidedFilter& f) {
  return detail::guarded(
      "reading decided recruitments", [&]() -> Result<std::vector<app::DecidedRecruitment>> {
        detail::Db& db = impl_->db;
        const long long y = f.year;
        std::vector<std::string> ids;
        {
          // One text per filter, so that one agency's read uses the (agency, year) index.
          std::string sql = "SELECT r.id FROM recruitments r WHERE r.state = 'decided' AND ";
          soci::rowset<std::string> rs = [&]() -> soci::rowset<std::string> {
            if (!f.id.empty()) return (db.sql.prepare << sql + "r.id = :i", soci::use(f.id));
            if (!f.agency.empty())
              return (db.sql.prepare << sql +
                                            "r.agency = :a AND (:y = 0 OR r.year = :y2) "
                                            "ORDER BY r.announced, r.id",
                      soci::use(f.agency), soci::use(y), soci::use(y));
            return (db.sql.prepare << sql + "(:y = 0 OR r.year = :y2) ORDER BY r.announced, r.id",
                    soci::use(y), soci::use(y));
          }();
          for (const std::string& id : rs) ids.push_back(id);
        }
        std::vector<app::DecidedRecruitment> out;
        out.reserve(ids.size());
        for (const std::string& id : ids) {
          app::DecidedRecruitment& r = out.emplace_back();
          auto info = detail::read_recruitment(db, id);
          if (!info) continue;
          r.info = std::move(*info);
          auto programs = read_programs(db, id, nullptr);
          if (!programs) return programs.error();
          r.programs = std::move(*programs);
          const bool v2 = detail::stored_spec(db, id) == Spec::v2;
          soci::rowset<soci::row> us =
              (db.sql.prepare
                   << "SELECT id, field, exempt, hires, planned FROM units WHERE recruitment = :r "
                      "ORDER BY ord",
               soci::use(id));
          for (const soci::row& row : us) {
            app::DecidedUnit& u = r.units.emplace_back();
            u.id = row.get<std::string>(0);
            u.field = row.get<std::string>(1);
            if (row.get_indicator(2) == soci::i_ok) u.exempt = row.get<std::string>(2);
            u.hires = row.get<long long>(3);
            u.planned = row.get<long long>(4);
            u.applies.assign(r.programs.size(), 0);
            u.group_hires.assign(r.programs.size(), 0);
            // quota-case/2: the claims are kept per program (schema 9), none held unless read.
            if (v2) u.exempt_from.assign(r.programs.size(), std::nullopt);
          }
          soci::rowset<soci::row> ps =
              (db.sql.prepare << "SELECT unit_ord, program_ord, applies, group_hires, exempt "
                                 "FROM unit_programs WHERE recruitment = :r",
               soci::use(id));
          for (const soci::row& row : ps) {
            app::DecidedUnit& u = r.units.at(static_cast<std::size_t>(row.get<long long>(0)));
            const auto p = static_cast<std::size_t>(row.get<long long>(1));
            u.applies.at(p) = row.get<long long>(2) ? 1 : 0;
            u.group_hires.at(p) = row.get<long long>(3);
            if (v2 && row.get_indicator(4) == soci::i_ok)
              u.exempt_from.at(p) = row.get<std::string>(4);
          }
          soci::rowset<soci::row> ss =
              (db.sql.prepare << "SELECT program_ord, stopped_by, shortfall FROM program_results "
                                 "WHERE recruitment = :r AND shortfall > 0 "
                                 "ORDER BY unit_ord, stage_ord, program_ord",
               soci::use(id));
          for (const soci::row& row : ss) {
            app::DecidedShortfall& s = r.shortfalls.emplace_back();
            s.program = static_cast<std::size_t>(row.get<long long>(0));
            if (row.get_indicator(1) == soci::i_ok) {
              auto stop = parse_stopped_by(row.get<std::string>(1));
              if (!stop)
                return detail::corrupt("program_results.stopped_by", row.get<std::string>(1));
              s.stopped_by = *stop;
            }
            s.shortfall = row.get<long long>(2);
          }
        }
        return out;
      });
}

}  // namespace passline::sql
