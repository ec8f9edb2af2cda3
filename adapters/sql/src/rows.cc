// The case ↔ rows mapping: units, stages, applicants, education records and scores.
#include <map>
#include <tuple>
#include <nlohmann/json.hpp>

#include "detail/rows.h"
#include "passline/json.h"
#include "passline/app/store.h"

namespace passline::sql::detail {
namespace {

constexpr std::size_t kBatch = 10000;

std::optional<std::string_view> opt_text(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

}  // namespace

std::int64_t insert_units(Db& db, const Case& c) {
  using T = BulkInsert::Type;
  const std::string& rid = c.recruitment.id;
  BulkInsert units(db, "units",
                   {{"recruitment", T::text},
                    {"ord", T::bigint},
                    {"id", T::text},
                    {"field", T::text},
                    {"planned", T::bigint},
                    {"exemptions", T::text},
                    {"requires_experience", T::bigint},
                    {"min_degree", T::text},
                    {"branch_region", T::text}});
  BulkInsert stages(db, "stages",
                    {{"recruitment", T::text},
                     {"unit_ord", T::bigint},
                     {"ord", T::bigint},
                     {"name", T::text},
                     {"planned", T::bigint},
                     {"min_score", T::text},
                     {"below_cut", T::text}});
  BulkInsert applicants(db, "applicants",
                        {{"recruitment", T::text},
                         {"unit_ord", T::bigint},
                         {"ord", T::bigint},
                         {"id", T::text},
                         {"attributes", T::text}});
  BulkInsert education(db, "education",
                       {{"recruitment", T::text},
                        {"unit_ord", T::bigint},
                        {"applicant_ord", T::bigint},
                        {"ord", T::bigint},
                        {"level", T::text},
                        {"region", T::text},
                        {"status", T::text}});
  BulkInsert scores(db, "scores",
                    {{"recruitment", T::text},
                     {"unit_ord", T::bigint},
                     {"applicant_ord", T::bigint},
                     {"stage_ord", T::bigint},
                     {"score", T::bigint},
                     {"disqualified", T::bigint}});
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const auto uo = static_cast<std::int64_t>(u);
    std::optional<std::string> branch;
    if (unit.branch_region) branch = std::string(to_string(*unit.branch_region));
    units.text(rid)
        .bigint(uo)
        .text(unit.id)
        .text(unit.field)
        .bigint(unit.planned)
        .text(nlohmann::json(unit.exemptions).dump())
        .bigint(unit.requires_experience ? 1 : 0)
        .text(opt_text(unit.min_degree))
        .text(opt_text(branch))
        .end_row();
    for (std::size_t s = 0; s < unit.stages.size(); ++s) {
      const Stage& st = unit.stages[s];
      std::optional<std::string> min, below;
      if (st.threshold.min_score) min = st.threshold.min_score->to_string();
      if (st.threshold.below_cut) below = st.threshold.below_cut->to_string();
      stages.text(rid)
          .bigint(uo)
          .bigint(static_cast<std::int64_t>(s))
          .text(st.name)
          .bigint(st.planned)
          .text(opt_text(min))
          .text(opt_text(below))
          .end_row();
    }
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      const Applicant& ap = unit.applicants[a];
      const auto ao = static_cast<std::int64_t>(a);
      std::optional<std::string> attrs;
      if (!ap.attributes.empty()) {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& [k, v] : ap.attributes) o[k] = v;
        attrs = o.dump();
      }
      applicants.text(rid).bigint(uo).bigint(ao).text(ap.id).text(opt_text(attrs)).end_row();
      for (std::size_t e = 0; e < ap.education.size(); ++e) {
        const EducationRecord& r = ap.education[e];
        education.text(rid)
            .bigint(uo)
            .bigint(ao)
            .bigint(static_cast<std::int64_t>(e))
            .text(to_string(r.level))
            .text(to_string(r.region))
            .text(to_string(r.status))
            .end_row();
      }
      for (std::size_t s = 0; s < ap.scores.size(); ++s) {
        const bool dq = (ap.disqualified >> s) & 1u;
        if (!ap.scores[s] && !dq) continue;  // no row: no score, not disqualified
        scores.text(rid)
            .bigint(uo)
            .bigint(ao)
            .bigint(static_cast<std::int64_t>(s))
            .bigint(ap.scores[s] ? std::optional<std::int64_t>(ap.scores[s]->units())
                                 : std::nullopt)
            .bigint(dq ? 1 : 0)
            .end_row();
      }
    }
  }
  for (BulkInsert* b : {&units, &stages, &applicants, &education, &scores}) b->flush();
  return scores.rows();
}

