// CSV exports of HR systems → applicants of a case (case_csv.h).
#include "passline/case_csv.h"

#include <string_view>
#include <unordered_map>

#include "detail/case_csv_common.h"
#include "detail/utf8.h"

namespace passline {
namespace {

// The quota-case/1 merge names a place by its physical line and byte column.
using Row = detail::CsvRow;

class CsvReader {
 public:
  explicit CsvReader(const CsvFile& f) : file_(f), reader_(f.text) {}

  // Reads the next record into `row`. Returns false at the end; an error through `err`.
  bool next(Row& row, std::optional<Error>& err) {
    std::optional<detail::CsvProblem> problem;
    if (reader_.next(row, problem)) return true;
    if (problem) err = fail(problem->line, problem->column, problem->message);
    return false;
  }

  Error fail(std::size_t line, std::size_t column, const std::string& message) const {
    return make_error("bad_csv",
                      file_.name + ":" + std::to_string(line) + ":" + std::to_string(column),
                      message);
  }

 private:
  const CsvFile& file_;
  detail::CsvReader reader_;
};

}  // namespace

namespace detail {
namespace {

template <class T>
struct Named {
  std::string_view name;
  T value;
};

template <class T, std::size_t N>
std::optional<T> named(std::string_view s, const Named<T> (&korean)[N]) {
  for (const auto& k : korean)
    if (k.name == s) return k.value;
  return std::nullopt;
}

}  // namespace

std::optional<Region> korean_region(std::string_view s) {
  static constexpr Named<Region> kKorean[] = {
      {"서울", Region::seoul},
      {"부산", Region::busan},
      {"대구", Region::daegu},
      {"인천", Region::incheon},
      {"광주", Region::gwangju},
      {"대전", Region::daejeon},
      {"울산", Region::ulsan},
      {"세종", Region::sejong},
      {"경기", Region::gyeonggi},
      {"강원", Region::gangwon},
      {"충북", Region::chungbuk},
      {"충남", Region::chungnam},
      {"전북", Region::jeonbuk},
      {"전남", Region::jeonnam},
      {"경북", Region::gyeongbuk},
      {"경남", Region::gyeongnam},
      {"제주", Region::jeju},
      {"서울특별시", Region::seoul},
      {"부산광역시", Region::busan},
      {"대구광역시", Region::daegu},
      {"인천광역시", Region::incheon},
      {"광주광역시", Region::gwangju},
      {"대전광역시", Region::daejeon},
      {"울산광역시", Region::ulsan},
      {"세종특별자치시", Region::sejong},
      {"경기도", Region::gyeonggi},
      {"강원도", Region::gangwon},
      {"충청북도", Region::chungbuk},
      {"충청남도", Region::chungnam},
      {"전라북도", Region::jeonbuk},
      {"전라남도", Region::jeonnam},
      {"경상북도", Region::gyeongbuk},
      {"경상남도", Region::gyeongnam},
      {"제주특별자치도", Region::jeju},
  };
  return named(s, kKorean);
}

std::optional<EducationLevel> korean_level(std::string_view s) {
  static constexpr Named<EducationLevel> kKorean[] = {
      {"고등학교", EducationLevel::high_school}, {"고졸", EducationLevel::high_school},
      {"전문대학", EducationLevel::college},     {"전문대", EducationLevel::college},
      {"대학교", EducationLevel::university},    {"대학", EducationLevel::university},
      {"대학원", EducationLevel::graduate},
  };
  return named(s, kKorean);
}

std::optional<EducationStatus> korean_status(std::string_view s) {
  static constexpr Named<EducationStatus> kKorean[] = {
      {"졸업", EducationStatus::graduated},
      {"졸업예정", EducationStatus::expected},
      {"재학", EducationStatus::enrolled},
      {"중퇴", EducationStatus::dropped},
  };
  return named(s, kKorean);
}

std::optional<bool> csv_flag(std::string_view s) {
  if (s.empty() || s == "0" || s == "N" || s == "n" || s == "false") return false;
  if (s == "1" || s == "Y" || s == "y" || s == "true") return true;
  return std::nullopt;
}

}  // namespace detail

namespace {

// The case file's code, or else its Korean name.
std::optional<Region> region_from(std::string_view s) {
  if (auto code = parse_region_v1(s)) return code;
  return detail::korean_region(s);
}

std::optional<EducationLevel> level_from(std::string_view s) {
  if (auto code = parse_education_level(s)) return code;
  return detail::korean_level(s);
}

std::optional<EducationStatus> status_from(std::string_view s) {
  if (auto code = parse_education_status(s)) return code;
  return detail::korean_status(s);
}

std::optional<bool> flag_from(std::string_view s) { return detail::csv_flag(s); }

// Checks the header row: the required columns first, in order; returns extra column names.
Status check_header(CsvReader& r, const CsvFile& f, const std::vector<std::string_view>& want,
                    Row& row, bool extras_allowed) {
  std::optional<Error> err;
  if (!r.next(row, err)) {
    if (err) return *err;
    return make_error("bad_csv", f.name + ":1:1", "the file is empty: expected the header row");
  }
  std::string expected;
  for (auto w : want) expected += (expected.empty() ? "" : ",") + std::string(w);
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (i >= row.fields.size() || row.fields[i].text != want[i])
      return r.fail(1, i < row.fields.size() ? row.fields[i].column : 1,
                    "the header must start with " + expected +
                        (extras_allowed ? " (then attr.NAME columns)" : ""));
  }
  if (!extras_allowed && row.fields.size() != want.size())
    return r.fail(1, row.fields[want.size()].column,
                  "unexpected column: the header is exactly " + expected);
  return Status::ok_status();
}

// The quota-case/1 merge, exactly as it has always read: the first bad row stops it.
Result<Case> merge_case_csv_v1(Case c, const CsvFiles& files) {
  for (const CsvFile* f : {&files.applicants, &files.education, &files.scores}) {
    if (!detail::well_formed_utf8(f->text))
      return make_error("bad_csv", f->name + ":1:1", "the file is not UTF-8: export it as UTF-8");
  }
  std::unordered_map<std::string, std::size_t> unit_index;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    if (!c.units[u].applicants.empty())
      return make_error("bad_csv", "units[" + std::to_string(u) + "].applicants",
                        "the recruitment file must list no applicants when they come from CSV");
    unit_index[c.units[u].id] = u;
  }
  // (unit, applicant id) → applicant index.
  std::vector<std::unordered_map<std::string, std::size_t>> applicant_index(c.units.size());

