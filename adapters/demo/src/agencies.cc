// The agency directory (year.h: relocated_agencies) and its calibration (agency_table.h).
//
// The agencies' facts (code, names, region, cohort and the rest of SPEC §2) are the agency
// registry's data files, data/agencies/*.json, built into the library (registry_files()): the
// same files `passline agency import` reads, so the demo has no second copy of them. What is
// the demo's own is below, one row per agency: the innovation city it moved to (for the
// directory's grouping), its sector and its hiring estimate. Rows are grouped by city in the
// order of the 2018 plan's table of themes; that order is the generator's. The hiring
// estimates (`hires`) are ours: the order of magnitude of each agency's yearly intake around
// 2018, scaled so the 2018 cohort (109 agencies, the number MOLIT's 2018 results count) sums
// to about 6,600 before demo_year's 87–107% draw (docs/REPORT.md).
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>

#include "agency_table.h"
#include "passline/app/agencies.h"
#include "passline/demo/year.h"

namespace passline::detail {
const std::vector<std::pair<std::string, std::string>>& agency_registry_files();
}

namespace passline::demo {
namespace {

using detail::Sector;

struct Row {
  const char* code;
  const char* city_ko;
  int hires;
  Sector sector;
};

constexpr const char* kBusan = "부산";
constexpr const char* kDaegu = "대구";
constexpr const char* kNaju = "광주·전남(나주)";
constexpr const char* kUlsan = "울산";
constexpr const char* kWonju = "강원(원주)";
constexpr const char* kChungbuk = "충북(진천·음성)";
constexpr const char* kJeonbuk = "전북(전주·완주)";
constexpr const char* kGimcheon = "경북(김천)";
constexpr const char* kJinju = "경남(진주)";
constexpr const char* kJeju = "제주(서귀포)";

// clang-format off
constexpr Row kRows[] = {
  // 부산 (문현·대연·영도·센텀)
  {"KAMCO", kBusan, 55, Sector::finance},
  {"HF", kBusan, 40, Sector::finance},
  {"KSD", kBusan, 30, Sector::finance},
  {"HUG", kBusan, 45, Sector::finance},
  {"KOSPO", kBusan, 130, Sector::energy},
  {"KIOST", kBusan, 35, Sector::research},
  {"KMI", kBusan, 15, Sector::research},
  {"KIMFT", kBusan, 12, Sector::general},
  {"KOFIC", kBusan, 8, Sector::culture},
  {"GRAC", kBusan, 6, Sector::culture},
  {"KMRB", kBusan, 5, Sector::culture},
  {"KYCI", kBusan, 12, Sector::welfare},
  {"KHOA", kBusan, 8, Sector::government},

  // 대구 (신서)
  {"KOGAS", kDaegu, 150, Sector::energy},
  {"KAB", kDaegu, 50, Sector::infra},
  {"NIA", kDaegu, 25, Sector::ict},
  {"KICOX", kDaegu, 35, Sector::infra},
  {"KOSAF", kDaegu, 35, Sector::finance},
  {"KERIS", kDaegu, 15, Sector::ict},
  {"KFPP", kDaegu, 10, Sector::finance},
  {"KODIT", kDaegu, 70, Sector::finance},
  {"KEIT", kDaegu, 25, Sector::research},
  {"CPEC", kDaegu, 4, Sector::government},
  {"NRS", kDaegu, 6, Sector::government},

  // 광주·전남 (나주 빛가람)
  {"KEPCO", kNaju, 700, Sector::energy},
  {"KDN", kNaju, 100, Sector::ict},
  {"KPS", kNaju, 250, Sector::energy},
  {"KPX", kNaju, 35, Sector::energy},
  {"KRC", kNaju, 160, Sector::infra},
  {"AT", kNaju, 40, Sector::general},
  {"KISA", kNaju, 40, Sector::ict},
  {"KCA", kNaju, 25, Sector::ict},
  {"KOCCA", kNaju, 15, Sector::culture},
  {"ARKO", kNaju, 8, Sector::culture},
  {"KREI", kNaju, 15, Sector::research},
  {"TP", kNaju, 20, Sector::finance},
  {"RRA", kNaju, 5, Sector::government},
  {"POSTIC", kNaju, 6, Sector::government},
  {"AFOTI", kNaju, 3, Sector::government},

  // 울산 (우정)
  {"KNOC", kUlsan, 40, Sector::energy},
  {"EWP", kUlsan, 130, Sector::energy},
  {"COMWEL", kUlsan, 250, Sector::welfare},
  {"HRDK", kUlsan, 90, Sector::welfare},
  {"KOSHA", kUlsan, 120, Sector::welfare},
  {"KEA", kUlsan, 40, Sector::energy},
  {"KEEI", kUlsan, 12, Sector::research},
  {"NDMI", kUlsan, 4, Sector::government},

  // 강원 (원주)
  {"KORES", kWonju, 10, Sector::energy},
  {"KOCOAL", kWonju, 10, Sector::energy},
  {"NHIS", kWonju, 450, Sector::welfare},
  {"HIRA", kWonju, 160, Sector::health},
  {"KTO", kWonju, 30, Sector::culture},
  {"KOROAD", kWonju, 50, Sector::infra},
  {"KRCS", kWonju, 90, Sector::health},
  {"KNPS", kWonju, 70, Sector::general},
  {"VHS", kWonju, 180, Sector::health},
  {"MIRECO", kWonju, 12, Sector::energy},
  {"KRILA", kWonju, 8, Sector::research},
  {"NFS", kWonju, 10, Sector::government},

  // 충북 (진천·음성)
  {"KGS", kChungbuk, 60, Sector::energy},
  {"KCON", kChungbuk, 15, Sector::general},
  {"KEIS", kChungbuk, 15, Sector::ict},
  {"KEDI", kChungbuk, 20, Sector::research},
  {"KICE", kChungbuk, 15, Sector::research},
  {"NIPA", kChungbuk, 15, Sector::ict},
  {"KISDI", kChungbuk, 12, Sector::research},
  {"LTI", kChungbuk, 3, Sector::government},
  {"KATS", kChungbuk, 6, Sector::government},
  {"NHI", kChungbuk, 3, Sector::government},

  // 전북 (전주·완주)
  {"NPS", kJeonbuk, 200, Sector::finance},
  {"LX", kJeonbuk, 160, Sector::infra},
  {"KESCO", kJeonbuk, 100, Sector::energy},
  {"KPIPA", kJeonbuk, 5, Sector::culture},
  {"KFRI", kJeonbuk, 15, Sector::research},
  {"RDA", kJeonbuk, 25, Sector::government},
  {"NAS", kJeonbuk, 10, Sector::government},
  {"NICS", kJeonbuk, 8, Sector::government},
  {"KNUA", kJeonbuk, 5, Sector::government},
  {"LOGODI", kJeonbuk, 3, Sector::government},

  // 경북 (김천)
  {"EX", kGimcheon, 200, Sector::infra},
  {"KEPCOENC", kGimcheon, 90, Sector::energy},
  {"KLAC", kGimcheon, 40, Sector::general},
  {"TS", kGimcheon, 90, Sector::infra},
  {"KCMC", kGimcheon, 15, Sector::infra},
  {"APQA", kGimcheon, 25, Sector::government},
  {"KSVS", kGimcheon, 6, Sector::government},
  {"PPSQ", kGimcheon, 3, Sector::government},

  // 경남 (진주)
  {"LH", kJinju, 300, Sector::infra},
  {"KOEN", kJinju, 130, Sector::energy},
  {"KISTEC", kJinju, 25, Sector::infra},
  {"KOELSA", kJinju, 60, Sector::infra},
  {"KICET", kJinju, 10, Sector::research},
  {"KOHOM", kJinju, 50, Sector::infra},
  {"KCC", kJinju, 10, Sector::culture},
  {"KTL", kJinju, 40, Sector::research},
  {"DTAQ", kJinju, 30, Sector::research},
  {"CCSL", kJinju, 3, Sector::government},

  // 제주 (서귀포)
  {"GEPS", kJeju, 25, Sector::finance},
  {"KF", kJeju, 10, Sector::culture},
  {"OKF", kJeju, 6, Sector::culture},
  {"HRDI", kJeju, 3, Sector::government},
  {"NIMS", kJeju, 8, Sector::government},
  {"NTSTI", kJeju, 3, Sector::government},

  // 개별이전 (individually relocated, outside the ten cities)
  {"KHNP", "경북 경주(개별이전)", 400, Sector::energy},
  {"KORAD", "경북 경주(개별이전)", 20, Sector::energy},
  {"KOWEPO", "충남 태안(개별이전)", 130, Sector::energy},
  {"KOMIPO", "충남 보령(개별이전)", 130, Sector::energy},
  {"KHIDI", "충북 청주 오송(개별이전)", 25, Sector::health},
  {"KOHI", "충북 청주 오송(개별이전)", 10, Sector::welfare},

  // 대전: existing agencies brought under the quota by the 2020 amendment (cohort 2020)
  {"KORAIL", "대전", 800, Sector::infra},
  {"KWATER", "대전", 250, Sector::infra},
  {"KOMSCO", "대전", 40, Sector::general},
  {"KR", "대전", 100, Sector::infra},
  {"KOGASTECH", "대전", 80, Sector::energy},
  {"SEMAS", "대전", 60, Sector::general},
};
// clang-format on

/// The registry's records by code, from every built-in data file.
std::map<std::string, app::AgencyRecord> registry_by_code() {
  std::map<std::string, app::AgencyRecord> out;
  for (const auto& [path, text] : registry_files()) {
    auto records = app::parse_agencies_json(text);
    if (!records)
      throw std::logic_error(path + ": " + records.error().path + ": " + records.error().message);
    for (app::AgencyRecord& r : *records) {
      if (auto v = app::validate_agency(r); !v)
        throw std::logic_error(path + ": " + r.agency.code + ": " + v.error().message);
      if (r.agency.innovation_city) r.agency.designated = r.agency.innovation_city->cohort;
      const std::string code = r.agency.code;
      if (!out.emplace(code, std::move(r)).second)
        throw std::logic_error(path + ": agency " + code + " is in two registry files");
    }
  }
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& registry_files() {
  return passline::detail::agency_registry_files();
}

const std::vector<AgencyInfo>& relocated_agencies() {
  static const std::vector<AgencyInfo> table = [] {
    std::map<std::string, app::AgencyRecord> registry = registry_by_code();
    std::vector<AgencyInfo> out;
    out.reserve(std::size(kRows));
    for (const Row& r : kRows) {
      auto found = registry.find(r.code);
      if (found == registry.end() || !found->second.agency.innovation_city)
        throw std::logic_error(std::string("demo agency ") + r.code +
                               " is not an innovation-city agency of data/agencies/*.json");
      const app::AgencyRecord& rec = found->second;
      out.push_back(AgencyInfo{rec.agency.code, rec.name_ko, rec.name_en.value_or(""),
                               rec.agency.region, rec.agency.designated, r.city_ko, rec.agency});
      registry.erase(found);
    }
    if (!registry.empty())
      throw std::logic_error(
          "registry agency " + registry.begin()->first +
          " has no row in the demo's calibration (adapters/demo/src/agencies.cc)");
    return out;
  }();
  return table;
}

namespace detail {

const std::vector<AgencyProfile>& agency_profiles() {
  static const std::vector<AgencyProfile> table = [] {
    std::vector<AgencyProfile> out;
    out.reserve(std::size(kRows));
    for (const Row& r : kRows) out.push_back(AgencyProfile{r.hires, r.sector});
    return out;
  }();
  return table;
}

}  // namespace detail
}  // namespace passline::demo