BulkInsert stage_outcome_rows(Db& db) {
  using T = BulkInsert::Type;
  return BulkInsert(db, "stage_outcomes",
                    {{"recruitment", T::text},
                     {"unit_ord", T::bigint},
                     {"applicant_ord", T::bigint},
                     {"stage_ord", T::bigint},
                     {"outcome", T::text},
                     {"program_ord", T::bigint}});
}

Error corrupt(std::string_view what, std::string_view value) {
  return make_error("corrupt_row", std::string(what),
                    "stored value '" + std::string(value) + "' is not valid");
}

app::Ledger read_ledger(Db& db, const std::string& agency, long long year) {
  std::map<std::string, LedgerEntry> by_field;
  {
    soci::rowset<soci::row> rs = (db.sql.prepare << "SELECT field, hires, posts FROM ledger WHERE "
                                                    "agency = :a AND year = :y ORDER BY field",
                                  soci::use(agency), soci::use(year));
    for (const soci::row& r : rs) {
      LedgerEntry& e = by_field[r.get<std::string>(0)];
      e.field = r.get<std::string>(0);
      e.hires = r.get<long long>(1);
      e.posts = r.get<long long>(2);
    }
  }
  {
    soci::rowset<soci::row> rs =
        (db.sql.prepare << "SELECT field, program, hires, obligated FROM ledger_groups WHERE "
                           "agency = :a AND year = :y ORDER BY field, program",
         soci::use(agency), soci::use(year));
    for (const soci::row& r : rs) {
      LedgerEntry& e = by_field[r.get<std::string>(0)];
      e.field = r.get<std::string>(0);
      e.group_hires[r.get<std::string>(1)] = r.get<long long>(2);
      const long long obligated = r.get<long long>(3);
      if (obligated != 0) e.obligated[r.get<std::string>(1)] = obligated;
    }
  }
  app::Ledger out;
  for (auto& [f, e] : by_field) out.push_back(std::move(e));
  return out;
}

namespace {

// The units of a stored recruitment, in order.
Status read_units(Db& db, const std::string& rid, Case& c) {
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT id, field, planned, exemptions, requires_experience, "
                         "min_degree, branch_region FROM units WHERE recruitment = :r ORDER BY ord",
       soci::use(rid));
  for (const soci::row& r : rs) {
    Unit u;
    u.id = r.get<std::string>(0);
    u.field = r.get<std::string>(1);
    u.planned = r.get<long long>(2);
    u.exemptions = nlohmann::json::parse(r.get<std::string>(3)).get<std::vector<std::string>>();
    u.requires_experience = r.get<long long>(4) != 0;
    if (r.get_indicator(5) == soci::i_ok) u.min_degree = r.get<std::string>(5);
    if (r.get_indicator(6) == soci::i_ok) {
      auto b = parse_region(r.get<std::string>(6));
      if (!b) return corrupt("units.branch_region", r.get<std::string>(6));
      u.branch_region = *b;
    }
    c.units.push_back(std::move(u));
  }
  return {};
}

