// The `passline` command line, run as a process: stdout, stderr and exit codes of every command
// (README's CLI reference, adapters/cli/commands.h for the exit codes).
#include <doctest/doctest.h>

#include "support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "passline/decision.h"
#include "passline/rule_pack.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kConformance = PASSLINE_CONFORMANCE_DIR;
const fs::path kSource = PASSLINE_SOURCE_DIR;

using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

std::string conformance(const std::string& file) { return (kConformance / file).string(); }

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char ch : s) n += ch == '\n';
  return n;
}

}  // namespace

TEST_SUITE("cli") {

TEST_CASE("decide: `-` reads the case from standard input") {
  const Run from_file = run_cli({"decide", conformance("07-two-stages.case.json")});
  const Run from_stdin = run_cli({"decide", "-"}, conformance("07-two-stages.case.json"));
  CHECK(from_stdin.exit == 0);
  CHECK(from_stdin.out == from_file.out);
}

TEST_CASE("decide: a valid case prints the quota-decision/1 document and exits 0") {
  Run r = run_cli({"decide", conformance("01-basic-shortfall.case.json")});
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  json d = json::parse(r.out);
  CHECK(d["format"] == "quota-decision/1");
  CHECK(d["recruitment"] == "R01");
  CHECK(d["units"][0]["stages"][0]["cut"] == "80.5");
  CHECK(r.out.back() == '\n');
}

TEST_CASE("decide: the output is byte-identical across runs") {
  Run a = run_cli({"decide", conformance("07-two-stages.case.json")});
  Run b = run_cli({"decide", conformance("07-two-stages.case.json")});
  CHECK(a.exit == 0);
  CHECK(a.out == b.out);
}

TEST_CASE("decide: an invalid case prints the error document, one sentence on stderr, exit 2") {
  Run r = run_cli({"decide", conformance("11-bad-decimal.case.json")});
  CHECK(r.exit == 2);
  json e = json::parse(r.out);
  CHECK(e["format"] == "quota-decision/1");
  CHECK(e["error"]["code"] == "bad_decimal");
  CHECK(e["error"]["path"] == "units[0].applicants[0].scores.final");
  CHECK(starts_with(r.err, "passline: units[0].applicants[0].scores.final: bad_decimal: "));
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("decide: an unsupported exemption claim exits 2 with its path") {
  Run r = run_cli({"decide", conformance("08-exempt-refused.case.json")});
  CHECK(r.exit == 2);
  CHECK(json::parse(r.out)["error"]["code"] == "exemption_not_supported");
  CHECK(starts_with(r.err, "passline: units[0].exemptions: exemption_not_supported: "));
}

TEST_CASE("decide: an unreadable file exits 2 naming the file and the OS error") {
  TempDir dir;
  const std::string missing = (dir.path / "no-such.case.json").string();
  Run r = run_cli({"decide", missing});
  CHECK(r.exit == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(missing) != std::string::npos);
  CHECK(r.err.find("No such file or directory") != std::string::npos);

  Run d = run_cli({"decide", dir.path.string()});  // a directory is not a case file
  CHECK(d.exit == 2);
  CHECK(d.err.find(dir.path.string()) != std::string::npos);
}

TEST_CASE("decide: malformed JSON exits 2 with the line and column") {
  TempDir dir;
  const fs::path bad = dir.path / "bad.case.json";
  spit(bad, "{\n \"format\": \"quota-case/1\",\n \"agency\": {,\n}\n");
  Run r = run_cli({"decide", bad.string()});
  CHECK(r.exit == 2);
  json e = json::parse(r.out);
  CHECK(e["error"]["code"] == "malformed_json");
  const std::string path = e["error"]["path"];
  CHECK(starts_with(path, "line 3, column "));
  CHECK(r.err.find("line 3, column ") != std::string::npos);
  CHECK(r.err.find("malformed_json") != std::string::npos);
}

TEST_CASE("decide: --rules DIR decides with the packs read from DIR") {
  Run r = run_cli({"decide", conformance("01-basic-shortfall.case.json"), "--rules",
                   (kSource / "rules").string()});
  CHECK(r.exit == 0);
  Run bundled = run_cli({"decide", conformance("01-basic-shortfall.case.json")});
  CHECK(r.out == bundled.out);

  TempDir empty;
  Run none = run_cli(
      {"decide", conformance("01-basic-shortfall.case.json"), "--rules=" + empty.path.string()});
  CHECK(none.exit == 2);
  CHECK(none.err.find("no *.yaml") != std::string::npos);
}

TEST_CASE("conform: the shared conformance vectors all pass") {
  Run r = run_cli({"conform", kConformance.string()});
  CHECK_MESSAGE(r.exit == 0, r.out);
  auto lines = r.out_lines();
  REQUIRE(!lines.empty());
  CHECK(lines.back().find(" passed, 0 failed") != std::string::npos);
}

TEST_CASE("conform: a failing case names the first differing path, the summary comes last") {
  TempDir dir;
  // a-pass: a case with its own expected decision.
  fs::copy_file(kConformance / "01-basic-shortfall.case.json", dir.path / "a-pass.case.json");
  fs::copy_file(kConformance / "01-basic-shortfall.expected.json",
                dir.path / "a-pass.expected.json");
  // b-fail: the same case, expected to have another cut and another hire count.
  json expected = json::parse(slurp(kConformance / "01-basic-shortfall.expected.json"));
  expected["units"][0]["stages"][0]["cut"] = "81";
  expected["units"][0]["hires"] = 99;
  fs::copy_file(kConformance / "01-basic-shortfall.case.json", dir.path / "b-fail.case.json");
  spit(dir.path / "b-fail.expected.json", expected.dump(1));

  Run r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 1);
  auto lines = r.out_lines();
  REQUIRE(lines.size() == 2);
  // Keys compare in bytewise order: units[0].hires comes before units[0].stages.
  CHECK(lines[0] == "FAIL b-fail: $.units[0].hires: expected 99, got 12");
  CHECK(lines[1] == "1 passed, 1 failed");

  // Only the cut differs now.
  expected["units"][0]["hires"] = 12;
  spit(dir.path / "b-fail.expected.json", expected.dump(1));
  r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 1);
  lines = r.out_lines();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "FAIL b-fail: $.units[0].stages[0].cut: expected \"81\", got \"80.5\"");
  CHECK(lines[1] == "1 passed, 1 failed");
}

