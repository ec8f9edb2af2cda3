// Deciding a stored recruitment, and reading the decision back.
#include <map>

#include "detail/audit_log.h"
#include "detail/db.h"
#include "passline/log.h"
#include "detail/rows.h"

namespace passline::sql {
namespace {

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (Outcome o : {Outcome::not_reached, Outcome::pass_rank, Outcome::pass_tie,
                    Outcome::pass_additional, Outcome::fail_disqualified, Outcome::fail_below_cut})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

std::optional<StoppedBy> parse_stopped_by(std::string_view s) {
  for (StoppedBy b : {StoppedBy::threshold, StoppedBy::pool, StoppedBy::cap})
    if (to_string(b) == s) return b;
  return std::nullopt;
}

using Deltas = std::map<std::string, LedgerEntry>;

// Adds `sign` × deltas to the agency's ledger for the year (an upsert per field and program).
void apply_to_ledger(detail::Db& db, const std::string& agency, long long year,
                     const Deltas& deltas, long long sign) {
  for (const auto& [field, e] : deltas) {
    const long long h = sign * e.hires;
    db.sql << "INSERT INTO ledger (agency, year, field, hires) VALUES (:a, :y, :f, :h) "
              "ON CONFLICT (agency, year, field) DO UPDATE SET hires = ledger.hires + excluded.hires",
        soci::use(agency), soci::use(year), soci::use(field), soci::use(h);
    for (const auto& [program, n] : e.group_hires) {
      const long long g = sign * n;
      db.sql << "INSERT INTO ledger_groups (agency, year, field, program, hires) VALUES "
                "(:a, :y, :f, :p, :h) ON CONFLICT (agency, year, field, program) DO UPDATE SET "
                "hires = ledger_groups.hires + excluded.hires",
          soci::use(agency), soci::use(year), soci::use(field), soci::use(program), soci::use(g);
    }
  }
}

// Writes the decision's rows; returns what it adds to the ledger.
Deltas write_decision(detail::Db& db, const Case& c, const Decision& d) {
  using T = detail::BulkInsert::Type;
  const std::string& rid = c.recruitment.id;
  Deltas deltas;

  detail::BulkInsert programs(db, "decided_programs",
                              {{"recruitment", T::text}, {"ord", T::bigint}, {"program", T::text},
                               {"ratio", T::text}, {"scope", T::text}, {"min_planned", T::bigint},
                               {"pack_version", T::text}, {"pack_digest", T::text}});
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const Program& pr = d.programs[p];
    programs.text(rid).bigint(static_cast<std::int64_t>(p)).text(pr.id).text(pr.ratio.to_string())
        .text(to_string(pr.scope)).bigint(pr.min_planned).text(pr.pack_version)
        .text(pr.pack_digest).end_row();
  }
  detail::BulkInsert results(db, "program_results",
                             {{"recruitment", T::text}, {"unit_ord", T::bigint},
                              {"stage_ord", T::bigint}, {"program_ord", T::bigint},
                              {"target", T::bigint}, {"regular", T::bigint},
                              {"additional", T::bigint}, {"shortfall", T::bigint},
                              {"stopped_by", T::text}});
  detail::BulkInsert unit_programs(db, "unit_programs",
                                   {{"recruitment", T::text}, {"unit_ord", T::bigint},
                                    {"program_ord", T::bigint}, {"applies", T::bigint},
                                    {"group_hires", T::bigint}});
  detail::BulkInsert decisions(db, "decisions",
                               {{"recruitment", T::text}, {"unit_ord", T::bigint},
                                {"applicant_ord", T::bigint}, {"local_mask", T::bigint},
                                {"outcomes", T::text}});
  std::string outcomes;
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    const Unit& unit = c.units[u];
    const long long uo = static_cast<long long>(u);
    soci::indicator ex_i = ud.exempt ? soci::i_ok : soci::i_null;
    const std::string ex = ud.exempt.value_or("");
    const long long hires = ud.hires;
    db.sql << "UPDATE units SET exempt = :e, hires = :h WHERE recruitment = :r AND ord = :u",
        soci::use(ex, ex_i), soci::use(hires), soci::use(rid), soci::use(uo);
    for (std::size_t s = 0; s < ud.stages.size(); ++s) {
      const StageResult& sr = ud.stages[s];
      const long long so = static_cast<long long>(s), considered = sr.considered,
                      passed = sr.passed;
      const std::string cut = sr.cut ? sr.cut->to_string() : "";
      const std::string thr = sr.threshold ? sr.threshold->to_string() : "";
      soci::indicator cut_i = sr.cut ? soci::i_ok : soci::i_null;
      soci::indicator thr_i = sr.threshold ? soci::i_ok : soci::i_null;
      db.sql << "UPDATE stages SET considered = :c, cut = :cut, threshold = :t, passed = :p "
                "WHERE recruitment = :r AND unit_ord = :u AND ord = :s",
          soci::use(considered), soci::use(cut, cut_i), soci::use(thr, thr_i), soci::use(passed),
          soci::use(rid), soci::use(uo), soci::use(so);
      for (std::size_t p = 0; p < sr.programs.size(); ++p) {
        const ProgramStageResult& r = sr.programs[p];
        results.text(rid).bigint(uo).bigint(so).bigint(static_cast<std::int64_t>(p))
            .bigint(r.target).bigint(r.regular).bigint(r.additional).bigint(r.shortfall)
            .text(r.stopped_by == StoppedBy::none ? std::nullopt
                                                  : std::optional<std::string_view>(to_string(r.stopped_by)))
            .end_row();
      }
    }
    LedgerEntry& delta = deltas[unit.field];
    delta.field = unit.field;
    delta.hires += ud.hires;
    for (std::size_t p = 0; p < d.programs.size(); ++p) {
      const bool applies = !ud.exempt && unit.planned >= d.programs[p].min_planned;
      const std::int64_t g = p < ud.group_hires.size() ? ud.group_hires[p] : 0;
      unit_programs.text(rid).bigint(uo).bigint(static_cast<std::int64_t>(p))
          .bigint(applies ? 1 : 0).bigint(g).end_row();
      delta.group_hires[d.programs[p].id] += g;
    }
    const std::size_t stages = ud.stages.size();
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      outcomes.clear();
      for (std::size_t s = 0; s < stages; ++s) {
        const StageOutcome& o = ud.outcome(a, s);
        if (s) outcomes += ',';
        outcomes += to_string(o.outcome);
        if (o.outcome == Outcome::pass_additional) {
          outcomes += ':';
          outcomes += detail::str(o.program);
        }
      }
      decisions.text(rid).bigint(uo).bigint(static_cast<std::int64_t>(a))
          .bigint(a < ud.local.size() ? ud.local[a] : 0).text(outcomes).end_row();
    }
  }
  for (auto* b : {&programs, &results, &unit_programs, &decisions}) b->flush();

  // The prior ledger the decision used.
  detail::BulkInsert prior(db, "decision_prior",
                           {{"recruitment", T::text}, {"field", T::text}, {"program", T::text},
                            {"hires", T::bigint}});
  for (const LedgerEntry& e : c.ledger) {
    prior.text(rid).text(e.field).text("").bigint(e.hires).end_row();
    for (const auto& [p, n] : e.group_hires) prior.text(rid).text(e.field).text(p).bigint(n).end_row();
  }
  prior.flush();
  return deltas;
}

}  // namespace

