// libFuzzer harness: merge_case_csv() over the Busan header (examples/csv/recruitment.json).
// The input is split at the first two 0x00 bytes into the applicants, education and scores
// files. Invariants: an error is `bad_csv` with a `FILE:LINE:COLUMN` path (or a units path)
// and a message; a merged case passes validate() or fails it with a code (never throws), and
// decides without throwing.
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
    return 0;
  }
  if (auto v = passline::validate(*merged); !v.ok() && v.error().code.name().empty())
    violated("empty validate code");
  auto d = passline::decide(*merged, passline::bundled_rules());
  if (d.ok()) (void)passline::decision_to_json(*merged, *d);
  return 0;
}