TEST_CASE("conform: extra produced keys are allowed, missing keys and short arrays are not") {
  TempDir dir;
  fs::copy_file(kConformance / "01-basic-shortfall.case.json", dir.path / "c.case.json");
  // Expected holds only part of the decision: conforms.
  spit(dir.path / "c.expected.json", R"({"recruitment": "R01", "units": [{"id": "U1"}]})");
  Run r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 0);
  CHECK(r.out == "1 passed, 0 failed\n");

  spit(dir.path / "c.expected.json", R"({"units": [{"id": "U1"}, {"id": "U2"}]})");
  r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 1);
  CHECK(r.out_lines().at(0) == "FAIL c: $.units: expected 2 elements, got 1");

  spit(dir.path / "c.expected.json", R"({"units": [{"group_hires": {"kr-nonmetro-35": 0}}]})");
  r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 1);
  CHECK(
      r.out_lines().at(0) ==
      "FAIL c: $.units[0].group_hires[\"kr-nonmetro-35\"]: expected 0, got nothing (key missing)");
}

TEST_CASE("conform: a missing expected file fails that case") {
  TempDir dir;
  fs::copy_file(kConformance / "02-exact-target.case.json", dir.path / "lonely.case.json");
  Run r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 1);
  auto lines = r.out_lines();
  REQUIRE(lines.size() == 2);
  CHECK(starts_with(lines[0], "FAIL lonely: cannot read "));
  CHECK(lines[1] == "0 passed, 1 failed");
}

TEST_CASE("conform: a directory without cases is an error, not a pass") {
  TempDir dir;
  Run r = run_cli({"conform", dir.path.string()});
  CHECK(r.exit == 2);
  Run missing = run_cli({"conform", (dir.path / "nope").string()});
  CHECK(missing.exit == 2);
}

TEST_CASE("rules list: every bundled pack version with dates and digest") {
  Run r = run_cli({"rules", "list"});
  CHECK(r.exit == 0);
  for (const passline::RulePack& p : passline::bundled_rules().all()) {
    CHECK(r.out.find(p.id) != std::string::npos);
    CHECK(r.out.find(p.digest) != std::string::npos);
    CHECK(r.out.find(p.effective_from.to_string()) != std::string::npos);
  }
  CHECK(r.out.find("kr-innovation-city") != std::string::npos);
  CHECK(r.out.find("kr-nonmetro-35") != std::string::npos);
}

TEST_CASE("rules show: the canonical form and its digest") {
  const passline::RulePack* pack =
      passline::bundled_rules().find("kr-innovation-city", *passline::Date::parse("2022-03-02"));
  REQUIRE(pack != nullptr);
  Run r = run_cli({"rules", "show", "kr-innovation-city"});
  CHECK(r.exit == 0);
  CHECK(r.out.find("sha256:" + pack->digest) != std::string::npos);
  // The JSON after the header line is the canonical form, pretty-printed.
  const std::size_t start = r.out.find('\n') + 1;
  const std::size_t end = r.out.find("\n# ", start);  // next version, if any
  json shown = json::parse(r.out.substr(start, end == std::string::npos ? end : end - start));
  CHECK(shown == json::parse(pack->canonical_json()));

  Run unknown = run_cli({"rules", "show", "kr-no-such-rule"});
  CHECK(unknown.exit == 2);
  CHECK(unknown.err.find("kr-no-such-rule") != std::string::npos);
  CHECK(unknown.err.find("kr-innovation-city") != std::string::npos);
}

