// The agency directory (year.h: relocated_agencies) and its calibration (agency_table.h).
//
// One row per agency, grouped by city in the order of the 2018 plan's table of themes. The
// hiring estimates (`hires`) are ours: the order of magnitude of each agency's yearly intake
// around 2018, scaled so the 2018 cohort (109 agencies, the number MOLIT's 2018 results count)
// sums to about 6,600 before demo_year's 87–107% draw (docs/REPORT.md).
#include <cstddef>

#include "agency_table.h"
#include "passline/demo/year.h"

namespace passline::demo {
namespace {

using detail::Sector;

struct Row {
  const char* code;
  const char* name_ko;
  const char* name_en;
  Region region;
  int designated;
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
  {"KAMCO",  "한국자산관리공사", "Korea Asset Management Corporation", Region::busan, 2018, kBusan, 55, Sector::finance},
  {"HF",     "한국주택금융공사", "Korea Housing Finance Corporation", Region::busan, 2018, kBusan, 40, Sector::finance},
  {"KSD",    "한국예탁결제원", "Korea Securities Depository", Region::busan, 2018, kBusan, 30, Sector::finance},
  {"HUG",    "주택도시보증공사", "Korea Housing & Urban Guarantee Corporation", Region::busan, 2018, kBusan, 45, Sector::finance},
  {"KOSPO",  "한국남부발전", "Korea Southern Power", Region::busan, 2018, kBusan, 130, Sector::energy},
  {"KIOST",  "한국해양과학기술원", "Korea Institute of Ocean Science & Technology", Region::busan, 2018, kBusan, 35, Sector::research},
  {"KMI",    "한국해양수산개발원", "Korea Maritime Institute", Region::busan, 2018, kBusan, 15, Sector::research},
  {"KIMFT",  "한국해양수산연수원", "Korea Institute of Maritime and Fisheries Technology", Region::busan, 2018, kBusan, 12, Sector::general},
  {"KOFIC",  "영화진흥위원회", "Korean Film Council", Region::busan, 2018, kBusan, 8, Sector::culture},
  {"GRAC",   "게임물관리위원회", "Game Rating and Administration Committee", Region::busan, 2018, kBusan, 6, Sector::culture},
  {"KMRB",   "영상물등급위원회", "Korea Media Rating Board", Region::busan, 2018, kBusan, 5, Sector::culture},
  {"KYCI",   "한국청소년상담복지개발원", "Korea Youth Counseling & Welfare Institute", Region::busan, 2018, kBusan, 12, Sector::welfare},
  {"KHOA",   "국립해양조사원", "Korea Hydrographic and Oceanographic Agency", Region::busan, 2018, kBusan, 8, Sector::government},

  // 대구 (신서)
  {"KOGAS",  "한국가스공사", "Korea Gas Corporation", Region::daegu, 2018, kDaegu, 150, Sector::energy},
  {"KAB",    "한국감정원", "Korea Appraisal Board", Region::daegu, 2018, kDaegu, 50, Sector::infra},
  {"NIA",    "한국정보화진흥원", "National Information Society Agency", Region::daegu, 2018, kDaegu, 25, Sector::ict},
  {"KICOX",  "한국산업단지공단", "Korea Industrial Complex Corporation", Region::daegu, 2018, kDaegu, 35, Sector::infra},
  {"KOSAF",  "한국장학재단", "Korea Student Aid Foundation", Region::daegu, 2018, kDaegu, 35, Sector::finance},
  {"KERIS",  "한국교육학술정보원", "Korea Education and Research Information Service", Region::daegu, 2018, kDaegu, 15, Sector::ict},
  {"KFPP",   "한국사학진흥재단", "Korea Foundation for the Promotion of Private Schools", Region::daegu, 2018, kDaegu, 10, Sector::finance},
  {"KODIT",  "신용보증기금", "Korea Credit Guarantee Fund", Region::daegu, 2018, kDaegu, 70, Sector::finance},
  {"KEIT",   "한국산업기술평가관리원", "Korea Evaluation Institute of Industrial Technology", Region::daegu, 2018, kDaegu, 25, Sector::research},
  {"CPEC",   "중앙신체검사소", "Central Physical Examination Center (Military Manpower Administration)", Region::daegu, 2018, kDaegu, 4, Sector::government},
  {"NRS",    "중앙119구조본부", "National 119 Rescue Headquarters", Region::daegu, 2018, kDaegu, 6, Sector::government},

