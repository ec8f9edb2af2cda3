// CSV exports of HR systems merged into a recruitment (case_csv.h): the example files, Korean
// codes, RFC 4180 quoting, and a bad row reported with its file, line and column; and through
// the real `passline import-csv`, nothing of a bad file stored.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "passline/case_csv.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
using passline::CsvFiles;
using passline::merge_case_csv;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

const fs::path kSource = PASSLINE_SOURCE_DIR;
const fs::path kExamples = kSource / "examples/csv";

passline::Case header() {
  auto c = passline::parse_case_json(slurp(kExamples / "recruitment.json"));
  REQUIRE(c.ok());
  return std::move(c).value();
}

CsvFiles example_files() {
  CsvFiles f;
  f.applicants = {"applicants.csv", slurp(kExamples / "applicants.csv")};
  f.education = {"education.csv", slurp(kExamples / "education.csv")};
  f.scores = {"scores.csv", slurp(kExamples / "scores.csv")};
  return f;
}

// The error of merging `files` with one file's text replaced.
passline::Error error_of(CsvFiles files) {
  auto r = merge_case_csv(header(), files);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "bad_csv");
  return r.error();
}

}  // namespace

TEST_SUITE("case csv") {

TEST_CASE("the example CSV files decide exactly as the Busan case file") {
  auto merged = merge_case_csv(header(), example_files());
  REQUIRE_MESSAGE(merged.ok(), merged.error().path << ": " << merged.error().message);
  auto file = passline::parse_case_json(slurp(kSource / "examples/busan-two-stage.case.json"));
  REQUIRE(file.ok());
  file->recruitment.id = merged->recruitment.id;
  auto a = passline::decide(*merged, passline::bundled_rules());
  auto b = passline::decide(*file, passline::bundled_rules());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(passline::decision_to_json(*merged, *a) == passline::decision_to_json(*file, *b));
}

TEST_CASE("CSV: BOM, CRLF, quoted fields, Korean codes and attributes") {
  auto c = header();
  CsvFiles f;
  f.applicants = {
      "a.csv",
      "\xEF\xBB\xBFunit,applicant,attr.veteran\r\noffice-6,\"X,1\",yes\r\noffice-6,X2,\r\n"};
  f.education = {"e.csv",
                 "unit,applicant,level,region,status\noffice-6,\"X,1\",대학교,부산광역시,졸업\n"
                 "office-6,X2,university,seoul,graduated\n"};
  f.scores = {"s.csv",
              "unit,applicant,stage,score,disqualified\noffice-6,\"X,1\",written,88.5,\n"
              "office-6,X2,written,,Y\n"};
  auto m = merge_case_csv(c, f);
  REQUIRE_MESSAGE(m.ok(), m.error().path << ": " << m.error().message);
  const auto& apps = m->units[0].applicants;
  REQUIRE(apps.size() == 2);
  CHECK(apps[0].id == "X,1");
  CHECK(apps[0].education[0].region == passline::Region::busan);
  CHECK(apps[0].education[0].level == passline::EducationLevel::university);
  CHECK(apps[0].scores[0] == passline::Decimal::parse("88.5"));
  CHECK(apps[0].attributes == std::vector<std::pair<std::string, std::string>>{{"veteran", "yes"}});
  CHECK(apps[1].attributes.empty());
  CHECK_FALSE(apps[1].scores[0].has_value());
  CHECK(apps[1].disqualified == 1);
}

TEST_CASE("CSV: a bad row is named by file, line and column") {
  SUBCASE("a decimal with a sign") {
    auto f = example_files();
    const std::size_t lines = std::count(f.scores.text.begin(), f.scores.text.end(), '\n');
    f.applicants.text += "office-6,NEW-1\r\n";
    f.scores.text += "office-6,NEW-1,written,-5,\r\n";
    const auto e = error_of(f);
    CHECK(e.path == "scores.csv:" + std::to_string(lines + 1) + ":24");
    CHECK(e.message.find("'-5' is not a decimal") != std::string::npos);
  }
  SUBCASE("an unknown region") {
    auto f = example_files();
    f.education.text =
        "unit,applicant,level,region,status\noffice-6,KAMCO-2023-001,university,mars,graduated\n";
    const auto e = error_of(f);
    CHECK(e.path == "education.csv:2:36");
    CHECK(e.message.find("region 'mars'") != std::string::npos);
  }
  SUBCASE("an applicant missing from applicants.csv") {
    auto f = example_files();
    f.education.text += "office-6,GHOST,university,busan,graduated\r\n";
    const auto e = error_of(f);
    CHECK(e.path.find(":10") != std::string::npos);  // the applicant column
    CHECK(e.message.find("no applicant 'GHOST'") != std::string::npos);
  }
  SUBCASE("a duplicated applicant") {
    auto f = example_files();
    f.applicants.text += "office-6,KAMCO-2023-001\r\n";
    const auto e = error_of(f);
    CHECK(e.path.rfind("applicants.csv:", 0) == 0);
    CHECK(e.message.find("listed twice") != std::string::npos);
  }
  SUBCASE("a wrong header") {
    auto f = example_files();
    f.scores.text = "unit,applicant,stage,points,disqualified\n";
    const auto e = error_of(f);
    CHECK(e.path == "scores.csv:1:22");
  }
  SUBCASE("a row of the wrong width") {
    auto f = example_files();
    f.education.text += "office-6,KAMCO-2023-001,university\n";
    CHECK(error_of(f).message.find("has 3 fields") != std::string::npos);
  }
  SUBCASE("an unclosed quote") {
    auto f = example_files();
    f.applicants.text += "office-6,\"KAMCO-9\n";
    CHECK(error_of(f).message.find("not closed") != std::string::npos);
  }
  SUBCASE("not UTF-8") {
    auto f = example_files();
    f.applicants.text += "office-6,\xB1\xE8\n";  // EUC-KR
    const auto e = error_of(f);
    CHECK(e.path == "applicants.csv:1:1");
    CHECK(e.message.find("UTF-8") != std::string::npos);
  }
}

TEST_CASE("passline import-csv stores the recruitment, or nothing when a row is bad") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "csv.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);
  const fs::path bad = d.path / "scores.csv";
  spit(bad, slurp(kExamples / "scores.csv") + "office-6,KAMCO-2023-002,interview,1e2,\r\n");
  Run refused =
      run_cli({"import-csv", (kExamples / "recruitment.json").string(), "--applicants",
               (kExamples / "applicants.csv").string(), "--education",
               (kExamples / "education.csv").string(), "--scores", bad.string(), "--db", db});
  CHECK(refused.exit == 2);
  CHECK(refused.err.find("scores.csv:") != std::string::npos);
  CHECK(refused.err.find("bad_csv") != std::string::npos);
  Run none = run_cli({"recruitments", "--db", db});
  CHECK(none.out_lines().size() == 1);  // the header line only

  Run ok = run_cli({"import-csv", (kExamples / "recruitment.json").string(), "--applicants",
                    (kExamples / "applicants.csv").string(), "--education",
                    (kExamples / "education.csv").string(), "--scores",
                    (kExamples / "scores.csv").string(), "--db", db});
  REQUIRE_MESSAGE(ok.exit == 0, ok.err);
  CHECK(ok.out.find("32 applicants") != std::string::npos);
  Run decided = run_cli({"decide", "--recruitment", "KAMCO-2023-H1-CSV", "--db", db});
  CHECK_MESSAGE(decided.exit == 0, decided.err);
  CHECK(decided.out.find("8 hires, 2 in kr-innovation-city") != std::string::npos);
}

}  // TEST_SUITE
