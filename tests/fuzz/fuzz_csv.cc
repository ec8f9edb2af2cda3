// libFuzzer harness: merge_case_csv() over the Busan header (examples/csv/recruitment.json),
// and merge_case_csv_all() over a quota-case/2 header like examples/csv-v2/recruitment.json.
// The input is split at the first two 0x00 bytes into the applicants, education and scores
// files (for quota-case/1 below fixed header rows, for quota-case/2 as they are). Invariants: a
// quota-case/1 error is `bad_csv` with a `FILE:LINE:COLUMN` path (or a units path) and a message; a
// quota-case/2 merge lists at most kMaxCsvErrors errors, each with a `FILE:ROW:COLUMN` path and a
// message, counts at least as many, and merges a case exactly when it found none; a merged case
// passes validate() or fails it with a code (never throws), and decides without throwing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "passline/case_csv.h"
#include "passline/decision.h"
#include "passline/json.h"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_csv: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

const passline::Case& header() {
  static const passline::Case c = [] {
    const char* json = R"({"format": "quota-case/1",
      "agency": {"code": "AG-KAMCO", "region": "busan", "designated": 2018},
      "recruitment": {"id": "FUZZ", "announced": "2023-03-06"},
      "programs": ["kr-innovation-city"],
      "units": [{"id": "office-6", "field": "office", "planned": 6, "applicants": [],
        "stages": [{"name": "written", "planned": 15, "threshold": {"min_score": "60"}},
                   {"name": "interview", "planned": 6, "threshold": {"min_score": "70", "below_cut": "10"}}]}]})";
    auto parsed = passline::parse_case_json(json);
    if (!parsed.ok()) violated("the harness's header does not parse", parsed.error().message);
    return std::move(parsed).value();
  }();
  return c;
}

const passline::Case& header_v2() {
  static const passline::Case c = [] {
    const char* json = R"({"format": "quota-case/2",
      "agency": {"code": "KHNP", "region": "gyeongbuk", "public_institution": true,
        "innovation_city": {"cohort": 2018, "since": "2018-01-25", "joint_city": false}},
      "recruitment": {"id": "FUZZ", "announced": "2024-09-02"}, "programs": [],
      "units": [{"id": "office-5", "field": "office", "planned": 5, "applicants": [],
        "stages": [{"name": "written", "planned": 12, "threshold": {"min_score": "60"}},
                   {"name": "interview", "planned": 5, "threshold": {"min_score": "70", "below_cut": "10"}}]}]})";
    auto parsed = passline::parse_case_json(json);
    if (!parsed.ok()) violated("the harness's v2 header does not parse", parsed.error().message);
    return std::move(parsed).value();
  }();
  return c;
}

void check_merged(const passline::Case& merged) {
  if (auto v = passline::validate(merged); !v.ok() && v.error().code.name().empty())
    violated("empty validate code");
  auto d = passline::decide(merged, passline::bundled_rules());
  if (d.ok()) (void)passline::decision_to_json(merged, *d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto a = in.find('\0');
  const auto b = a == std::string::npos ? std::string::npos : in.find('\0', a + 1);
  passline::CsvFiles files;
  files.applicants = {"a.csv", "unit,applicant\n" + in.substr(0, a)};
  files.education = {"e.csv", a == std::string::npos
                                  ? ""
                                  : in.substr(a + 1, b == std::string::npos ? std::string::npos
                                                                            : b - a - 1)};
  files.scores = {"s.csv", b == std::string::npos ? "" : in.substr(b + 1)};
  if (files.education.text.empty()) files.education.text = "unit,applicant,level,region,status\n";
  if (files.scores.text.empty()) files.scores.text = "unit,applicant,stage,score,disqualified\n";
  auto merged = passline::merge_case_csv(header(), files);
  if (!merged.ok()) {
    const auto& e = merged.error();
    if (e.code != "bad_csv" || e.path.empty() || e.message.empty())
      violated("a CSV error without code, path or message", e.code + " " + e.path);
  } else {
    check_merged(*merged);
  }

  // quota-case/2: the three parts as whole files, their header rows included (the seeds' are).
  passline::CsvFiles raw;
  raw.applicants = {"a.csv", in.substr(0, a)};
  raw.education = {"e.csv",
                   a == std::string::npos
                       ? ""
                       : in.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1)};
  raw.scores = {"s.csv", b == std::string::npos ? "" : in.substr(b + 1)};
  passline::CsvMerge all = passline::merge_case_csv_all(header_v2(), raw);
  if (all.errors.size() > passline::kMaxCsvErrors || all.error_count < all.errors.size())
    violated("more errors listed than allowed or counted");
  if (all.merged.has_value() != all.errors.empty())
    violated("a v2 merge with both a case and errors, or neither");
  for (const auto& e : all.errors) {
    if (e.path.empty() || e.message.empty() || e.code.name().empty())
      violated("a v2 CSV error without code, path or message", e.code + " " + e.path);
    const auto colon = e.path.find(':');
    if (e.path.rfind("units[", 0) != 0 &&
        (colon == std::string::npos || e.path.find(':', colon + 1) == std::string::npos))
      violated("a v2 CSV error without FILE:ROW:COLUMN", e.path);
  }
  if (all.merged) check_merged(*all.merged);
  return 0;
}
