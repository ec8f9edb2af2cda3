// The decision log's entries (SPEC §7): case_to_json round trips, entries are canonical, a
// log reads back and replays to the same bytes, and replay finds what was changed.
#include <doctest/doctest.h>

#include "support.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "passline/canonical_json.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "passline/log.h"
#include "passline/merkle.h"
#include "passline/rule_pack.h"

using namespace passline;

namespace {
using passline::test::slurp;
namespace fs = std::filesystem;

std::vector<fs::path> case_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(PASSLINE_CONFORMANCE_DIR))
    if (e.path().string().ends_with(".case.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  out.push_back(fs::path(PASSLINE_SOURCE_DIR) / "examples" / "busan-two-stage.case.json");
  return out;
}

Case load(const std::string& name) {
  auto c = parse_case_json(slurp(fs::path(PASSLINE_CONFORMANCE_DIR) / name));
  REQUIRE(c.ok());
  return std::move(c).value();
}

LogContext context(std::string decided_at, std::optional<std::string> supersedes = std::nullopt) {
  LogContext c;
  c.decided_at = std::move(decided_at);
  c.supersedes = std::move(supersedes);
  return c;
}

const LogContext kContext = context("2026-11-24T21:00:00Z");

std::vector<std::string> entries_of(const Case& c, const LogContext& ctx = kContext) {
  auto d = decide(c, bundled_rules());
  REQUIRE(d.ok());
  return log_entries(c, *d, ctx);
}

LoggedRecruitment read_single(const std::vector<std::string>& entries) {
  auto r = read_log_entries(entries);
  REQUIRE_MESSAGE(r.ok(), r.error().code << " " << r.error().path << " " << r.error().message);
  REQUIRE(r->size() == 1);
  return std::move(r->front());
}

/// Replaces the JSON value at `pointer` in entry `text`, keeping it canonical.
std::string edit(const std::string& text, const std::string& pointer, const nlohmann::json& value) {
  auto j = nlohmann::json::parse(text);
  j[nlohmann::json::json_pointer(pointer)] = value;
  return *canonical_json(j.dump());
}
}  // namespace

TEST_CASE("case_to_json round trips every conformance case and the example") {
  int n = 0;
  for (const auto& path : case_files()) {
    CAPTURE(path.filename().string());
    auto c = parse_case_json(slurp(path));
    if (!c.ok()) continue;  // the bad-decimal case
    const std::string once = case_to_json(*c);
    auto again = parse_case_json(once);
    REQUIRE_MESSAGE(again.ok(), again.error().code << " " << again.error().path);
    CHECK(case_to_json(*again) == once);
    // Deciding the written case gives the same decision document.
    auto d1 = decide(*c, bundled_rules());
    auto d2 = decide(*again, bundled_rules());
    REQUIRE(d1.ok() == d2.ok());
    if (d1.ok()) CHECK(decision_to_json(*c, *d1) == decision_to_json(*again, *d2));
    ++n;
  }
  CHECK(n >= 13);
}

TEST_CASE("case_to_json keeps inline programs, attributes, exemptions and the ledger") {
  const std::string text = R"({"format":"quota-case/1",
    "agency":{"code":"A","region":"busan","designated":2018},
    "recruitment":{"id":"R","announced":"2022-03-02"},
    "programs":["kr-innovation-city",
      {"id":"vet","group":{"attribute":{"name":"veteran","equals":true}},"ratio":"12.345678%",
       "rounding":"floor","cap":{"ratio":"0.5"},"scope":"agency_year","min_planned":3}],
    "units":[{"id":"U","field":"f","planned":1,"exemptions":["small_field"],"min_degree":"masters",
              "branch_region":"jeju","requires_experience":true,
              "stages":[{"name":"s","planned":1,"threshold":{"below_cut":"5.5"}}],
              "applicants":[{"id":"a","scores":{"s":"1"},"attributes":{"veteran":true,"z":3}},
                            {"id":"b","scores":{},"disqualified":["s"]}]}],
    "ledger":{"prior":[{"field":"f","hires":2,"group_hires":{"vet":1}}]}})";
  auto c = parse_case_json(text);
  REQUIRE(c.ok());
  const std::string out = case_to_json(*c);
  auto back = parse_case_json(out);
  REQUIRE_MESSAGE(back.ok(), back.error().code << " " << back.error().path);
  CHECK(case_to_json(*back) == out);
  const auto& p = std::get<Program>(back->programs[1]);
  CHECK(p.ratio == std::get<Program>(c->programs[1]).ratio);
  CHECK(p.scope == Scope::agency_year);
  CHECK(p.min_planned == 3);
  REQUIRE(p.cap);
  CHECK(back->units[0].applicants[0].attributes == c->units[0].applicants[0].attributes);
  CHECK(back->units[0].applicants[1].disqualified == 1);
  CHECK(back->units[0].branch_region == Region::jeju);
  CHECK(back->ledger[0].group_hires.at("vet") == 1);
}