  // 광주·전남 (나주 빛가람)
  {"KEPCO",  "한국전력공사", "Korea Electric Power Corporation", Region::jeonnam, 2018, kNaju, 700, Sector::energy},
  {"KDN",    "한전KDN", "KEPCO KDN", Region::jeonnam, 2018, kNaju, 100, Sector::ict},
  {"KPS",    "한전KPS", "KEPCO KPS", Region::jeonnam, 2018, kNaju, 250, Sector::energy},
  {"KPX",    "한국전력거래소", "Korea Power Exchange", Region::jeonnam, 2018, kNaju, 35, Sector::energy},
  {"KRC",    "한국농어촌공사", "Korea Rural Community Corporation", Region::jeonnam, 2018, kNaju, 160, Sector::infra},
  {"AT",     "한국농수산식품유통공사", "Korea Agro-Fisheries & Food Trade Corporation", Region::jeonnam, 2018, kNaju, 40, Sector::general},
  {"KISA",   "한국인터넷진흥원", "Korea Internet & Security Agency", Region::jeonnam, 2018, kNaju, 40, Sector::ict},
  {"KCA",    "한국방송통신전파진흥원", "Korea Communications Agency", Region::jeonnam, 2018, kNaju, 25, Sector::ict},
  {"KOCCA",  "한국콘텐츠진흥원", "Korea Creative Content Agency", Region::jeonnam, 2018, kNaju, 15, Sector::culture},
  {"ARKO",   "한국문화예술위원회", "Arts Council Korea", Region::jeonnam, 2018, kNaju, 8, Sector::culture},
  {"KREI",   "한국농촌경제연구원", "Korea Rural Economic Institute", Region::jeonnam, 2018, kNaju, 15, Sector::research},
  {"TP",     "사립학교교직원연금공단", "Teachers' Pension", Region::jeonnam, 2018, kNaju, 20, Sector::finance},
  {"RRA",    "국립전파연구원", "National Radio Research Agency", Region::jeonnam, 2018, kNaju, 5, Sector::government},
  {"POSTIC", "우정사업정보센터", "Korea Post Information Center", Region::jeonnam, 2018, kNaju, 6, Sector::government},
  {"AFOTI",  "농식품공무원교육원", "Agriculture, Food and Rural Affairs Officials Training Institute", Region::jeonnam, 2018, kNaju, 3, Sector::government},

  // 울산 (우정)
  {"KNOC",   "한국석유공사", "Korea National Oil Corporation", Region::ulsan, 2018, kUlsan, 40, Sector::energy},
  {"EWP",    "한국동서발전", "Korea East-West Power", Region::ulsan, 2018, kUlsan, 130, Sector::energy},
  {"COMWEL", "근로복지공단", "Korea Workers' Compensation and Welfare Service", Region::ulsan, 2018, kUlsan, 250, Sector::welfare},
  {"HRDK",   "한국산업인력공단", "Human Resources Development Service of Korea", Region::ulsan, 2018, kUlsan, 90, Sector::welfare},
  {"KOSHA",  "한국산업안전보건공단", "Korea Occupational Safety and Health Agency", Region::ulsan, 2018, kUlsan, 120, Sector::welfare},
  {"KEA",    "한국에너지공단", "Korea Energy Agency", Region::ulsan, 2018, kUlsan, 40, Sector::energy},
  {"KEEI",   "에너지경제연구원", "Korea Energy Economics Institute", Region::ulsan, 2018, kUlsan, 12, Sector::research},
  {"NDMI",   "국립재난안전연구원", "National Disaster Management Research Institute", Region::ulsan, 2018, kUlsan, 4, Sector::government},