TEST_CASE("rules check: the shipped rules are OK, a bad pack names file and line") {
  Run ok = run_cli({"rules", "check", (kSource / "rules").string()});
  CHECK(ok.exit == 0);
  CHECK(starts_with(ok.out, "OK: "));

  TempDir dir;
  fs::create_directories(dir.path / "kr-nonmetro-35");
  const fs::path bad = dir.path / "kr-nonmetro-35" / "2024-08-14.yaml";
  std::string text = slurp(kSource / "rules" / "kr-nonmetro-35" / "2024-08-14.yaml");
  if (!text.empty() && text.back() != '\n') text += '\n';
  const std::size_t line = count_lines(text) + 1;
  spit(bad, text + "bogus_key: 1\n");
  Run r = run_cli({"rules", "check", dir.path.string()});
  CHECK(r.exit == 2);
  CHECK(r.out.empty());
  CHECK_MESSAGE(starts_with(r.err, bad.generic_string() + ":" + std::to_string(line) + ":"), r.err);
  CHECK(r.err.find("bogus_key") != std::string::npos);
}

TEST_CASE("explain: an additional pass, in Korean and in English") {
  const std::string c = conformance("01-basic-shortfall.case.json");
  Run ko = run_cli({"explain", c, "--applicant", "A0013", "--lang", "ko"});
  CHECK(ko.exit == 0);
  CHECK(ko.out.find("A0013") != std::string::npos);
  CHECK(ko.out.find("추가합격") != std::string::npos);
  CHECK(ko.out.find("합격하한선 73점") != std::string::npos);
  CHECK(ko.out.find("채용목표 3명") != std::string::npos);
  CHECK(ko.out.find("13위") != std::string::npos);

  Run en = run_cli({"explain", c, "--applicant", "A0013", "--lang=en"});
  CHECK(en.exit == 0);
  CHECK(en.out.find("rank 13 of 20 considered") != std::string::npos);
  CHECK(en.out.find("Cut 80.5") != std::string::npos);
  CHECK(en.out.find("threshold 73") != std::string::npos);
  CHECK(en.out.find("additional pass") != std::string::npos);
  CHECK(en.out.find("kr-innovation-city") != std::string::npos);

  Run dflt = run_cli({"explain", c, "--applicant", "A0013"});  // Korean by default
  CHECK(dflt.out == ko.out);
}

TEST_CASE("explain: why an applicant was not added") {
  const std::string c = conformance("01-basic-shortfall.case.json");
  Run outsider = run_cli({"explain", c, "--applicant", "A0011", "--lang", "en"});
  CHECK(outsider.exit == 0);
  CHECK(outsider.out.find("below the cut") != std::string::npos);
  CHECK(outsider.out.find("not a member of its group") != std::string::npos);

  // A0019 is local but the target was met by higher-scoring local applicants.
  Run local = run_cli({"explain", c, "--applicant", "A0019", "--lang", "en"});
  CHECK(local.exit == 0);
  CHECK(local.out.find("target of 3 was met") != std::string::npos);

  // 04: the threshold stops the program.
  Run stopped = run_cli({"explain", conformance("04-threshold-stops.case.json"), "--applicant",
                         "A0012", "--lang", "en"});
  CHECK(stopped.exit == 0);
  CHECK(stopped.out.find("below the threshold 81") != std::string::npos);

  // 03: a pass tied at the cut.
  Run tie = run_cli({"explain", conformance("03-ties.case.json"), "--applicant", "A0005"});
  CHECK(tie.exit == 0);
  CHECK(tie.out.find("동점자") != std::string::npos);
}

TEST_CASE("explain: an unknown applicant or an invalid case exits 2") {
  Run r = run_cli({"explain", conformance("01-basic-shortfall.case.json"), "--applicant", "Z9"});
  CHECK(r.exit == 2);
  CHECK(r.err.find("Z9") != std::string::npos);
  Run bad = run_cli({"explain", conformance("11-bad-decimal.case.json"), "--applicant", "A0001"});
  CHECK(bad.exit == 2);
  CHECK(starts_with(bad.err, "passline: units[0].applicants[0].scores.final: bad_decimal"));
}

TEST_CASE("usage: help, version and usage errors") {
  Run help = run_cli({"--help"});
  CHECK(help.exit == 0);
  CHECK(starts_with(help.out, "usage: passline decide"));

  Run version = run_cli({"--version"});
  CHECK(version.exit == 0);
  CHECK(version.out == "passline " + std::string(passline::engine_version()) + "\n");

  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"decide"},
           {"decide", "a.json", "b.json"},
           {"decide", "a.json", "--bogus"},
           {"decide", "a.json", "--rules"},
           {"decide", "a.json", "--applicant", "X"},
           {"explain", "a.json"},
           {"explain", "a.json", "--applicant", "X", "--lang", "fr"},
           {"rules"},
           {"rules", "delete"},
           {"rules", "show"},
           {"rules", "check", "a", "--rules", "b"},
       }) {
    Run r = run_cli(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    CHECK_MESSAGE(r.exit == 64, joined);
    CHECK_MESSAGE(r.err.find("usage: passline") != std::string::npos, joined);
    CHECK(r.out.empty());
  }
}

}  // TEST_SUITE("cli")