TEST_CASE("every deciding conformance case logs, reads back and replays without difference") {
  int n = 0;
  for (const auto& path : case_files()) {
    CAPTURE(path.filename().string());
    auto c = parse_case_json(slurp(path));
    if (!c.ok()) continue;
    auto d = decide(*c, bundled_rules());
    if (!d.ok()) continue;
    const LogContext ctx = context("2026-11-24T21:00:00Z", std::string("R-old"));
    const auto entries = log_entries(*c, *d, ctx);
    std::size_t applicants = 0;
    for (const Unit& u : c->units) applicants += u.applicants.size();
    REQUIRE(entries.size() == 1 + applicants);
    for (const auto& e : entries) CHECK(*canonical_json(e) == e);
    CHECK(log_entries(*c, *d, ctx) == entries);  // deterministic

    auto read = read_log_entries(entries, 100);
    REQUIRE_MESSAGE(read.ok(),
                    read.error().code << " " << read.error().path << " " << read.error().message);
    REQUIRE(read->size() == 1);
    const LoggedRecruitment& r = read->front();
    CHECK(r.header_index == 100);
    CHECK(r.context.decided_at == ctx.decided_at);
    CHECK(r.context.supersedes == ctx.supersedes);
    CHECK(r.context.log_index == ctx.log_index);
    CHECK(r.context.prev == ctx.prev);
    CHECK(r.context.engine_version == std::string(engine_version()));
    CHECK(case_to_json(r.input) == case_to_json(*c));
    const ReplayResult replayed = replay(r, bundled_rules());
    CHECK_MESSAGE(!replayed.error,
                  (replayed.error ? replayed.error->code + " " + replayed.error->path : ""));
    CHECK_FALSE(replayed.first_difference);
    CHECK(replayed.ok());
    ++n;
  }
  CHECK(n >= 12);
}

TEST_CASE("log entries follow the documented schema and hold no names") {
  const Case c = load("07-two-stages.case.json");
  const auto entries = entries_of(c);
  const auto header = nlohmann::json::parse(entries[0]);
  CHECK(header["type"] == "recruitment");
  CHECK(header["format"] == "passline-log/1");
  CHECK(header["recruitment"] == "R07");
  CHECK_FALSE(header.contains("supersedes"));
  CHECK(header["agency"] ==
        nlohmann::json::parse(R"({"code":"AG-CHUNGBUK","designated":2018,"region":"chungbuk"})"));
  CHECK(header["programs"][0]["id"] == "kr-innovation-city");
  CHECK(header["programs"][0]["pack_digest"] ==
        bundled_rules().find("kr-innovation-city", c.recruitment.announced)->digest);
  CHECK(header["input_digest"] == sha256_hex(case_to_json(c)));
  CHECK(header["engine_version"] == std::string(engine_version()));
  CHECK(header["units"][0]["applicants"] == 40);
  CHECK(header["units"][0]["stages"][0]["threshold"]["min_score"] == "60");
  CHECK(header["units"][0]["hires"].is_number_integer());

  std::set<std::string> keys;
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto a = nlohmann::json::parse(entries[i]);
    for (const auto& [k, v] : a.items()) keys.insert(k);
    CHECK(a["scores"][0].is_string());  // decimals are strings
  }
  CHECK(keys == std::set<std::string>{"applicant", "attributes", "disqualified", "education",
                                      "local", "log_index", "outcomes", "prev", "recruitment",
                                      "scores", "type", "unit"});
  // The chain: each entry's index, and the leaf hash of the entry before it.
  CHECK(header["log_index"] == 0);
  CHECK(header["prev"] == std::string(64, '0'));
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto a = nlohmann::json::parse(entries[i]);
    CHECK(a["log_index"] == i);
    CHECK(a["prev"] == passline::to_hex(passline::leaf_hash(entries[i - 1])));
  }
  const auto a7 = nlohmann::json::parse(entries[7]);  // A0007, chungbuk: local
  CHECK(a7["applicant"] == "A0007");
  CHECK(a7["local"] == nlohmann::json::parse(R"(["kr-innovation-city"])"));
  CHECK(a7["scores"] == nlohmann::json::parse(R"(["93.7","79"])"));
  CHECK(a7["outcomes"][0]["stage"] == "written");
}