  // 강원 (원주)
  {"KORES",  "한국광물자원공사", "Korea Resources Corporation", Region::gangwon, 2018, kWonju, 10, Sector::energy},
  {"KOCOAL", "대한석탄공사", "Korea Coal Corporation", Region::gangwon, 2018, kWonju, 10, Sector::energy},
  {"NHIS",   "국민건강보험공단", "National Health Insurance Service", Region::gangwon, 2018, kWonju, 450, Sector::welfare},
  {"HIRA",   "건강보험심사평가원", "Health Insurance Review & Assessment Service", Region::gangwon, 2018, kWonju, 160, Sector::health},
  {"KTO",    "한국관광공사", "Korea Tourism Organization", Region::gangwon, 2018, kWonju, 30, Sector::culture},
  {"KOROAD", "도로교통공단", "Korea Road Traffic Authority", Region::gangwon, 2018, kWonju, 50, Sector::infra},
  {"KRCS",   "대한적십자사", "Korean Red Cross", Region::gangwon, 2018, kWonju, 90, Sector::health},
  {"KNPS",   "국립공원관리공단", "Korea National Park Service", Region::gangwon, 2018, kWonju, 70, Sector::general},
  {"VHS",    "한국보훈복지의료공단", "Korea Veterans Health Service", Region::gangwon, 2018, kWonju, 180, Sector::health},
  {"MIRECO", "한국광해관리공단", "Mine Reclamation Corporation", Region::gangwon, 2018, kWonju, 12, Sector::energy},
  {"KRILA",  "한국지방행정연구원", "Korea Research Institute for Local Administration", Region::gangwon, 2018, kWonju, 8, Sector::research},
  {"NFS",    "국립과학수사연구원", "National Forensic Service", Region::gangwon, 2018, kWonju, 10, Sector::government},

  // 충북 (진천·음성)
  {"KGS",    "한국가스안전공사", "Korea Gas Safety Corporation", Region::chungbuk, 2018, kChungbuk, 60, Sector::energy},
  {"KCON",   "한국소비자원", "Korea Consumer Agency", Region::chungbuk, 2018, kChungbuk, 15, Sector::general},
  {"KEIS",   "한국고용정보원", "Korea Employment Information Service", Region::chungbuk, 2018, kChungbuk, 15, Sector::ict},
  {"KEDI",   "한국교육개발원", "Korean Educational Development Institute", Region::chungbuk, 2018, kChungbuk, 20, Sector::research},
  {"KICE",   "한국교육과정평가원", "Korea Institute for Curriculum and Evaluation", Region::chungbuk, 2018, kChungbuk, 15, Sector::research},
  {"NIPA",   "정보통신산업진흥원", "National IT Industry Promotion Agency", Region::chungbuk, 2018, kChungbuk, 15, Sector::ict},
  {"KISDI",  "정보통신정책연구원", "Korea Information Society Development Institute", Region::chungbuk, 2018, kChungbuk, 12, Sector::research},
  {"LTI",    "법무연수원", "Institute of Justice", Region::chungbuk, 2018, kChungbuk, 3, Sector::government},
  {"KATS",   "국가기술표준원", "Korean Agency for Technology and Standards", Region::chungbuk, 2018, kChungbuk, 6, Sector::government},
  {"NHI",    "국가공무원인재개발원", "National Human Resources Development Institute", Region::chungbuk, 2018, kChungbuk, 3, Sector::government},