  auto find_unit = [&](CsvReader& r, const Row& row) -> Result<std::size_t> {
    auto it = unit_index.find(row.fields[0].text);
    if (it == unit_index.end())
      return r.fail(row.line, row.fields[0].column,
                    "no unit '" + row.fields[0].text + "' in the recruitment file");
    return it->second;
  };
  auto find_applicant = [&](CsvReader& r, const Row& row, std::size_t u) -> Result<Applicant*> {
    auto it = applicant_index[u].find(row.fields[1].text);
    if (it == applicant_index[u].end())
      return r.fail(row.line, row.fields[1].column,
                    "no applicant '" + row.fields[1].text + "' in unit '" + c.units[u].id +
                        "' of " + files.applicants.name);
    return &c.units[u].applicants[it->second];
  };
  auto width = [](CsvReader& r, const Row& row, std::size_t n) -> Status {
    if (row.fields.size() == n) return Status::ok_status();
    return r.fail(row.line, row.fields.back().column,
                  "this row has " + std::to_string(row.fields.size()) + " fields; the header has " +
                      std::to_string(n));
  };

  {  // applicants.csv
    CsvReader r(files.applicants);
    Row row;
    if (auto ok = check_header(r, files.applicants, {"unit", "applicant"}, row, true); !ok)
      return ok.error();
    std::vector<std::string> attrs;
    for (std::size_t i = 2; i < row.fields.size(); ++i) {
      if (!row.fields[i].text.starts_with("attr.") || row.fields[i].text.size() == 5)
        return r.fail(1, row.fields[i].column, "extra columns are attributes named attr.NAME");
      attrs.push_back(row.fields[i].text.substr(5));
    }
    const std::size_t n = 2 + attrs.size();
    std::optional<Error> err;
    while (r.next(row, err)) {
      if (auto ok = width(r, row, n); !ok) return ok.error();
      auto u = find_unit(r, row);
      if (!u) return u.error();
      if (row.fields[1].text.empty())
        return r.fail(row.line, row.fields[1].column, "the applicant id is empty");
      Unit& unit = c.units[*u];
      if (!applicant_index[*u].emplace(row.fields[1].text, unit.applicants.size()).second)
        return r.fail(row.line, row.fields[1].column,
                      "applicant '" + row.fields[1].text + "' is listed twice in unit '" + unit.id +
                          "'");
      Applicant& a = unit.applicants.emplace_back();
      a.id = row.fields[1].text;
      a.scores.resize(unit.stages.size());
      for (std::size_t i = 0; i < attrs.size(); ++i)
        if (!row.fields[2 + i].text.empty())
          a.attributes.emplace_back(attrs[i], row.fields[2 + i].text);
    }
    if (err) return *err;
  }
  {  // education.csv
    CsvReader r(files.education);
    Row row;
    if (auto ok = check_header(r, files.education,
                               {"unit", "applicant", "level", "region", "status"}, row, false);
        !ok)
      return ok.error();
    std::optional<Error> err;
    while (r.next(row, err)) {
      if (auto ok = width(r, row, 5); !ok) return ok.error();
      auto u = find_unit(r, row);
      if (!u) return u.error();
      auto a = find_applicant(r, row, *u);
      if (!a) return a.error();
      EducationRecord rec;
      auto level = level_from(row.fields[2].text);
      if (!level)
        return r.fail(row.line, row.fields[2].column,
                      "level '" + row.fields[2].text +
                          "' is not high_school, college, university or graduate (고등학교, "
                          "전문대학, 대학교, 대학원)");
      auto region = region_from(row.fields[3].text);
      if (!region)
        return r.fail(row.line, row.fields[3].column,
                      "region '" + row.fields[3].text +
                          "' is not a region code (busan) or name (부산)");
      auto status = status_from(row.fields[4].text);
      if (!status)
        return r.fail(
            row.line, row.fields[4].column,
            "status '" + row.fields[4].text +
                "' is not graduated, expected, enrolled or dropped (졸업, 졸업예정, 재학, 중퇴)");
      rec.level = *level;
      rec.region = *region;
      rec.status = *status;
      (*a)->education.push_back(rec);
    }
    if (err) return *err;
  }
  {  // scores.csv
    CsvReader r(files.scores);
    Row row;
    if (auto ok = check_header(r, files.scores,
                               {"unit", "applicant", "stage", "score", "disqualified"}, row, false);
        !ok)
      return ok.error();
    // (unit, applicant, stage) seen, to refuse a second score.
    std::vector<std::vector<std::uint64_t>> seen(c.units.size());
    for (std::size_t u = 0; u < c.units.size(); ++u)
      seen[u].assign(c.units[u].applicants.size(), 0);
    std::optional<Error> err;
    while (r.next(row, err)) {
      if (auto ok = width(r, row, 5); !ok) return ok.error();
      auto u = find_unit(r, row);
      if (!u) return u.error();
      auto a = find_applicant(r, row, *u);
      if (!a) return a.error();
      const Unit& unit = c.units[*u];
      std::size_t s = 0;
      while (s < unit.stages.size() && unit.stages[s].name != row.fields[2].text) ++s;
      if (s == unit.stages.size())
        return r.fail(row.line, row.fields[2].column,
                      "no stage '" + row.fields[2].text + "' in unit '" + unit.id + "'");
      const std::size_t ai = static_cast<std::size_t>(*a - unit.applicants.data());
      if (seen[*u][ai] >> s & 1u)
        return r.fail(row.line, row.fields[2].column,
                      "a second row for applicant '" + (*a)->id + "' at stage '" +
                          unit.stages[s].name + "'");
      seen[*u][ai] |= std::uint64_t{1} << s;
      if (!row.fields[3].text.empty()) {
        auto d = Decimal::parse(row.fields[3].text);
        if (!d)
          return r.fail(row.line, row.fields[3].column,
                        "score '" + row.fields[3].text +
                            "' is not a decimal: digits with an optional point and at most 6 "
                            "fraction digits (80.5), or empty for no score");
        (*a)->scores[s] = *d;
      }
      auto dq = flag_from(row.fields[4].text);
      if (!dq)
        return r.fail(row.line, row.fields[4].column,
                      "disqualified '" + row.fields[4].text +
                          "' is not 1/0, Y/N, true/false or empty");
      if (*dq) (*a)->disqualified |= std::uint64_t{1} << s;
    }
    if (err) return *err;
  }
  return c;
}

}  // namespace

CsvMerge merge_case_csv_all(Case header, const CsvFiles& files) {
  if (header.spec == Spec::v2) return detail::merge_case_csv_v2(std::move(header), files);
  CsvMerge out;
  auto merged = merge_case_csv_v1(std::move(header), files);
  if (merged) {
    out.merged = std::move(merged).value();
  } else {
    out.errors.push_back(std::move(merged).error());
    out.error_count = 1;
  }
  return out;
}

Result<Case> merge_case_csv(Case header, const CsvFiles& files) {
  CsvMerge m = merge_case_csv_all(std::move(header), files);
  if (!m.errors.empty()) return std::move(m.errors.front());
  return std::move(*m.merged);
}

}  // namespace passline
