// CSV exports of HR systems merged into a recruitment (case_csv.h): the example files, Korean
// codes, RFC 4180 quoting, and a bad row reported with its file, line and column; and through
// the real `passline import-csv`, nothing of a bad file stored. For a quota-case/2 header: every
// conformance-v2 case written as CSV reads back to the same case and decision, every error kind
// at its file, row and column, all of them collected, and the registry's agency at import.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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
  SUBCASE("ill-formed UTF-8: an overlong '/', a surrogate") {
    for (const char* bytes : {"\xC0\xAF", "\xED\xA0\x80"}) {
      CAPTURE(bytes);
      auto f = example_files();
      f.applicants.text += std::string("office-6,KAMCO-") + bytes + "\n";
      const auto e = error_of(f);
      CHECK(e.path == "applicants.csv:1:1");
      CHECK(e.message.find("UTF-8") != std::string::npos);
    }
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

// ---- quota-case/2 ---------------------------------------------------------------------------

namespace {

using nlohmann::json;
using passline::CsvFile;
using passline::CsvMerge;
using passline::merge_case_csv_all;

const fs::path kExamplesV2 = kSource / "examples/csv-v2";
const fs::path kConformanceV2 = PASSLINE_CONFORMANCE_V2_DIR;

passline::Case header_v2(const std::string& text) {
  auto c = passline::parse_case_json(text);
  REQUIRE_MESSAGE(c.ok(), c.error().path << ": " << c.error().message);
  REQUIRE(c->spec == passline::Spec::v2);
  return std::move(c).value();
}

passline::Case header_v2() { return header_v2(slurp(kExamplesV2 / "recruitment.json")); }

CsvFiles example_files_v2() {
  CsvFiles f;
  f.applicants = {"applicants.csv", slurp(kExamplesV2 / "applicants.csv")};
  f.education = {"education.csv", slurp(kExamplesV2 / "education.csv")};
  f.scores = {"scores.csv", slurp(kExamplesV2 / "scores.csv")};
  return f;
}

// One CSV field, quoted when it must be (RFC 4180).
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + field(fields[i]);
  return out + "\r\n";
}

struct CsvOfCase {
  std::string header;  // the case without applicants
  CsvFiles files;
};

// A quota-case/2 document written as the header and the three CSV files of docs/STORAGE.md,
// straight from its JSON (not through the engine's model): one attr.NAME:TYPE column per
// attribute, the type from its JSON values; a scores row for every score given (null: empty)
// and every stage the applicant is disqualified at.
CsvOfCase csv_of(const json& doc) {
  CsvOfCase out;
  json header = doc;
  std::map<std::string, std::string> types;  // attribute → text | bool | int
  for (json& u : header["units"]) {
    for (const json& a : u["applicants"]) {
      if (!a.contains("attributes")) continue;
      for (const auto& [name, v] : a["attributes"].items()) {
        const std::string t = v.is_boolean() ? "bool" : v.is_number_integer() ? "int" : "text";
        auto [it, fresh] = types.emplace(name, t);
        REQUIRE_MESSAGE(it->second == t, "attribute " << name << " has values of two types");
      }
    }
    u["applicants"] = json::array();
  }
  out.header = header.dump(1);
  std::vector<std::string> head = {"unit", "applicant"};
  for (const auto& [name, t] : types) head.push_back("attr." + name + ":" + t);
  std::string applicants = line(head);
  std::string education = line({"unit", "applicant", "level", "region", "status", "kind", "year"});
  std::string scores = line({"unit", "applicant", "stage", "score", "disqualified"});
  for (const json& u : doc["units"]) {
    const std::string unit = u["id"].get<std::string>();
    for (const json& a : u["applicants"]) {
      const std::string id = a["id"].get<std::string>();
      std::vector<std::string> row = {unit, id};
      for (const auto& [name, t] : types) {
        const json* v = a.contains("attributes") && a["attributes"].contains(name)
                            ? &a["attributes"][name]
                            : nullptr;
        row.push_back(!v ? "" : v->is_string() ? v->get<std::string>() : v->dump());
      }
      applicants += line(row);
      for (const json& r : a["education"])
        education += line({unit, id, r["level"].get<std::string>(), r["region"].get<std::string>(),
                           r["status"].get<std::string>(),
                           r.contains("kind") ? r["kind"].get<std::string>() : "",
                           r.contains("year") ? r["year"].dump() : ""});
      std::set<std::string> disqualified;
      if (a.contains("disqualified"))
        for (const json& s : a["disqualified"]) disqualified.insert(s.get<std::string>());
      for (const json& st : u["stages"]) {
        const std::string stage = st["name"].get<std::string>();
        const bool scored = a["scores"].contains(stage);
        if (!scored && !disqualified.contains(stage)) continue;
        const json score = scored ? a["scores"][stage] : json();
        scores += line({unit, id, stage, score.is_string() ? score.get<std::string>() : "",
                        disqualified.contains(stage) ? "true" : ""});
      }
    }
  }
  out.files.applicants = {"applicants.csv", applicants};
  out.files.education = {"education.csv", education};
  out.files.scores = {"scores.csv", scores};
  return out;
}

// The conformance-v2 cases, by name.
std::vector<fs::path> conformance_v2_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kConformanceV2))
    if (e.path().filename().string().ends_with(".case.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The errors of a merge as "CODE PATH" lines.
std::vector<std::string> errors_of(const CsvMerge& m) {
  std::vector<std::string> out;
  for (const auto& e : m.errors) out.push_back(std::string(e.code.name()) + " " + e.path);
  return out;
}

CsvMerge merge_v2(const CsvFiles& f) { return merge_case_csv_all(header_v2(), f); }

// A file of the example replaced by `text` (applicants.csv: the other two then hold their
// header row only, so that no row names an applicant it no longer lists): the errors found.
std::vector<std::string> errors_with(CsvFile CsvFiles::*file, const std::string& text) {
  CsvFiles f = example_files_v2();
  if (file == &CsvFiles::applicants) {
    f.education.text = f.education.text.substr(0, f.education.text.find('\n') + 1);
    f.scores.text = f.scores.text.substr(0, f.scores.text.find('\n') + 1);
  }
  (f.*file).text = text;
  CsvMerge m = merge_v2(f);
  CHECK_FALSE(m.merged.has_value());
  CHECK(m.error_count == m.errors.size());
  for (const auto& e : m.errors) CHECK_MESSAGE(!e.message.empty(), e.path);
  return errors_of(m);
}

std::string message_at(const CsvFiles& f, const std::string& path) {
  for (const auto& e : merge_v2(f).errors)
    if (e.path == path) return e.message;
  return "(no error at " + path + ")";
}

// What a database holds, as the command line prints it.
std::string db_snapshot(const std::string& db) {
  std::string out;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"recruitments", "--db", db},
        std::vector<std::string>{"agency", "list", "--format", "json", "--db", db},
        std::vector<std::string>{"audit", "export", "--db", db}}) {
    Run r = run_cli(args);
    REQUIRE_MESSAGE(r.exit == 0, r.err);
    out += r.out + "\n--\n";
  }
  return out;
}