Result<DecideSummary> Store::decide(std::string_view recruitment_id, const RuleRegistry& rules,
                                    const Clock& clock) {
  detail::Db& db = impl_->db;
  const std::string rid(recruitment_id);
  try {
    detail::WriteTransaction tx(db);
    auto info = detail::read_recruitment(db, rid);
    if (!info) return info.error();
    if (db.postgres()) {
      // Deciders of one agency queue here; the ledger they read is then the one they update.
      std::string code;
      db.sql << "SELECT code FROM agencies WHERE code = :a FOR UPDATE", soci::use(info->agency),
          soci::into(code);
      info = detail::read_recruitment(db, rid);  // as it is now that we hold the lock
      if (!info) return info.error();
    }
    if (info->state == "decided")
      return make_error("already_decided", "recruitment.id",
                        "recruitment '" + rid + "' was decided at " + info->decided_at.value_or("?") +
                            "; a decision is final: import a correction that supersedes it");
    if (info->superseded_by)
      return make_error("superseded", "recruitment.id",
                        "recruitment '" + rid + "' is superseded by '" + *info->superseded_by +
                            "': decide that one");
    auto c = detail::read_case(db, rid);
    if (!c) return c.error();
    auto d = passline::decide(*c, rules);
    if (!d) return d.error();

    Deltas deltas = write_decision(db, *c, *d);
    apply_to_ledger(db, info->agency, info->year, deltas, +1);
    if (info->supersedes) {
      const Deltas old = detail::contribution(db, *info->supersedes);
      apply_to_ledger(db, info->agency, info->year, old, -1);
    }
    const std::string now = clock.now();
    LogContext log;
    log.decided_at = now;
    log.supersedes = info->supersedes;
    detail::append_log(db, *c, *d, log);
    const std::string version(engine_version());
    soci::statement st = (db.sql.prepare << "UPDATE recruitments SET state = 'decided', "
                                            "decided_at = :t, engine_version = :v WHERE id = :id "
                                            "AND state = 'imported'",
                          soci::use(now), soci::use(version), soci::use(rid));
    st.execute(true);
    if (st.get_affected_rows() != 1)
      return make_error("already_decided", "recruitment.id",
                        "recruitment '" + rid + "' was decided by another process meanwhile");
    tx.commit();

    DecideSummary s;
    s.recruitment = rid;
    s.agency = info->agency;
    s.year = info->year;
    s.applicants = info->applicants;
    s.decided_at = now;
    for (std::size_t p = 0; p < d->programs.size(); ++p) {
      std::int64_t g = 0;
      for (const UnitDecision& u : d->units) g += p < u.group_hires.size() ? u.group_hires[p] : 0;
      s.group_hires.emplace_back(d->programs[p].id, g);
    }
    for (const UnitDecision& u : d->units) s.hires += u.hires;
    return s;
  } catch (const std::exception& e) {
    return detail::storage_error("deciding recruitment " + rid, e);
  }
}