  // 전북 (전주·완주)
  {"NPS",    "국민연금공단", "National Pension Service", Region::jeonbuk, 2018, kJeonbuk, 200, Sector::finance},
  {"LX",     "한국국토정보공사", "Korea Land and Geospatial Informatix Corporation", Region::jeonbuk, 2018, kJeonbuk, 160, Sector::infra},
  {"KESCO",  "한국전기안전공사", "Korea Electrical Safety Corporation", Region::jeonbuk, 2018, kJeonbuk, 100, Sector::energy},
  {"KPIPA",  "한국출판문화산업진흥원", "Korea Publication Industry Promotion Agency", Region::jeonbuk, 2018, kJeonbuk, 5, Sector::culture},
  {"KFRI",   "한국식품연구원", "Korea Food Research Institute", Region::jeonbuk, 2018, kJeonbuk, 15, Sector::research},
  {"RDA",    "농촌진흥청", "Rural Development Administration", Region::jeonbuk, 2018, kJeonbuk, 25, Sector::government},
  {"NAS",    "국립농업과학원", "National Institute of Agricultural Sciences", Region::jeonbuk, 2018, kJeonbuk, 10, Sector::government},
  {"NICS",   "국립식량과학원", "National Institute of Crop Science", Region::jeonbuk, 2018, kJeonbuk, 8, Sector::government},
  {"KNUA",   "한국농수산대학", "Korea National College of Agriculture and Fisheries", Region::jeonbuk, 2018, kJeonbuk, 5, Sector::government},
  {"LOGODI", "지방자치인재개발원", "Local Government Officials Development Institute", Region::jeonbuk, 2018, kJeonbuk, 3, Sector::government},

  // 경북 (김천)
  {"EX",     "한국도로공사", "Korea Expressway Corporation", Region::gyeongbuk, 2018, kGimcheon, 200, Sector::infra},
  {"KEPCOENC", "한국전력기술", "KEPCO Engineering & Construction", Region::gyeongbuk, 2018, kGimcheon, 90, Sector::energy},
  {"KLAC",   "대한법률구조공단", "Korea Legal Aid Corporation", Region::gyeongbuk, 2018, kGimcheon, 40, Sector::general},
  {"TS",     "한국교통안전공단", "Korea Transportation Safety Authority", Region::gyeongbuk, 2018, kGimcheon, 90, Sector::infra},
  {"KCMC",   "한국건설관리공사", "Korea Construction Management Corporation", Region::gyeongbuk, 2018, kGimcheon, 15, Sector::infra},
  {"APQA",   "농림축산검역본부", "Animal and Plant Quarantine Agency", Region::gyeongbuk, 2018, kGimcheon, 25, Sector::government},
  {"KSVS",   "국립종자원", "Korea Seed & Variety Service", Region::gyeongbuk, 2018, kGimcheon, 6, Sector::government},
  {"PPSQ",   "조달청 품질관리단", "Public Procurement Service Quality Management Office", Region::gyeongbuk, 2018, kGimcheon, 3, Sector::government},

  // 경남 (진주)
  {"LH",     "한국토지주택공사", "Korea Land & Housing Corporation", Region::gyeongnam, 2018, kJinju, 300, Sector::infra},
  {"KOEN",   "한국남동발전", "Korea South-East Power", Region::gyeongnam, 2018, kJinju, 130, Sector::energy},
  {"KISTEC", "한국시설안전공단", "Korea Infrastructure Safety & Technology Corporation", Region::gyeongnam, 2018, kJinju, 25, Sector::infra},
  {"KOELSA", "한국승강기안전공단", "Korea Elevator Safety Agency", Region::gyeongnam, 2018, kJinju, 60, Sector::infra},
  {"KICET",  "한국세라믹기술원", "Korea Institute of Ceramic Engineering and Technology", Region::gyeongnam, 2018, kJinju, 10, Sector::research},
  {"KOHOM",  "주택관리공단", "Korea Housing Management", Region::gyeongnam, 2018, kJinju, 50, Sector::infra},
  {"KCC",    "한국저작권위원회", "Korea Copyright Commission", Region::gyeongnam, 2018, kJinju, 10, Sector::culture},
  {"KTL",    "한국산업기술시험원", "Korea Testing Laboratory", Region::gyeongnam, 2018, kJinju, 40, Sector::research},
  {"DTAQ",   "국방기술품질원", "Defense Agency for Technology and Quality", Region::gyeongnam, 2018, kJinju, 30, Sector::research},
  {"CCSL",   "중앙관세분석소", "Central Customs Service Laboratory", Region::gyeongnam, 2018, kJinju, 3, Sector::government},