TEST_CASE("an altered outcome is reported at its own entry") {
  const Case c = load("07-two-stages.case.json");
  auto entries = entries_of(c);
  const auto a1 = nlohmann::json::parse(entries[1]);
  REQUIRE(a1["outcomes"][0]["outcome"] == "pass_rank");
  entries[1] = edit(entries[1], "/outcomes/0/outcome", "fail_below_cut");
  const auto r = read_single(entries);
  const ReplayResult res = replay(r, bundled_rules());
  REQUIRE_FALSE(res.error);
  REQUIRE(res.first_difference);
  CHECK(*res.first_difference == 1);
  CHECK(res.differing == std::vector<std::size_t>{1});
}

TEST_CASE("an altered score is reported at the header first and at the entries it changes") {
  const Case c = load("07-two-stages.case.json");
  const auto original = entries_of(c);
  auto entries = original;
  // A0040 (entry 40) scored 60 in the written stage and failed it; 99.9 puts it first.
  entries[40] = edit(entries[40], "/scores/0", "99.9");
  const auto r = read_single(entries);
  const ReplayResult res = replay(r, bundled_rules());
  REQUIRE_FALSE(res.error);
  REQUIRE(res.first_difference);
  CHECK(*res.first_difference == 0);  // the input digest (and the written stage's cut)
  CHECK(std::find(res.differing.begin(), res.differing.end(), 40) != res.differing.end());

  // A score changed without changing any outcome still moves the input digest: the header
  // differs first (and, through the prev chain, every regenerated entry after it).
  entries = original;
  entries[1] = edit(entries[1], "/scores/0", "99.2");
  const ReplayResult quiet = replay(read_single(entries), bundled_rules());
  CHECK(quiet.first_difference == std::optional<std::size_t>(0));
}

TEST_CASE("an altered unit total is reported at the header") {
  const Case c = load("07-two-stages.case.json");
  auto entries = entries_of(c);
  entries[0] = edit(entries[0], "/units/0/hires", 6);
  const ReplayResult res = replay(read_single(entries), bundled_rules());
  REQUIRE(res.first_difference);
  CHECK(*res.first_difference == 0);
  CHECK(res.differing == std::vector<std::size_t>{0});
}

TEST_CASE("replay with a rule pack whose content differs gives unknown_rule_digest") {
  const Case c = load("07-two-stages.case.json");
  const auto r = read_single(entries_of(c));
  // The shipped packs, with one word of every kr-innovation-city title changed.
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(PASSLINE_SOURCE_DIR) / "rules")) {
    if (e.path().extension() != ".yaml") continue;
    std::string text = slurp(e.path());
    if (e.path().parent_path().filename() == "kr-innovation-city") {
      const auto at = text.find("title:");
      REQUIRE(at != std::string::npos);
      text.insert(at + 6, " (edited)");
    }
    files.emplace_back(e.path().filename().string(), text);
  }
  auto registry = load_rule_packs(files);
  REQUIRE_MESSAGE(registry.ok(), registry.error().message);
  const ReplayResult res = replay(r, *registry);
  REQUIRE(res.error);
  CHECK(res.error->code == "unknown_rule_digest");
  CHECK(res.error->path == "entry 0: header.programs[0].pack_digest");
  // The unedited packs replay fine.
  CHECK(replay(r, bundled_rules()).ok());
}