// Each unit's stages, as announced.
Status read_stages(Db& db, const std::string& rid, Case& c) {
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT unit_ord, name, planned, min_score, below_cut FROM stages "
                         "WHERE recruitment = :r ORDER BY unit_ord, ord",
       soci::use(rid));
  for (const soci::row& r : rs) {
    Stage s;
    s.name = r.get<std::string>(1);
    s.planned = r.get<long long>(2);
    for (auto [col, slot, name] : {std::tuple{3, &s.threshold.min_score, "stages.min_score"},
                                   std::tuple{4, &s.threshold.below_cut, "stages.below_cut"}}) {
      if (r.get_indicator(col) != soci::i_ok) continue;
      *slot = Decimal::parse(r.get<std::string>(col));
      if (!*slot) return corrupt(name, r.get<std::string>(col));
    }
    c.units.at(static_cast<std::size_t>(r.get<long long>(0))).stages.push_back(std::move(s));
  }
  return {};
}

// Each unit's applicants with their attributes, in bulk.
Status read_applicants(Db& db, const std::string& rid, Case& c) {
  std::vector<long long> unit(kBatch);
  std::vector<std::string> id(kBatch), attrs(kBatch);
  std::vector<soci::indicator> attrs_i(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT unit_ord, id, attributes FROM applicants "
                         "WHERE recruitment = :r ORDER BY unit_ord, ord",
       soci::use(rid), soci::into(unit), soci::into(id), soci::into(attrs, attrs_i));
  st.execute();
  while (st.fetch()) {
    for (std::size_t i = 0; i < unit.size(); ++i) {
      Unit& u = c.units.at(static_cast<std::size_t>(unit[i]));
      Applicant& a = u.applicants.emplace_back();
      a.id = std::move(id[i]);
      a.scores.resize(u.stages.size());
      if (attrs_i[i] == soci::i_ok) {
        // Named: a temporary in a range-for's expression dies before the loop (C++20).
        const nlohmann::json parsed = nlohmann::json::parse(attrs[i]);
        for (const auto& [k, v] : parsed.items())
          a.attributes.emplace_back(k, v.get<std::string>());
      }
    }
    unit.resize(kBatch);
    id.resize(kBatch);
    attrs.resize(kBatch);
    attrs_i.resize(kBatch);
  }
  return {};
}

// Each applicant's education records, in bulk.
Status read_education(Db& db, const std::string& rid, Case& c) {
  std::vector<long long> unit(kBatch), app(kBatch);
  std::vector<std::string> level(kBatch), region_v(kBatch), status(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT unit_ord, applicant_ord, level, region, status FROM education "
                         "WHERE recruitment = :r ORDER BY unit_ord, applicant_ord, ord",
       soci::use(rid), soci::into(unit), soci::into(app), soci::into(level), soci::into(region_v),
       soci::into(status));
  st.execute();
  while (st.fetch()) {
    for (std::size_t i = 0; i < unit.size(); ++i) {
      EducationRecord r;
      auto l = parse_education_level(level[i]);
      auto g = parse_region(region_v[i]);
      auto s = parse_education_status(status[i]);
      if (!l) return corrupt("education.level", level[i]);
      if (!g) return corrupt("education.region", region_v[i]);
      if (!s) return corrupt("education.status", status[i]);
      r.level = *l;
      r.region = *g;
      r.status = *s;
      c.units.at(static_cast<std::size_t>(unit[i]))
          .applicants.at(static_cast<std::size_t>(app[i]))
          .education.push_back(r);
    }
    for (auto* v : {&unit, &app}) v->resize(kBatch);
    for (auto* v : {&level, &region_v, &status}) v->resize(kBatch);
  }
  return {};
}

// Each applicant's scores and disqualifications, in bulk.
Status read_scores(Db& db, const std::string& rid, Case& c) {
  std::vector<long long> unit(kBatch), app(kBatch), stage(kBatch), score(kBatch), dq(kBatch);
  std::vector<soci::indicator> score_i(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT unit_ord, applicant_ord, stage_ord, score, disqualified FROM "
                         "scores WHERE recruitment = :r",
       soci::use(rid), soci::into(unit), soci::into(app), soci::into(stage),
       soci::into(score, score_i), soci::into(dq));
  st.execute();
  while (st.fetch()) {
    for (std::size_t i = 0; i < unit.size(); ++i) {
      Applicant& a = c.units.at(static_cast<std::size_t>(unit[i]))
                         .applicants.at(static_cast<std::size_t>(app[i]));
      const auto s = static_cast<std::size_t>(stage[i]);
      if (score_i[i] == soci::i_ok) a.scores.at(s) = Decimal::from_units(score[i]);
      if (dq[i]) a.disqualified |= std::uint64_t{1} << s;
    }
    for (auto* v : {&unit, &app, &stage, &score, &dq}) v->resize(kBatch);
    score_i.resize(kBatch);
  }
  return {};
}