Result<std::vector<LedgerEntry>> Store::ledger(std::string_view agency, int year) {
  try {
    return detail::read_ledger(impl_->db, std::string(agency), year);
  } catch (const std::exception& e) {
    return detail::storage_error("reading the ledger of " + std::string(agency), e);
  }
}

Result<StoredDecision> Store::load_decision(std::string_view recruitment_id) {
  detail::Db& db = impl_->db;
  const std::string rid(recruitment_id);
  try {
    auto info = detail::read_recruitment(db, rid);
    if (!info) return info.error();
    if (info->state != "decided")
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + rid + "' is stored but not decided yet");
    auto c = detail::read_case(db, rid);
    if (!c) return c.error();
    StoredDecision out{std::move(*c), {}};
    Decision& d = out.decision;
    d.recruitment = rid;
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << "SELECT program, ratio, scope, min_planned, pack_version, pack_digest "
                             "FROM decided_programs WHERE recruitment = :r ORDER BY ord",
           soci::use(rid));
      for (const soci::row& r : rs) {
        Program p;
        p.id = r.get<std::string>(0);
        p.ratio = Ratio::parse(r.get<std::string>(1)).value_or(Ratio{});
        p.scope = parse_scope(r.get<std::string>(2)).value_or(Scope::stage);
        p.min_planned = r.get<long long>(3);
        p.pack_version = r.get<std::string>(4);
        p.pack_digest = r.get<std::string>(5);
        d.programs.push_back(std::move(p));
      }
    }
    const std::size_t programs = d.programs.size();
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << "SELECT id, exempt, hires FROM units WHERE recruitment = :r ORDER BY ord",
           soci::use(rid));
      for (const soci::row& r : rs) {
        UnitDecision& u = d.units.emplace_back();
        u.id = r.get<std::string>(0);
        if (r.get_indicator(1) == soci::i_ok) u.exempt = r.get<std::string>(1);
        u.hires = r.get<long long>(2);
        u.group_hires.assign(programs, 0);
      }
    }
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << "SELECT unit_ord, name, planned, considered, cut, threshold, passed "
                             "FROM stages WHERE recruitment = :r ORDER BY unit_ord, ord",
           soci::use(rid));
      for (const soci::row& r : rs) {
        StageResult& s = d.units.at(static_cast<std::size_t>(r.get<long long>(0))).stages.emplace_back();
        s.name = r.get<std::string>(1);
        s.planned = r.get<long long>(2);
        s.considered = r.get<long long>(3);
        if (r.get_indicator(4) == soci::i_ok) s.cut = Decimal::parse(r.get<std::string>(4));
        if (r.get_indicator(5) == soci::i_ok) s.threshold = Decimal::parse(r.get<std::string>(5));
        s.passed = r.get<long long>(6);
        s.programs.resize(programs);
      }
    }
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << "SELECT unit_ord, stage_ord, program_ord, target, regular, additional, "
                             "shortfall, stopped_by FROM program_results WHERE recruitment = :r",
           soci::use(rid));
      for (const soci::row& r : rs) {
        ProgramStageResult& p = d.units.at(static_cast<std::size_t>(r.get<long long>(0)))
                                    .stages.at(static_cast<std::size_t>(r.get<long long>(1)))
                                    .programs.at(static_cast<std::size_t>(r.get<long long>(2)));
        p.target = r.get<long long>(3);
        p.regular = r.get<long long>(4);
        p.additional = r.get<long long>(5);
        p.shortfall = r.get<long long>(6);
        if (r.get_indicator(7) == soci::i_ok)
          p.stopped_by = parse_stopped_by(r.get<std::string>(7)).value_or(StoppedBy::none);
      }
    }
    {
      soci::rowset<soci::row> rs =
          (db.sql.prepare << "SELECT unit_ord, program_ord, group_hires FROM unit_programs "
                             "WHERE recruitment = :r",
           soci::use(rid));
      for (const soci::row& r : rs)
        d.units.at(static_cast<std::size_t>(r.get<long long>(0)))
            .group_hires.at(static_cast<std::size_t>(r.get<long long>(1))) = r.get<long long>(2);
    }
    for (std::size_t u = 0; u < d.units.size(); ++u) {
      const std::size_t n = out.input.units[u].applicants.size();
      d.units[u].local.assign(n, 0);
      d.units[u].outcomes.assign(n * d.units[u].stages.size(), StageOutcome{});
    }
    {
      constexpr std::size_t kBatch = 10000;
      std::vector<long long> unit(kBatch), app(kBatch), mask(kBatch);
      std::vector<std::string> outcomes(kBatch);
      soci::statement st =
          (db.sql.prepare << "SELECT unit_ord, applicant_ord, local_mask, outcomes FROM decisions "
                             "WHERE recruitment = :r",
           soci::use(rid), soci::into(unit), soci::into(app), soci::into(mask),
           soci::into(outcomes));
      st.execute();
      while (st.fetch()) {
        for (std::size_t i = 0; i < unit.size(); ++i) {
          UnitDecision& u = d.units.at(static_cast<std::size_t>(unit[i]));
          const auto a = static_cast<std::size_t>(app[i]);
          u.local.at(a) = static_cast<std::uint32_t>(mask[i]);
          std::string_view rest = outcomes[i];
          for (std::size_t s = 0; s < u.stages.size(); ++s) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            StageOutcome o;
            if (auto colon = item.find(':'); colon != std::string_view::npos) {
              o.program = static_cast<std::uint8_t>(std::stoi(std::string(item.substr(colon + 1))));
              item = item.substr(0, colon);
            }
            auto parsed = parse_outcome(item);
            if (!parsed)
              return make_error("corrupt_row", "decisions.outcomes",
                                "stored outcome '" + std::string(item) + "' is not valid");
            o.outcome = *parsed;
            u.outcomes.at(a * u.stages.size() + s) = o;
          }
        }
        for (auto* v : {&unit, &app, &mask}) v->resize(kBatch);
        outcomes.resize(kBatch);
      }
    }
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("reading the decision of " + rid, e);
  }
}

}  // namespace passline::sql