TEST_CASE("two recruitments in one log are read apart") {
  auto log = entries_of(load("01-basic-shortfall.case.json"));
  const std::size_t second = log.size();
  const auto more = entries_of(load("07-two-stages.case.json"),
                               context("2026-11-25T09:00:00Z", std::string("R01")));
  log.insert(log.end(), more.begin(), more.end());
  auto read = read_log_entries(log);
  REQUIRE(read.ok());
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].header_index == 0);
  CHECK((*read)[1].header_index == second);
  CHECK((*read)[1].context.supersedes == std::optional<std::string>("R01"));
  CHECK((*read)[1].entries == more);
  for (const auto& r : *read) CHECK(replay(r, bundled_rules()).ok());
  // A changed outcome in the second recruitment is reported by its absolute index.
  log[second + 3] = edit(log[second + 3], "/outcomes/1/outcome", "not_reached");
  auto changed = read_log_entries(log);
  REQUIRE(changed.ok());
  CHECK(replay((*changed)[1], bundled_rules()).first_difference == second + 3);
}

TEST_CASE("reading a damaged log names the entry and the value") {
  const auto original = entries_of(load("07-two-stages.case.json"));
  auto code_path = [](const std::vector<std::string>& entries) {
    auto r = read_log_entries(entries);
    REQUIRE_FALSE(r.ok());
    return r.error().code + " | " + r.error().path;
  };
  auto e = original;
  e[17] = edit(e[17], "/scores/1", "7.1234567");
  CHECK(code_path(e) == "bad_decimal | entry 17: applicant.scores[1]");
  e = original;
  e[5] = edit(e[5], "/education/0/region", "mars");
  CHECK(code_path(e) == "unknown_region | entry 5: applicant.education[0].region");
  e = original;
  e[3] = edit(e[3], "/unit", "U2");
  CHECK(code_path(e) == "bad_log_entry | entry 3: applicant.unit");
  e = original;
  e.pop_back();
  CHECK(code_path(e) == "truncated_log | entry 0: header.units[0].applicants");
  e = original;
  e[2] = " " + e[2];
  CHECK(code_path(e) == "not_canonical | entry 2: $");
  e = original;
  e[0] = edit(e[0], "/format", "passline-log/9");
  CHECK(code_path(e) == "unsupported_format | entry 0: header.format");
  e = original;
  std::swap(e[0], e[1]);
  CHECK(code_path(e) == "bad_log_entry | entry 0: header.type");
}

TEST_CASE("applicant entries with awkward text are canonical and read back") {
  Case c = load("07-two-stages.case.json");
  Unit& u = c.units[0];
  u.applicants[0].id = "q\"uote\\backslash-\xED\x95\x9C\xEA\xB8\x80";  // ... 한글
  u.applicants[1].attributes = {{"zeta", "1\tslash\x01\x1f"},
                                {"alpha", "x\"y"},
                                {"zeta", "2"},
                                {"\xEC\x84\xB1", "v"}};
  u.applicants[2].attributes = {{"\xEE\x80\x80", "private use"}, {"\xF0\x9F\x98\x80", "emoji"}};
  u.applicants[3].disqualified = 1;
  const auto d = decide(c, bundled_rules());
  REQUIRE(d.ok());
  LogContext ctx;
  ctx.decided_at = "2026-01-01T00:00:00Z";
  const auto entries = log_entries(c, *d, ctx);
  for (const auto& e : entries) CHECK(*canonical_json(e) == e);
  const auto a1 = nlohmann::json::parse(entries[2]);
  CHECK(a1["attributes"] ==
        nlohmann::json::parse(R"({"alpha":"x\"y","zeta":"1\tslash\u0001\u001f","성":"v"})"));
  auto read = read_log_entries(entries);
  REQUIRE_MESSAGE(read.ok(), read.error().path << " " << read.error().message);
  CHECK(replay(read->front(), bundled_rules()).ok());
}