// As decided: the ledger as it stood then (none before it is decided).
void read_prior(Db& db, const std::string& rid, Case& c) {
  std::map<std::string, LedgerEntry> by_field;
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT field, program, hires FROM decision_prior WHERE "
                         "recruitment = :r ORDER BY field, program",
       soci::use(rid));
  for (const soci::row& r : rs) {
    LedgerEntry& e = by_field[r.get<std::string>(0)];
    e.field = r.get<std::string>(0);
    if (r.get<std::string>(1).empty())
      e.hires = r.get<long long>(2);
    else
      e.group_hires[r.get<std::string>(1)] = r.get<long long>(2);
  }
  for (auto& [f, e] : by_field) c.ledger.push_back(std::move(e));
}

}  // namespace

Spec stored_spec(Db& db, const std::string& id) {
  struct Vars {
    std::string id;
    long long v2 = 0;
  };
  static const std::string sql =
      "SELECT CASE WHEN document IS NULL THEN 0 ELSE 1 END FROM recruitments WHERE id = :id";
  auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) {
    return soci::statement((s.prepare << sql, soci::use(v.id), soci::into(v.v2)));
  });
  q.v.id = id;
  return run_one(q.st) && q.v.v2 ? Spec::v2 : Spec::v1;
}

Result<Case> read_case(Db& db, std::string_view recruitment_id) {
  auto found = read_recruitment(db, recruitment_id);
  if (!found)
    return make_error("unknown_recruitment", "recruitment.id",
                      "no recruitment '" + std::string(recruitment_id) + "' is stored");
  const app::RecruitmentInfo* info = &*found;
  const std::string rid = info->id;
  {
    // Schema 8: a quota-case/2 recruitment is read back from its document.
    std::string document;
    soci::indicator ind = soci::i_null;
    db.sql << "SELECT document FROM recruitments WHERE id = :id", soci::use(rid),
        soci::into(document, ind);
    if (db.sql.got_data() && ind == soci::i_ok) {
      auto parsed = parse_case_json(document);
      if (!parsed)
        return corrupt("recruitments.document", parsed.error().code + " at " + parsed.error().path);
      return std::move(parsed).value();
    }
  }
  Case c;
  c.recruitment.id = rid;
  auto announced = Date::parse(info->announced);
  if (!announced) return corrupt("recruitments.announced", info->announced);
  c.recruitment.announced = *announced;

  std::string region, programs;
  long long designated = 0;
  db.sql << "SELECT a.region, a.designated, r.programs FROM recruitments r JOIN agencies a ON "
            "a.code = r.agency WHERE r.id = :id",
      soci::use(rid), soci::into(region), soci::into(designated), soci::into(programs);
  c.agency.code = info->agency;
  auto reg = parse_region(region);
  if (!reg) return corrupt("agencies.region", region);
  c.agency.region = *reg;
  c.agency.designated = static_cast<int>(designated);
  auto progs = parse_programs_json(programs);
  if (!progs)
    return corrupt("recruitments.programs", progs.error().path + ": " + progs.error().message);
  c.programs = std::move(*progs);

  if (auto s = read_units(db, rid, c); !s) return std::move(s).error();
  if (auto s = read_stages(db, rid, c); !s) return std::move(s).error();
  if (auto s = read_applicants(db, rid, c); !s) return std::move(s).error();
  if (auto s = read_education(db, rid, c); !s) return std::move(s).error();
  if (auto s = read_scores(db, rid, c); !s) return std::move(s).error();
  read_prior(db, rid, c);
  return c;
}

}  // namespace passline::sql::detail
