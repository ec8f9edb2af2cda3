// The agency registry's rows (migration 0007): find, put (insert or replace) and list.
#include <algorithm>

#include "detail/db.h"
#include "detail/rows.h"

namespace passline::sql {
namespace {

constexpr const char* kColumns =
    "code, region, designated, public_institution, innovation_cohort, innovation_since, "
    "joint_city, name_ko, name_en, source, registered";

// One row of `SELECT kColumns FROM agencies`.
Result<app::AgencyRecord> agency_from_row(const soci::row& r) {
  app::AgencyRecord out;
  out.agency.code = r.get<std::string>(0);
  const std::string region = r.get<std::string>(1);
  auto parsed = parse_region(region);
  if (!parsed) return detail::corrupt("agencies.region", region);
  out.agency.region = *parsed;
  out.agency.designated = static_cast<int>(r.get<long long>(2));
  out.agency.public_institution = r.get<long long>(3) != 0;
  const bool has_cohort = r.get_indicator(4) == soci::i_ok;
  const bool has_since = r.get_indicator(5) == soci::i_ok;
  if (has_cohort != has_since)
    return detail::corrupt("agencies.innovation_since",
                           has_since ? r.get<std::string>(5) : std::string("NULL"));
  if (has_cohort) {
    InnovationCity ic;
    ic.cohort = static_cast<int>(r.get<long long>(4));
    const std::string since = r.get<std::string>(5);
    auto date = Date::parse(since);
    if (!date) return detail::corrupt("agencies.innovation_since", since);
    ic.since = *date;
    ic.joint_city = r.get<long long>(6) != 0;
    out.agency.innovation_city = ic;
  }
  if (r.get_indicator(7) == soci::i_ok) out.name_ko = r.get<std::string>(7);
  if (r.get_indicator(8) == soci::i_ok) out.name_en = r.get<std::string>(8);
  if (r.get_indicator(9) == soci::i_ok) out.source = r.get<std::string>(9);
  out.registered = r.get<long long>(10) != 0;
  return out;
}

}  // namespace

Result<std::optional<app::AgencyRecord>> Store::find_agency(std::string_view code) {
  return detail::guarded("reading agency " + std::string(code),
                         [&]() -> Result<std::optional<app::AgencyRecord>> {
                           const std::string c(code);
                           soci::rowset<soci::row> rs =
                               (impl_->db.sql.prepare << "SELECT " << kColumns
                                                      << " FROM agencies WHERE code = :c",
                                soci::use(c));
                           for (const soci::row& r : rs) {
                             auto a = agency_from_row(r);
                             if (!a) return a.error();
                             return std::optional<app::AgencyRecord>(std::move(*a));
                           }
                           return std::optional<app::AgencyRecord>{};
                         });
}

Status Store::put_agency(const app::AgencyRecord& rec) {
  return detail::guarded("storing agency " + rec.agency.code, [&]() -> Status {
    const Agency& a = rec.agency;
    const std::string region(to_string(a.region));
    const long long designated = a.designated;
    const long long public_institution = a.public_institution ? 1 : 0;
    const long long cohort = a.innovation_city ? a.innovation_city->cohort : 0;
    const std::string since = a.innovation_city ? a.innovation_city->since.to_string() : "";
    const long long joint = a.innovation_city && a.innovation_city->joint_city ? 1 : 0;
    soci::indicator cohort_i = a.innovation_city ? soci::i_ok : soci::i_null;
    soci::indicator since_i = cohort_i;
    soci::indicator ko_i = rec.name_ko.empty() ? soci::i_null : soci::i_ok;
    const std::string name_en = rec.name_en.value_or("");
    soci::indicator en_i = rec.name_en ? soci::i_ok : soci::i_null;
    soci::indicator src_i = rec.source.empty() ? soci::i_null : soci::i_ok;
    const long long registered = rec.registered ? 1 : 0;
    impl_->db.sql << "INSERT INTO agencies (" << kColumns
                  << ") VALUES (:code, :region, :designated, :pi, :cohort, :since, :joint, :ko, "
                     ":en, :src, :reg) ON CONFLICT (code) DO UPDATE SET region = excluded.region, "
                     "designated = excluded.designated, public_institution = "
                     "excluded.public_institution, innovation_cohort = excluded.innovation_cohort, "
                     "innovation_since = excluded.innovation_since, joint_city = "
                     "excluded.joint_city, name_ko = excluded.name_ko, name_en = excluded.name_en, "
                     "source = excluded.source, registered = excluded.registered",
        soci::use(a.code), soci::use(region), soci::use(designated), soci::use(public_institution),
        soci::use(cohort, cohort_i), soci::use(since, since_i), soci::use(joint),
        soci::use(rec.name_ko, ko_i), soci::use(name_en, en_i), soci::use(rec.source, src_i),
        soci::use(registered);
    return {};
  });
}

Result<std::vector<app::AgencyRecord>> Store::list_agencies() {
  return detail::guarded("listing agencies", [&]() -> Result<std::vector<app::AgencyRecord>> {
    std::vector<app::AgencyRecord> out;
    soci::rowset<soci::row> rs =
        (impl_->db.sql.prepare << "SELECT " << kColumns << " FROM agencies");
    for (const soci::row& r : rs) {
      auto a = agency_from_row(r);
      if (!a) return a.error();
      out.push_back(std::move(*a));
    }
    // Bytewise, on both backends (PostgreSQL's ORDER BY follows the database's collation).
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.agency.code < y.agency.code; });
    return out;
  });
}

}  // namespace passline::sql
