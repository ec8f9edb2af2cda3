// The Store: open, import, read back. Deciding is in store_decide.cc, the report in report.cc.
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "detail/db.h"
#include "detail/rows.h"
#include "passline/json.h"

namespace passline::sql {

Error schema_too_new(int found);

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const DatabaseUrl& Store::url() const { return impl_->db.url; }
int Store::schema_version() const { return impl_->version; }

Result<std::unique_ptr<Store>> Store::open(std::string_view url) {
  auto parsed = parse_database_url(url);
  if (!parsed) return parsed.error();
  auto impl = std::make_unique<Impl>();
  impl->db.url = *parsed;
  try {
    detail::connect(impl->db);
    impl->version = detail::applied_schema_version(impl->db);
  } catch (const std::exception& e) {
    return detail::storage_error(impl->db, "opening " + impl->db.url.display, e);
  }
  const int latest = latest_schema_version();
  if (impl->version == 0)
    return make_error("schema_missing", "--db",
                      impl->db.url.display + " has no passline schema: run `passline db init`");
  if (impl->version < latest)
    return make_error("schema_outdated", "--db",
                      impl->db.url.display + " has schema version " + detail::str(impl->version) +
                          ", this passline needs " + detail::str(latest) +
                          ": run `passline db migrate`");
  if (impl->version > latest) return schema_too_new(impl->version);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

namespace detail {

std::optional<RecruitmentInfo> read_recruitment(Db& db, std::string_view id) {
  struct Vars {
    std::string id, agency, announced, state, sup, supby, imported, dec, region;
    long long year = 0, applicants = 0;
    soci::indicator sup_i = soci::i_null, supby_i = soci::i_null, dec_i = soci::i_null,
                    region_i = soci::i_null;
  };
  static const std::string sql =
      "SELECT r.agency, r.announced, r.year, r.state, r.supersedes, r.superseded_by, "
      "r.applicants, r.imported_at, r.decided_at, a.region FROM recruitments r "
      "LEFT JOIN agencies a ON a.code = r.agency WHERE r.id = :id";
  auto& q = cached<Vars>(db, sql, [](soci::session& s, Vars& v) -> soci::statement {
    return (s.prepare << sql, soci::use(v.id), soci::into(v.agency), soci::into(v.announced),
            soci::into(v.year), soci::into(v.state), soci::into(v.sup, v.sup_i),
            soci::into(v.supby, v.supby_i), soci::into(v.applicants), soci::into(v.imported),
            soci::into(v.dec, v.dec_i), soci::into(v.region, v.region_i));
  });
  Vars& v = q.v;
  v.id = std::string(id);
  if (!run_one(q.st)) return std::nullopt;
  return recruitment_info(v);
}

}  // namespace detail

Status Store::transaction(const std::function<Status()>& work) {
  return detail::guarded(impl_->db, "writing", [&]() -> Status {
    detail::WriteTransaction tx(impl_->db);
    Status s = work();
    if (s) tx.commit();
    return s;
  });
}

Result<std::optional<RecruitmentInfo>> Store::find_recruitment(std::string_view id) {
  return detail::guarded("reading recruitment " + std::string(id),
                         [&]() -> Result<std::optional<RecruitmentInfo>> {
                           return detail::read_recruitment(impl_->db, id);
                         });
}

Result<std::vector<RecruitmentInfo>> Store::list_recruitments(std::string_view agency, int year) {
  return detail::guarded("listing recruitments", [&]() -> Result<std::vector<RecruitmentInfo>> {
    struct Vars {
      std::string a, id;
      long long y = 0;
    };
    static const std::string sql =
        "SELECT id FROM recruitments WHERE (:a = '' OR agency = :a2) "
        "AND (:y = 0 OR year = :y2) ORDER BY id";
    auto& q = detail::cached<Vars>(impl_->db, sql, [](soci::session& s, Vars& v) {
      return soci::statement((s.prepare << sql, soci::use(v.a), soci::use(v.a), soci::use(v.y),
                              soci::use(v.y), soci::into(v.id)));
    });
    q.v.a = std::string(agency);
    q.v.y = year;
    std::vector<std::string> ids;
    q.st.execute(false);
    while (q.st.fetch()) ids.push_back(q.v.id);
    std::vector<RecruitmentInfo> out;
    for (const std::string& id : ids)
      if (auto r = detail::read_recruitment(impl_->db, id)) out.push_back(std::move(*r));
    return out;
  });
}

Result<Agency> Store::ensure_agency(const Agency& agency) {
  return detail::guarded("storing agency " + agency.code, [&]() -> Result<Agency> {
    detail::Db& db = impl_->db;
    // ON CONFLICT: two processes importing a new agency's first recruitments at once both land
    // (PostgreSQL makes the second wait).
    const std::string want_region(to_string(agency.region));
    db.sql << "INSERT INTO agencies (code, region, designated) VALUES (:c, :r, :d) "
              "ON CONFLICT (code) DO NOTHING",
        soci::use(agency.code), soci::use(want_region),
        soci::use(static_cast<long long>(agency.designated));
    std::string region;
    long long designated = 0;
    db.sql << "SELECT region, designated FROM agencies WHERE code = :c", soci::use(agency.code),
        soci::into(region), soci::into(designated);
    Agency out = agency;
    auto parsed = parse_region(region);
    if (!parsed) return detail::corrupt("agencies.region", region);
    out.region = *parsed;
    out.designated = static_cast<int>(designated);
    return out;
  });
}

Result<bool> Store::agency_exists(std::string_view code) {
  return detail::guarded("looking up an agency", [&]() -> Result<bool> {
    struct Vars {
      std::string c;
      long long n = 0;
    };
    static const std::string sql = "SELECT COUNT(*) FROM agencies WHERE code = :c";
    auto& q = detail::cached<Vars>(impl_->db, sql, [](soci::session& s, Vars& v) {
      return soci::statement((s.prepare << sql, soci::use(v.c), soci::into(v.n)));
    });
    q.v.c = std::string(code);
    q.v.n = 0;
    detail::run_one(q.st);
    return q.v.n > 0;
  });
}

Result<std::optional<std::int64_t>> Store::insert_recruitment(const Case& c,
                                                              const app::NewRecruitment& meta) {
  return detail::guarded(
      "importing recruitment " + c.recruitment.id, [&]() -> Result<std::optional<std::int64_t>> {
        detail::Db& db = impl_->db;
        const std::string programs = programs_to_json(c.programs);
        const std::string announced = c.recruitment.announced.to_string();
        const long long year = c.recruitment.announced.year;
        soci::indicator sup_ind = meta.supersedes ? soci::i_ok : soci::i_null;
        const std::string sup = meta.supersedes.value_or("");
        const long long applicants = meta.applicants;
        soci::statement insert =
            (db.sql.prepare
                 << "INSERT INTO recruitments (id, agency, announced, year, programs, "
                    "supersedes, state, applicants, imported_at) VALUES (:id, :a, :ann, :y, "
                    ":p, :s, 'imported', :n, :t) ON CONFLICT (id) DO NOTHING",
             soci::use(c.recruitment.id), soci::use(c.agency.code), soci::use(announced),
             soci::use(year), soci::use(programs), soci::use(sup, sup_ind), soci::use(applicants),
             soci::use(meta.imported_at));
        insert.execute(true);
        if (insert.get_affected_rows() != 1) return std::optional<std::int64_t>{};
        if (c.spec == Spec::v2) {  // schema 8: the quota-case/2 facts the rows cannot hold
          const std::string document = case_to_json(c);
          db.sql << "UPDATE recruitments SET document = :d WHERE id = :id", soci::use(document),
              soci::use(c.recruitment.id);
        }
        return std::optional<std::int64_t>{detail::insert_units(db, c)};
      });
}

Result<bool> Store::mark_superseded(std::string_view old_id, std::string_view new_id) {
  return detail::guarded("marking a superseded recruitment", [&]() -> Result<bool> {
    const std::string o(old_id), n(new_id);
    soci::statement mark = (impl_->db.sql.prepare << "UPDATE recruitments SET superseded_by = :n "
                                                     "WHERE id = :o AND superseded_by IS NULL",
                            soci::use(n), soci::use(o));
    mark.execute(true);
    return mark.get_affected_rows() == 1;
  });
}

Status Store::lock_agency(std::string_view code) {
  if (!impl_->db.postgres()) return {};  // BEGIN IMMEDIATE holds the database's write lock
  return detail::guarded("locking agency " + std::string(code), [&]() -> Status {
    const std::string c(code);
    std::string got;
    impl_->db.sql << "SELECT code FROM agencies WHERE code = :a FOR UPDATE", soci::use(c),
        soci::into(got);
    return {};
  });
}

Result<Case> Store::read_case(std::string_view id) {
  return detail::guarded("reading recruitment " + std::string(id),
                         [&] { return detail::read_case(impl_->db, id); });
}

Result<app::Ledger> Store::read_ledger(std::string_view agency, int year) {
  return detail::guarded("reading the ledger of " + std::string(agency),
                         [&]() -> Result<app::Ledger> {
                           return detail::read_ledger(impl_->db, std::string(agency), year);
                         });
}

}  // namespace passline::sql