  // 제주 (서귀포)
  {"GEPS",   "공무원연금공단", "Government Employees Pension Service", Region::jeju, 2018, kJeju, 25, Sector::finance},
  {"KF",     "한국국제교류재단", "Korea Foundation", Region::jeju, 2018, kJeju, 10, Sector::culture},
  {"OKF",    "재외동포재단", "Overseas Koreans Foundation", Region::jeju, 2018, kJeju, 6, Sector::culture},
  {"HRDI",   "국토교통인재개발원", "MOLIT Human Resources Development Institute", Region::jeju, 2018, kJeju, 3, Sector::government},
  {"NIMS",   "국립기상과학원", "National Institute of Meteorological Sciences", Region::jeju, 2018, kJeju, 8, Sector::government},
  {"NTSTI",  "국세공무원교육원", "National Tax Service Officials Training Institute", Region::jeju, 2018, kJeju, 3, Sector::government},

  // 개별이전 (individually relocated, outside the ten cities)
  {"KHNP",   "한국수력원자력", "Korea Hydro & Nuclear Power", Region::gyeongbuk, 2018, "경북 경주(개별이전)", 400, Sector::energy},
  {"KORAD",  "한국원자력환경공단", "Korea Radioactive Waste Agency", Region::gyeongbuk, 2018, "경북 경주(개별이전)", 20, Sector::energy},
  {"KOWEPO", "한국서부발전", "Korea Western Power", Region::chungnam, 2018, "충남 태안(개별이전)", 130, Sector::energy},
  {"KOMIPO", "한국중부발전", "Korea Midland Power", Region::chungnam, 2018, "충남 보령(개별이전)", 130, Sector::energy},
  {"KHIDI",  "한국보건산업진흥원", "Korea Health Industry Development Institute", Region::chungbuk, 2018, "충북 청주 오송(개별이전)", 25, Sector::health},
  {"KOHI",   "한국보건복지인력개발원", "Korea Health and Welfare Human Resources Development Institute", Region::chungbuk, 2018, "충북 청주 오송(개별이전)", 10, Sector::welfare},

  // 대전: existing agencies brought under the quota by the 2020 amendment (cohort 2020)
  {"KORAIL", "한국철도공사", "Korea Railroad Corporation", Region::daejeon, 2020, "대전", 800, Sector::infra},
  {"KWATER", "한국수자원공사", "Korea Water Resources Corporation", Region::daejeon, 2020, "대전", 250, Sector::infra},
  {"KOMSCO", "한국조폐공사", "Korea Minting and Security Printing Corporation", Region::daejeon, 2020, "대전", 40, Sector::general},
  {"KR",     "국가철도공단", "Korea National Railway", Region::daejeon, 2020, "대전", 100, Sector::infra},
  {"KOGASTECH", "한국가스기술공사", "KOGAS-Tech", Region::daejeon, 2020, "대전", 80, Sector::energy},
  {"SEMAS",  "소상공인시장진흥공단", "Small Enterprise and Market Service", Region::daejeon, 2020, "대전", 60, Sector::general},
};
// clang-format on

}  // namespace

const std::vector<AgencyInfo>& relocated_agencies() {
  static const std::vector<AgencyInfo> table = [] {
    std::vector<AgencyInfo> out;
    out.reserve(std::size(kRows));
    for (const Row& r : kRows)
      out.push_back(AgencyInfo{r.code, r.name_ko, r.name_en, r.region, r.designated, r.city_ko});
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