std::vector<std::string> import_csv_v2(const fs::path& header, const fs::path& applicants,
                                       const fs::path& education, const fs::path& scores,
                                       const std::string& db) {
  return {"import-csv",   header.string(),
          "--applicants", applicants.string(),
          "--education",  education.string(),
          "--scores",     scores.string(),
          "--db",         db};
}

}  // namespace

TEST_SUITE("case csv") {

TEST_CASE("CSV v2: every conformance-v2 case written as CSV reads back to it and decides alike") {
  const auto files = conformance_v2_cases();
  REQUIRE(files.size() >= 25);
  std::size_t decided = 0, refused_alike = 0;
  for (const fs::path& path : files) {
    CAPTURE(path.filename().string());
    const std::string text = slurp(path);
    const CsvOfCase csv = csv_of(json::parse(text));
    auto direct = passline::parse_case_json(text);
    auto header = passline::parse_case_json(csv.header);
    if (!direct.ok() && !header.ok()) {  // the error is in the header's part (23-unknown-key)
      CHECK(header.error().code == direct.error().code);
      CHECK(header.error().path == direct.error().path);
      ++refused_alike;
      continue;
    }
    REQUIRE_MESSAGE(header.ok(), header.error().path << ": " << header.error().message);
    CsvMerge m = merge_case_csv_all(*header, csv.files);
    if (!direct.ok()) {  // an applicant's error (24-bad-id): the same code at its CSV cell
      REQUIRE(m.errors.size() == 1);
      CHECK(m.errors[0].code == direct.error().code);
      const std::string& p = direct.error().path;  // units[U].applicants[A].id
      REQUIRE(p.rfind("units[0].applicants[", 0) == 0);
      const std::size_t a = std::stoul(p.substr(20));
      CHECK(m.errors[0].path == "applicants.csv:" + std::to_string(a + 2) + ":2");
      ++refused_alike;
      continue;
    }
    REQUIRE_MESSAGE(m.merged.has_value(), m.errors[0].path << ": " << m.errors[0].message);
    CHECK(passline::case_to_json(*m.merged) == passline::case_to_json(*direct));
    auto a = passline::decide(*m.merged, passline::bundled_rules());
    auto b = passline::decide(*direct, passline::bundled_rules());
    REQUIRE(a.ok() == b.ok());
    if (a.ok()) {
      CHECK(passline::decision_to_json(*m.merged, *a) == passline::decision_to_json(*direct, *b));
    } else {
      CHECK(a.error().code == b.error().code);
      CHECK(a.error().path == b.error().path);
    }
    ++decided;
  }
  CHECK(decided + refused_alike == files.size());
  CHECK(refused_alike == 2);
}

TEST_CASE("CSV v2: the example CSV files decide exactly as the Gyeongju case file") {
  CsvMerge m = merge_v2(example_files_v2());
  REQUIRE_MESSAGE(m.merged.has_value(), m.errors[0].path << ": " << m.errors[0].message);
  auto file = passline::parse_case_json(slurp(kSource / "examples/gyeongju-v2.case.json"));
  REQUIRE(file.ok());
  file->recruitment.id = m.merged->recruitment.id;
  CHECK(passline::case_to_json(*m.merged) == passline::case_to_json(*file));
  auto a = passline::decide(*m.merged, passline::bundled_rules());
  auto b = passline::decide(*file, passline::bundled_rules());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(passline::decision_to_json(*m.merged, *a) == passline::decision_to_json(*file, *b));
  // What the example shows: kind, year, on_leave and a boolean attribute, read from CSV.
  const auto& apps = m.merged->units[0].applicants;
  REQUIRE(apps.size() == 20);
  CHECK(apps[5].education[0].kind == passline::EducationKind::remote);
  CHECK(apps[4].education[1].year == 2019);
  CHECK(apps[7].education[1].status == passline::EducationStatus::on_leave);
  CHECK(apps[6].attributes ==
        std::vector<std::pair<std::string, std::string>>{{"radwaste_site_resident", "true"}});
  CHECK(apps[18].attributes ==
        std::vector<std::pair<std::string, std::string>>{{"radwaste_site_resident", "false"}});
  CHECK(apps[12].disqualified == 2);  // the interview
}

TEST_CASE("CSV v2: columns by name in any order, optional columns, typed attributes") {
  CsvFiles f;
  f.applicants = {"a.csv",
                  "attr.note:text,applicant,attr.veteran:bool,unit,attr.rank:int\r\n"
                  "\"a, \"\"quoted\"\" note\",X1,Y,office-5,-3\r\n"
                  ",X2,,office-5,007\r\n"
                  "\r\n"};  // a blank line is skipped
  f.education = {"e.csv",
                 "status,region,level,applicant,unit\n"
                 "휴학,전남광주통합특별시,대학교,X1,office-5\n"
                 "graduated,강원특별자치도,college,X2,office-5\n"};
  f.scores = {"s.csv",
              "unit,applicant,stage,score\n"
              "office-5,X1,written,88.5\n"
              "office-5,X2,written,\n"};
  CsvMerge m = merge_case_csv_all(header_v2(), f);
  REQUIRE_MESSAGE(m.merged.has_value(), m.errors[0].path << ": " << m.errors[0].message);
  const auto& apps = m.merged->units[0].applicants;
  REQUIRE(apps.size() == 2);
  using Attributes = std::vector<std::pair<std::string, std::string>>;
  CHECK(apps[0].attributes ==
        Attributes{{"note", "\"a, \\\"quoted\\\" note\""}, {"veteran", "true"}, {"rank", "-3"}});
  CHECK(apps[1].attributes == Attributes{{"rank", "7"}});
  CHECK(apps[0].education[0].status == passline::EducationStatus::on_leave);
  CHECK(apps[0].education[0].region == passline::Region::jeonnam_gwangju);
  CHECK(apps[0].education[0].kind == passline::EducationKind::regular);
  CHECK_FALSE(apps[0].education[0].year.has_value());
  CHECK(apps[1].education[0].region == passline::Region::gangwon);
  CHECK(apps[0].scores[0] == passline::Decimal::parse("88.5"));
  CHECK_FALSE(apps[1].scores[0].has_value());
  CHECK_FALSE(apps[0].scores[1].has_value());  // no interview row: no score
  CHECK(apps[0].disqualified == 0);
}

TEST_CASE("CSV v2: each error kind is named by its file, row and column") {
  using V = std::vector<std::string>;
  const std::string a_head = "unit,applicant,attr.radwaste_site_resident:bool\n";
  const std::string e_head = "unit,applicant,level,region,status,kind,year\n";
  const std::string s_head = "unit,applicant,stage,score,disqualified\n";
  auto A = &CsvFiles::applicants;
  auto E = &CsvFiles::education;
  auto S = &CsvFiles::scores;

  SUBCASE("unknown columns") {
    CHECK(errors_with(E, "unit,applicant,level,region,status,kind,yaer\n") ==
          V{"unknown_key education.csv:1:7"});
    CHECK(errors_with(S, "unit,applicant,stage,score,disqualifed\n") ==
          V{"unknown_key scores.csv:1:5"});
    CHECK(errors_with(A, "unit,applicant,attr.radwaste_site_resident\n") ==
          V{"unknown_key applicants.csv:1:3"});
    CHECK(errors_with(A, "unit,applicant,attr.x:float,name\n") ==
          V{"unknown_key applicants.csv:1:3", "unknown_key applicants.csv:1:4"});
    CsvFiles f = example_files_v2();
    f.education.text = "unit,applicant,level,region,status,kind,yaer\n";
    CHECK(message_at(f, "education.csv:1:7").find("'yaer' is not a column of education.csv") == 0);
    f = example_files_v2();
    f.applicants.text = "unit,applicant,attr.radwaste_site_resident\n";
    CHECK(message_at(f, "applicants.csv:1:3").find("attr.NAME:TYPE") != std::string::npos);
  }
  SUBCASE("missing and repeated columns: the rows are not read") {
    CHECK(errors_with(S, "unit,applicant,stage,disqualified\noffice-5,X,oral,maybe\n") ==
          V{"missing_field scores.csv:1:5"});
    CHECK(errors_with(E, "unit,applicant,level,region,status,level\nx,y,z,w,v,u\n") ==
          V{"bad_csv education.csv:1:6"});
    CHECK(errors_with(A, "unit,applicant,attr.r:bool,attr.r:text\n") ==
          V{"bad_csv applicants.csv:1:4"});
    // applicants.csv unread: its errors only, not one for every row that names an applicant.
    CsvFiles f = example_files_v2();
    f.applicants.text.replace(0, f.applicants.text.find(','), "unt");
    CHECK(errors_of(merge_v2(f)) ==
          V{"unknown_key applicants.csv:1:1", "missing_field applicants.csv:1:4"});
  }
  SUBCASE("a malformed applicant id: the SPEC §6 rule, and no second error for its rows") {
    CHECK(errors_with(A, a_head + "office-5,KHNP/001,\noffice-5,,\noffice-5," +
                             std::string(65, 'x') + ",\noffice-5,\"A\tB\",\n") ==
          V{"bad_id applicants.csv:2:2", "bad_id applicants.csv:3:2", "bad_id applicants.csv:4:2",
            "bad_id applicants.csv:5:2"});
    CsvFiles f;
    f.applicants = {"applicants.csv", a_head + "office-5,KHNP#1,\n"};
    f.education = {"education.csv", e_head + "office-5,KHNP#1,university,busan,graduated,,\n"};
    f.scores = {"scores.csv", s_head + "office-5,KHNP#1,written,80,\n"};
    CHECK(errors_of(merge_v2(f)) == V{"bad_id applicants.csv:2:2"});
    CHECK(message_at(f, "applicants.csv:2:2") ==
          "applicant: the id 'KHNP#1' contains '#' (ids may not contain / ? # %)");
  }
  SUBCASE("a duplicated applicant id") {
    CsvFiles f = example_files_v2();
    f.applicants.text = a_head + "office-5,X1,\noffice-5,X2,\noffice-5,X1,\n";
    f.education.text = e_head;
    f.scores.text = s_head;
    CHECK(errors_of(merge_v2(f)) == V{"duplicate_applicant applicants.csv:4:2"});
    CHECK(message_at(f, "applicants.csv:4:2").find("first at row 2") != std::string::npos);
  }
  SUBCASE("wrong types") {
    CHECK(errors_with(E, e_head + "office-5,KHNP-2024-001,university,seoul,graduated,,2016.5\n") ==
          V{"wrong_type education.csv:2:7"});
    CHECK(errors_with(S, s_head + "office-5,KHNP-2024-001,written,92,maybe\n") ==
          V{"wrong_type scores.csv:2:5"});
    CHECK(errors_with(A, a_head + "office-5,X1,yes\n") == V{"wrong_type applicants.csv:2:3"});
    CHECK(errors_with(A,
                      "unit,applicant,attr.n:int\noffice-5,X1,1.5\noffice-5,X2,"
                      "99999999999999999999\n") ==
          V{"wrong_type applicants.csv:2:3", "invalid_value applicants.csv:3:3"});
  }
  SUBCASE("values outside their lists") {
    CHECK(errors_with(E, e_head + "office-5,KHNP-2024-001,middle_school,seoul,graduate,online,"
                                  "1800\n") ==
          V{"invalid_value education.csv:2:3", "invalid_value education.csv:2:5",
            "invalid_value education.csv:2:6", "invalid_value education.csv:2:7"});
    CHECK(errors_with(E, e_head + "office-5,KHNP-2024-001,university,mars,graduated,,\n") ==
          V{"unknown_region education.csv:2:4"});
    CHECK(errors_with(S, s_head + "office-5,KHNP-2024-001,written,-5,\noffice-5,KHNP-2024-002,"
                                  "written,1e2,\noffice-5,KHNP-2024-003,oral,80,\n") ==
          V{"bad_decimal scores.csv:2:4", "bad_decimal scores.csv:3:4",
            "unknown_stage scores.csv:4:3"});
  }
  SUBCASE("empty required cells") {
    CHECK(errors_with(E, e_head + "office-5,KHNP-2024-001,university,,graduated,,\n,,,,,,\n") ==
          V{"missing_field education.csv:2:4", "missing_field education.csv:3:1",
            "missing_field education.csv:3:2", "missing_field education.csv:3:3",
            "missing_field education.csv:3:4", "missing_field education.csv:3:5"});
  }
  SUBCASE("rows that do not fit the files") {
    CHECK(errors_with(S, s_head + "office-9,KHNP-2024-001,written,80,\n"
                                  "office-5,GHOST,written,80,\n"
                                  "office-5,KHNP-2024-001,written,80,\n"
                                  "office-5,KHNP-2024-001,written,81,\n"
                                  "office-5,KHNP-2024-001,written\n"
                                  "office-5,KHNP-2024-002,written,80,,\n") ==
          V{"bad_csv scores.csv:2:1", "bad_csv scores.csv:3:2", "bad_csv scores.csv:5:3",
            "bad_csv scores.csv:6:4", "bad_csv scores.csv:7:6"});
    CHECK(errors_with(A, "") == V{"bad_csv applicants.csv:1:1"});
    CHECK(errors_with(A, a_head + "office-5,\"X1\n") == V{"bad_csv applicants.csv:2:2"});
    CHECK(errors_with(E, e_head + "office-5,KHNP-2024-001,\xB4\xEB\xC7\xD0\xB1\xB3,busan,"
                                  "graduated,,\n") ==
          V{"bad_csv education.csv:2:3"});  // EUC-KR 대학교
  }
  SUBCASE("a header that still lists applicants") {
    auto c = header_v2(slurp(kSource / "examples/gyeongju-v2.case.json"));
    CsvMerge m = merge_case_csv_all(c, example_files_v2());
    CHECK(errors_of(m) == V{"bad_csv units[0].applicants"});
  }
}

TEST_CASE("CSV v2: every error of every file is collected, in order, before anything is merged") {
  CsvFiles f = example_files_v2();
  f.applicants.text += "office-5,KHNP-2024-001,\r\noffice-5,BAD/ID,true\r\n";
  f.education.text +=
      "office-5,KHNP-2024-002,university,mars,graduate,,20x\r\n"
      "office-5,BAD/ID,university,busan,graduated,,\r\n";
  f.scores.text = "unit,applicant,stage,score,disqualified,comment\r\n" +
                  f.scores.text.substr(f.scores.text.find('\n') + 1);
  CsvMerge m = merge_v2(f);
  CHECK_FALSE(m.merged.has_value());
  // scores.csv: the unknown column, then every row of the old width.
  std::vector<std::string> expected = {"duplicate_applicant applicants.csv:22:2",
                                       "bad_id applicants.csv:23:2",
                                       "unknown_region education.csv:28:4",
                                       "invalid_value education.csv:28:5",
                                       "wrong_type education.csv:28:7",
                                       "unknown_key scores.csv:1:6"};
  const std::size_t score_rows =
      static_cast<std::size_t>(std::count(f.scores.text.begin(), f.scores.text.end(), '\n')) - 1;
  for (std::size_t r = 0; r < score_rows; ++r)
    expected.push_back("bad_csv scores.csv:" + std::to_string(r + 2) + ":6");
  CHECK(errors_of(m) == expected);
  CHECK(m.error_count == expected.size());

  // More errors than are listed: all counted.
  CsvFiles many = example_files_v2();
  for (int i = 0; i < 150; ++i) many.scores.text += "office-5,KHNP-2024-001,oral,80,\r\n";
  CsvMerge capped = merge_v2(many);
  CHECK(capped.errors.size() == passline::kMaxCsvErrors);
  CHECK(capped.error_count == 150);
  // merge_case_csv() reports the first.
  auto first = passline::merge_case_csv(header_v2(), f);
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().path == "applicants.csv:22:2");
}

