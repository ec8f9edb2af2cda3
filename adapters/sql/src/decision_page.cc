// Pages of a stored decision: keyset reads over applicants by (unit, id) through the index of
// migration 0010, so a page costs its own rows whatever the recruitment's size.
#include "detail/db.h"
#include "detail/rows.h"
#include "passline/log.h"

#include <map>
#include <optional>
#include <utility>

namespace passline::sql {
namespace {

std::optional<Outcome> outcome_named(std::string_view s) {
  for (Outcome o : {Outcome::pass_rank, Outcome::pass_tie, Outcome::pass_additional,
                    Outcome::fail_disqualified, Outcome::fail_below_cut})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

/// One stored outcome row as read, checked when the page is built.
struct RawOutcome {
  long long stage = 0;
  std::string outcome;
  std::optional<long long> program;
};

/// One matching applicant row and its outcome rows.
struct Key {
  std::size_t unit = 0;
  long long ord = 0;
  std::string id;
  std::uint32_t local = 0;
  std::vector<RawOutcome> outcomes;
};

/// The applicants matching `q` in one unit after `after_id` (or in every unit after `unit`
/// when `later_units`), at most `limit`, in the document's order.
std::vector<Key> keys(detail::Db& db, const std::string& rid, long long unit,
                      const std::string& after_id, bool later_units,
                      const app::DecisionPageQuery& q, std::size_t limit) {
  // PostgreSQL's default collation is not bytewise; the index (migration 0010) is "C" there.
  const std::string id = db.postgres() ? "a.id COLLATE \"C\"" : "a.id";
  std::string sql =
      "SELECT a.unit_ord, a.ord, a.id, d.local_mask FROM applicants a JOIN decisions d ON "
      "d.recruitment = a.recruitment AND d.unit_ord = a.unit_ord AND d.applicant_ord = a.ord "
      "WHERE a.recruitment = :r AND ";
  sql += later_units ? "a.unit_ord > :u AND :after_id = ''"
                     : "a.unit_ord = :u AND " + id + " > :after_id";
  // The filters are bound always (neutral when unset) so the statement's text is one per kind.
  sql +=
      " AND (:any = 1 OR EXISTS (SELECT 1 FROM stage_outcomes o JOIN stages s ON "
      "s.recruitment = o.recruitment AND s.unit_ord = o.unit_ord AND s.ord = o.stage_ord "
      "WHERE o.recruitment = a.recruitment AND o.unit_ord = a.unit_ord AND "
      "o.applicant_ord = a.ord AND (:any_stage = 1 OR s.name = :stage) AND "
      "(:any_outcome = 1 OR o.outcome = :outcome))) AND (:any_applicant = 1 OR a.id = :applicant)";
  sql += later_units ? " ORDER BY a.unit_ord, " + id : " ORDER BY " + id;
  sql += " LIMIT :n";
  const long long any = q.stage || q.passed ? 0 : 1, any_stage = q.stage ? 0 : 1,
                  any_outcome = q.passed ? 0 : 1, any_applicant = q.applicant ? 0 : 1;
  const std::string stage = q.stage.value_or(""),
                    outcome = q.passed ? std::string(to_string(*q.passed)) : "",
                    applicant = q.applicant.value_or("");
  const long long n = static_cast<long long>(limit);
  std::vector<Key> out;
  soci::rowset<soci::row> rs =
      (db.sql.prepare << sql, soci::use(rid), soci::use(unit), soci::use(after_id), soci::use(any),
       soci::use(any_stage), soci::use(stage), soci::use(any_outcome), soci::use(outcome),
       soci::use(any_applicant), soci::use(applicant), soci::use(n));
  std::map<std::pair<long long, long long>, std::size_t> at;
  for (const soci::row& r : rs) {
    Key& k = out.emplace_back();
    k.unit = static_cast<std::size_t>(r.get<long long>(0));
    k.ord = r.get<long long>(1);
    k.id = r.get<std::string>(2);
    k.local = static_cast<std::uint32_t>(r.get<long long>(3));
    at.emplace(std::pair{static_cast<long long>(k.unit), k.ord}, out.size() - 1);
  }
  if (out.empty()) return out;
  // Their outcomes in one statement: the same keyset read as a subquery, joined to the rows
  // (one execution per page rather than one per applicant).
  const std::string outcomes_sql =
      "SELECT o.unit_ord, o.applicant_ord, o.stage_ord, o.outcome, o.program_ord FROM (" + sql +
      ") k JOIN stage_outcomes o ON o.recruitment = :r2 AND o.unit_ord = k.unit_ord AND "
      "o.applicant_ord = k.ord ORDER BY o.unit_ord, o.applicant_ord, o.stage_ord";
  soci::rowset<soci::row> os =
      (db.sql.prepare << outcomes_sql, soci::use(rid), soci::use(unit), soci::use(after_id),
       soci::use(any), soci::use(any_stage), soci::use(stage), soci::use(any_outcome),
       soci::use(outcome), soci::use(any_applicant), soci::use(applicant), soci::use(n),
       soci::use(rid));
  for (const soci::row& r : os) {
    auto it = at.find({r.get<long long>(0), r.get<long long>(1)});
    if (it == at.end()) continue;  // cannot happen: the subquery is the keys' own read
    RawOutcome& o = out[it->second].outcomes.emplace_back();
    o.stage = r.get<long long>(2);
    o.outcome = r.get<std::string>(3);
    if (r.get_indicator(4) == soci::i_ok) o.program = r.get<long long>(4);
  }
  return out;
}

}  // namespace

Result<app::DecisionPage> Store::decision_page(std::string_view id,
                                               const app::DecisionPageQuery& q) {
  const std::string rid(id);
  return detail::guarded(
      "reading a page of the decision of " + rid, [&]() -> Result<app::DecisionPage> {
        detail::Db& db = impl_->db;
        app::DecisionPage page;
        {
          soci::rowset<std::string> ps =
              (db.sql.prepare << "SELECT program FROM decided_programs WHERE recruitment = :r "
                                 "ORDER BY ord",
               soci::use(rid));
          for (const std::string& p : ps) page.programs.push_back(p);
          soci::rowset<std::string> us =
              (db.sql.prepare << "SELECT id FROM units WHERE recruitment = :r ORDER BY ord",
               soci::use(rid));
          for (const std::string& u : us) page.units.push_back({u, {}});
          soci::rowset<soci::row> ss =
              (db.sql.prepare << "SELECT unit_ord, name FROM stages WHERE recruitment = :r "
                                 "ORDER BY unit_ord, ord",
               soci::use(rid));
          for (const soci::row& r : ss) {
            const auto u = static_cast<std::size_t>(r.get<long long>(0));
            if (u >= page.units.size())
              return detail::corrupt("stages.unit_ord", detail::str(static_cast<std::int64_t>(u)));
            page.units[u].stages.push_back(r.get<std::string>(1));
          }
        }
        // The rest of the unit the page resumes in, then the later units.
        std::vector<Key> found;
        if (q.after) {
          found = keys(db, rid, static_cast<long long>(q.after->unit), q.after->applicant, false, q,
                       q.limit);
        }
        if (found.size() < q.limit) {
          std::vector<Key> more =
              keys(db, rid, q.after ? static_cast<long long>(q.after->unit) : -1, "", true, q,
                   q.limit - found.size());
          for (Key& k : more) found.push_back(std::move(k));
        }
        for (Key& k : found) {
          if (k.unit >= page.units.size())
            return detail::corrupt("applicants.unit_ord",
                                   detail::str(static_cast<std::int64_t>(k.unit)));
          app::PagedApplicant& a = page.applicants.emplace_back();
          a.unit = k.unit;
          a.id = std::move(k.id);
          a.local = k.local;
          for (const RawOutcome& r : k.outcomes) {
            auto o = outcome_named(r.outcome);
            if (!o) return detail::corrupt("stage_outcomes.outcome", r.outcome);
            StageOutcome so{*o, 0};
            if (r.program) {
              if (*r.program < 0 || static_cast<std::size_t>(*r.program) >= page.programs.size())
                return detail::corrupt("stage_outcomes.program_ord", detail::str(*r.program));
              so.program = static_cast<std::uint8_t>(*r.program);
            }
            if (static_cast<std::size_t>(r.stage) != a.outcomes.size())
              return detail::corrupt("stage_outcomes.stage_ord", detail::str(r.stage));
            a.outcomes.push_back(so);
          }
        }
        return page;
      });
}

}  // namespace passline::sql
