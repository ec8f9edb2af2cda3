// The Store: open, import, read back. Deciding is in store_decide.cc, the report in report.cc.
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "detail/db.h"
#include "detail/rows.h"

namespace passline::sql {

Error schema_too_new(int found);

namespace {

class SystemClock final : public Clock {
 public:
  std::string now() const override {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
};

}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

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
    return detail::storage_error("opening " + impl->db.url.display, e);
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

Result<RecruitmentInfo> read_recruitment(Db& db, std::string_view id) {
  RecruitmentInfo r;
  r.id = std::string(id);
  long long year = 0, applicants = 0;
  soci::indicator sup_i, supby_i, dec_i;
  std::string sup, supby, dec;
  db.sql << "SELECT agency, announced, year, state, supersedes, superseded_by, applicants, "
            "imported_at, decided_at FROM recruitments WHERE id = :id",
      soci::use(r.id), soci::into(r.agency), soci::into(r.announced), soci::into(year),
      soci::into(r.state), soci::into(sup, sup_i), soci::into(supby, supby_i),
      soci::into(applicants), soci::into(r.imported_at), soci::into(dec, dec_i);
  if (!db.sql.got_data())
    return make_error("unknown_recruitment", "recruitment.id",
                      "no recruitment '" + r.id + "' is stored");
  r.year = static_cast<int>(year);
  r.applicants = applicants;
  if (sup_i == soci::i_ok) r.supersedes = sup;
  if (supby_i == soci::i_ok) r.superseded_by = supby;
  if (dec_i == soci::i_ok) r.decided_at = dec;
  return r;
}

}  // namespace detail

Result<RecruitmentInfo> Store::recruitment(std::string_view recruitment_id) {
  try {
    return detail::read_recruitment(impl_->db, recruitment_id);
  } catch (const std::exception& e) {
    return detail::storage_error("reading recruitment " + std::string(recruitment_id), e);
  }
}

Result<std::vector<RecruitmentInfo>> Store::recruitments(std::string_view agency, int year) {
  try {
    std::string a(agency);
    long long y = year;
    std::vector<std::string> ids;
    soci::rowset<std::string> rs =
        (impl_->db.sql.prepare << "SELECT id FROM recruitments WHERE (:a = '' OR agency = :a2) "
                                  "AND (:y = 0 OR year = :y2) ORDER BY id",
         soci::use(a), soci::use(a), soci::use(y), soci::use(y));
    for (const std::string& id : rs) ids.push_back(id);
    std::vector<RecruitmentInfo> out;
    for (const std::string& id : ids) {
      auto r = detail::read_recruitment(impl_->db, id);
      if (!r) return r.error();
      out.push_back(std::move(*r));
    }
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("listing recruitments", e);
  }
}

Result<ImportSummary> Store::import_case(const Case& c, const ImportOptions& options,
                                         const Clock& clock) {
  if (auto v = validate(c); !v) return v.error();
  if (!c.ledger.empty())
    return make_error("invalid_value", "ledger.prior",
                      "a stored recruitment's prior hires come from the database's ledger; "
                      "remove ledger.prior (or decide the file directly with `passline decide`)");
  auto programs = detail::programs_to_json(c);
  if (!programs) return programs.error();
  detail::Db& db = impl_->db;
  try {
    detail::WriteTransaction tx(db);
    const std::string& id = c.recruitment.id;
    long long exists = 0;
    db.sql << "SELECT COUNT(*) FROM recruitments WHERE id = :id", soci::use(id), soci::into(exists);
    if (exists)
      return make_error("duplicate_recruitment", "recruitment.id",
                        "recruitment '" + id + "' is already stored; a correction is a new "
                        "recruitment that names it in `supersedes`");

    // The agency: created on first sight, then fixed. ON CONFLICT: two processes importing a
    // new agency's first recruitments at once both land (PostgreSQL makes the second wait).
    const std::string want_region(to_string(c.agency.region));
    db.sql << "INSERT INTO agencies (code, region, designated) VALUES (:c, :r, :d) "
              "ON CONFLICT (code) DO NOTHING",
        soci::use(c.agency.code), soci::use(want_region),
        soci::use(static_cast<long long>(c.agency.designated));
    std::string region;
    long long designated = 0;
    db.sql << "SELECT region, designated FROM agencies WHERE code = :c", soci::use(c.agency.code),
        soci::into(region), soci::into(designated);
    if (region != want_region || designated != c.agency.designated) {
      return make_error("agency_mismatch", region != want_region ? "agency.region" : "agency.designated",
                        "agency " + c.agency.code + " is stored with region " + region +
                            " and cohort " + detail::str(designated) + "; the case says " +
                            want_region + " and " + detail::str(c.agency.designated));
    }

    const long long year = c.recruitment.announced.year;
    if (options.supersedes) {
      auto old = detail::read_recruitment(db, *options.supersedes);
      if (!old)
        return make_error("bad_supersedes", "supersedes",
                          "recruitment '" + *options.supersedes + "' to supersede is not stored");
      if (old->agency != c.agency.code || old->year != year)
        return make_error("bad_supersedes", "supersedes",
                          "a correction must be of the same agency and year as '" + old->id +
                              "' (" + old->agency + ", " + detail::str(old->year) + ")");
      if (old->superseded_by)
        return make_error("bad_supersedes", "supersedes",
                          "'" + old->id + "' is already superseded by '" + *old->superseded_by + "'");
      soci::statement mark = (db.sql.prepare << "UPDATE recruitments SET superseded_by = :n "
                                                "WHERE id = :o AND superseded_by IS NULL",
                              soci::use(id), soci::use(old->id));
      mark.execute(true);
      if (mark.get_affected_rows() != 1)  // another correction got there first
        return make_error("bad_supersedes", "supersedes", "'" + old->id + "' is already superseded");
    }

    std::int64_t applicants = 0;
    for (const Unit& u : c.units) applicants += static_cast<std::int64_t>(u.applicants.size());
    const std::string announced = c.recruitment.announced.to_string();
    const std::string now = clock.now();
    soci::indicator sup_ind = options.supersedes ? soci::i_ok : soci::i_null;
    const std::string sup = options.supersedes.value_or("");
    const long long applicant_count = applicants;
    soci::statement insert =
        (db.sql.prepare << "INSERT INTO recruitments (id, agency, announced, year, programs, "
                           "supersedes, state, applicants, imported_at) VALUES (:id, :a, :ann, :y, "
                           ":p, :s, 'imported', :n, :t) ON CONFLICT (id) DO NOTHING",
         soci::use(id), soci::use(c.agency.code), soci::use(announced), soci::use(year),
         soci::use(*programs), soci::use(sup, sup_ind), soci::use(applicant_count), soci::use(now));
    insert.execute(true);
    if (insert.get_affected_rows() != 1)  // stored by another process since the check above
      return make_error("duplicate_recruitment", "recruitment.id",
                        "recruitment '" + id + "' is already stored");

    ImportSummary summary{id, static_cast<std::int64_t>(c.units.size()), applicants, 0};
    summary.scores = detail::insert_units(db, c);
    tx.commit();
    return summary;
  } catch (const std::exception& e) {
    return detail::storage_error("importing recruitment " + c.recruitment.id, e);
  }
}

Result<Case> Store::load_case(std::string_view recruitment_id) {
  try {
    return detail::read_case(impl_->db, recruitment_id);
  } catch (const std::exception& e) {
    return detail::storage_error("reading recruitment " + std::string(recruitment_id), e);
  }
}

}  // namespace passline::sql