TEST_CASE("passline import-csv, quota-case/2: the registry's agency, every error, nothing stored") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "csv2.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);
  const fs::path header = kExamplesV2 / "recruitment.json";
  const fs::path applicants = kExamplesV2 / "applicants.csv";
  const fs::path education = kExamplesV2 / "education.csv";
  const fs::path scores = kExamplesV2 / "scores.csv";

  // The agency is not registered: refused as the JSON form is.
  std::string before = db_snapshot(db);
  Run unregistered = run_cli(import_csv_v2(header, applicants, education, scores, db));
  CHECK(unregistered.exit == 2);
  CHECK(unregistered.err.rfind("passline: agency.code: unknown_agency", 0) == 0);
  CHECK(db_snapshot(db) == before);

  Run registry =
      run_cli({"agency", "import", (kSource / "data/agencies/innovation-city-2018.json").string(),
               "--db", db});
  REQUIRE_MESSAGE(registry.exit == 0, registry.err);
  before = db_snapshot(db);

  // The header's agency differs from the registry's.
  json spoof = json::parse(slurp(header));
  spoof["agency"]["public_institution"] = false;
  spit(d.path / "spoof.json", spoof.dump());
  Run mismatch = run_cli(import_csv_v2(d.path / "spoof.json", applicants, education, scores, db));
  CHECK(mismatch.exit == 2);
  CHECK(mismatch.err.rfind("passline: agency.public_institution: agency_mismatch", 0) == 0);
  CHECK(db_snapshot(db) == before);

  // A header the JSON parser refuses: unknown_key, as for `passline import`.
  json typo = json::parse(slurp(header));
  typo["units"][0]["requires_experiance"] = true;
  spit(d.path / "typo.json", typo.dump());
  Run unknown = run_cli(import_csv_v2(d.path / "typo.json", applicants, education, scores, db));
  CHECK(unknown.exit == 2);
  CHECK(unknown.err.rfind("passline: units[0].requires_experiance: unknown_key", 0) == 0);

  // Bad files: one line per error, the exit code of the first, nothing stored.
  spit(d.path / "a.csv", slurp(applicants) + "office-5,KHNP 2024/021,\r\n");
  spit(d.path / "e.csv",
       slurp(education) + "office-5,KHNP-2024-020,university,jeju,graduate,,\r\n");
  spit(d.path / "s.csv", slurp(scores) + "office-5,KHNP-2024-020,written,78,\r\n");
  Run bad =
      run_cli(import_csv_v2(header, d.path / "a.csv", d.path / "e.csv", d.path / "s.csv", db));
  CHECK(bad.exit == 2);
  std::vector<std::string> lines;
  for (std::size_t p = 0, q; (q = bad.err.find('\n', p)) != std::string::npos; p = q + 1)
    lines.push_back(bad.err.substr(p, q - p));
  REQUIRE(lines.size() == 3);
  // Each error names its file as given on the command line.
  const std::string dir = d.path.string() + "/";
  CHECK(lines[0].rfind("passline: " + dir + "a.csv:22:2: bad_id: applicant: the id 'KHNP 2024/021'",
                       0) == 0);
  CHECK(lines[1].rfind("passline: " + dir + "e.csv:28:5: invalid_value: status 'graduate'", 0) ==
        0);
  CHECK(lines[2].rfind("passline: " + dir +
                           "s.csv:36:3: bad_csv: a second row for applicant "
                           "'KHNP-2024-020' at stage 'written' (first at row 35)",
                       0) == 0);
  CHECK(db_snapshot(db) == before);

  // The example: stored, decided by both programs the law binds KHNP to in 2024.
  Run ok = run_cli(import_csv_v2(header, applicants, education, scores, db));
  REQUIRE_MESSAGE(ok.exit == 0, ok.err);
  CHECK(ok.out.rfind("imported KHNP-2024-H2-CSV: 1 units, 20 applicants", 0) == 0);
  Run decided = run_cli({"decide", "--recruitment", "KHNP-2024-H2-CSV", "--db", db});
  CHECK_MESSAGE(decided.exit == 0, decided.err);
  CHECK(decided.out.find("20 applicants, 8 hires, 2 in kr-innovation-city, 3 in kr-nonmetro-35") !=
        std::string::npos);
  Run again = run_cli(import_csv_v2(header, applicants, education, scores, db));
  CHECK(again.exit == 3);  // duplicate_recruitment
}

}  // TEST_SUITE
