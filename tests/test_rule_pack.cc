// Rule packs: the shipped packs, their released digests, the strict loader, resolution of a
// pack into a Program, and the registry of versions.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "passline/rule_pack.h"

#ifndef PASSLINE_SOURCE_DIR
#error "PASSLINE_SOURCE_DIR must name the project's source directory (tests/CMakeLists.txt)"
#endif

using namespace passline;

namespace {

Date day(const char* text) {
  const auto d = Date::parse(text);
  REQUIRE(d.has_value());
  return *d;
}

Agency agency(Region region, int designated = 2018) {
  Agency a;
  a.code = "AG";
  a.region = region;
  a.designated = designated;
  return a;
}

const RulePack& bundled(const char* id, const char* announced) {
  const RulePack* pack = bundled_rules().find(id, day(announced));
  REQUIRE(pack != nullptr);
  return *pack;
}

Program resolve(const char* id, Region region, int designated, const char* announced) {
  auto program =
      resolve_program(bundled(id, "2030-01-01"), agency(region, designated), day(announced));
  REQUIRE_MESSAGE(program.ok(), program.error().message);
  return std::move(program).value();
}

Error resolve_error(const char* id, Region region, int designated, const char* announced) {
  auto program =
      resolve_program(bundled(id, "2030-01-01"), agency(region, designated), day(announced));
  REQUIRE_FALSE(program.ok());
  return program.error();
}

RegionSet regions_of(const Program& p) { return std::get<EducationGroup>(p.group).regions; }

RegionSet set_of(std::initializer_list<Region> regions) {
  RegionSet s = 0;
  for (Region r : regions) s |= region_bit(r);
  return s;
}

// A small valid pack; the strictness cases below change one line of it. Line numbers are
// 1-based and are what the errors must report.
constexpr const char* kSource = "rules/kr-test/2018-01-25.yaml";
const std::vector<std::string> kBase = {
    /*  1 */ "id: kr-test",
    /*  2 */ "title: Test pack",
    /*  3 */ "citation: \"Test Act\"",
    /*  4 */ "effective:",
    /*  5 */ "  from: 2018-01-25",
    /*  6 */ "  citation: \"Test Act §1\"",
    /*  7 */ "coverage:",
    /*  8 */ "  agencies_not_covered: [seoul]",
    /*  9 */ "  citation: \"Test Act §2\"",
    /* 10 */ "group:",
    /* 11 */ "  citation: \"Test Act §3\"",
    /* 12 */ "  levels: [university]",
    /* 13 */ "  statuses: [graduated]",
    /* 14 */ "  regions: agency",
    /* 15 */ "  blocs:",
    /* 16 */ "    - {regions: [ulsan, gyeongnam], from: 2022-01-25, citation: \"Test Act §4\"}",
    /* 17 */ "ratio:",
    /* 18 */ "  by_cohort:",
    /* 19 */ "    2018:",
    /* 20 */ "      - {from: 2018-01-25, until: 2018-12-31, value: \"18%\", citation: \"Table 1\"}",
    /* 21 */ "      - {from: 2019-01-01, value: \"21%\", citation: \"Table 1\"}",
    /* 22 */ "rounding: {value: ceil, citation: \"Decree §2\"}",
    /* 23 */ "scope: {value: stage, citation: \"Decree §2\"}",
};

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

/// The base pack with line `n` replaced by `text` (several lines if it holds '\n').
std::string with_line(int n, const std::string& text) {
  auto lines = kBase;
  lines.at(static_cast<std::size_t>(n - 1)) = text;
  return join(lines);
}

/// The base pack without line `n`.
std::string without_line(int n) {
  auto lines = kBase;
  lines.erase(lines.begin() + (n - 1));
  return join(lines);
}

/// Parsing `text` fails with bad_rule_pack at `line`; returns the message.
std::string expect_bad(const std::string& text, int line) {
  auto pack = parse_rule_pack(text, kSource);
  REQUIRE_FALSE(pack.ok());
  CHECK(pack.error().code == "bad_rule_pack");
  CHECK(pack.error().path == std::string(kSource) + ":" + std::to_string(line));
  CHECK(pack.error().message.rfind(std::string(kSource) + ":" + std::to_string(line) + ": ", 0) ==
        0);
  return pack.error().message;
}

bool contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("both bundled packs load, with their versions and sources") {
  const RuleRegistry& rules = bundled_rules();
  CHECK(&rules == &bundled_rules());  // built once
  CHECK(rules.knows("kr-innovation-city"));
  CHECK(rules.knows("kr-nonmetro-35"));
  CHECK_FALSE(rules.knows("kr-unknown"));

  const RulePack& ic = bundled("kr-innovation-city", "2018-01-25");
  CHECK(ic.version == "2018-01-25");
  CHECK(ic.source == "rules/kr-innovation-city/2018-01-25.yaml");
  CHECK(ic.effective_from == day("2018-01-25"));
  CHECK_FALSE(ic.effective_until.has_value());
  CHECK(ic.agencies_not_covered == kCapitalRegion);
  CHECK(ic.agency_region);
  CHECK(ic.blocs.size() == 4);
  CHECK(ic.ratio.size() == 2);
  CHECK(ic.rounding == Rounding::ceil);
  CHECK_FALSE(ic.cap.has_value());
  CHECK(ic.scope == Scope::stage);
  CHECK(ic.min_planned == 0);
  CHECK(ic.digest.size() == 64);

  const RulePack& nm = bundled("kr-nonmetro-35", "2024-08-14");
  CHECK(nm.version == "2024-08-14");
  CHECK(nm.agencies_not_covered == 0);
  CHECK_FALSE(nm.agency_region);
  CHECK(nm.regions == (kAllRegionsV1 & ~kCapitalRegion));
  CHECK(nm.ratio.count(0) == 1);

  CHECK(rules.find_by_digest(ic.digest) == &ic);
  CHECK(rules.find_by_digest(nm.digest) == &nm);
  CHECK(rules.find_by_digest("00") == nullptr);
}

TEST_CASE("released packs are unchanged: digests equal rules/RELEASED") {
  std::ifstream in(PASSLINE_SOURCE_DIR "/rules/RELEASED");
  REQUIRE_MESSAGE(in.good(), "cannot read " PASSLINE_SOURCE_DIR "/rules/RELEASED");
  int entries = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string id, version, digest, extra;
    fields >> id >> version >> digest;
    CHECK_MESSAGE(!(fields >> extra), "manifest line has more than 3 fields: " << line);
    const RulePack* found = nullptr;
    for (const RulePack& p : bundled_rules().all())
      if (p.id == id && p.version == version) found = &p;
    INFO("released pack ", id, " ", version);
    REQUIRE_MESSAGE(found != nullptr, "a released pack was removed from rules/");
    CHECK_MESSAGE(found->digest == digest,
                  "a released pack was edited; add a new version instead (rules/ is append-only)");
    ++entries;
  }
  CHECK(entries >= 2);
}

TEST_CASE("canonical JSON: sorted keys, no whitespace, semantic content only") {
  const std::string base = join(kBase);
  auto pack = parse_rule_pack(base, kSource);
  REQUIRE_MESSAGE(pack.ok(), pack.error().message);
  const std::string json = pack->canonical_json();
  CHECK(json.rfind("{\"citation\":\"Test Act\",\"coverage\":{", 0) == 0);
  CHECK(contains(json, "\"value\":\"0.18\""));
  CHECK_FALSE(contains(json, ": "));
  CHECK_FALSE(contains(json, "\n"));
  CHECK(pack->digest == sha256_hex(json));
  CHECK(pack->version == "2018-01-25");

  // Layout, comments and "18%" vs "0.18" do not change the content, so not the digest.
  auto same = parse_rule_pack(
      "# a comment\n" +
          with_line(20,
                    "      - from: 2018-01-25\n        until: 2018-12-31\n        value: 0.18\n"
                    "        citation: Table 1"),
      kSource);
  REQUIRE_MESSAGE(same.ok(), same.error().message);
  CHECK(same->digest == pack->digest);

  // A citation is content.
  auto cited =
      parse_rule_pack(with_line(23, "scope: {value: stage, citation: \"Decree §2②\"}"), kSource);
  REQUIRE(cited.ok());
  CHECK(cited->digest != pack->digest);
  // So are id and version.
  auto renamed = parse_rule_pack(base, "rules/kr-test/2018-01-26.yaml");
  REQUIRE(renamed.ok());
  CHECK(renamed->digest != pack->digest);
}

TEST_CASE("sha256_hex") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the loader is strict: each problem is bad_rule_pack at its line") {
  REQUIRE(parse_rule_pack(join(kBase), kSource).ok());

  SUBCASE("unknown key") {
    auto lines = kBase;
    lines.push_back("ratios: {}");
    CHECK(contains(expect_bad(join(lines), 24), "unknown key 'ratios'"));
    CHECK(contains(expect_bad(with_line(13, "  status: [graduated]"), 13), "unknown key 'status'"));
    CHECK(contains(
        expect_bad(
            with_line(21, "      - {from: 2019-01-01, value: \"21%\", citation: x, note: y}"), 21),
        "unknown key 'note'"));
  }
  SUBCASE("duplicate key") {
    CHECK(contains(expect_bad(with_line(3, "citation: a\ncitation: b"), 4),
                   "duplicate key 'citation'"));
  }
  SUBCASE("missing citation") {
    CHECK(contains(expect_bad(without_line(6), 5), "missing citation in 'effective'"));
    CHECK(contains(expect_bad(with_line(21, "      - {from: 2019-01-01, value: \"21%\"}"), 21),
                   "missing citation"));
    CHECK(
        contains(expect_bad(with_line(16, "    - {regions: [ulsan, gyeongnam], from: 2022-01-25}"),
                            16),
                 "missing citation"));
    CHECK(contains(expect_bad(with_line(22, "rounding: {value: ceil}"), 22),
                   "missing citation in 'rounding'"));
    CHECK(contains(expect_bad(with_line(22, "rounding: {value: ceil, citation: \"\"}"), 22),
                   "is empty"));
    CHECK(contains(expect_bad(without_line(3), 1), "missing citation in 'rule pack'"));
  }
  SUBCASE("missing required key") {
    CHECK(contains(expect_bad(without_line(23), 1), "missing required key 'scope'"));
    CHECK(contains(expect_bad(without_line(12), 11), "missing required key 'levels' in 'group'"));
    CHECK(contains(expect_bad(with_line(18, "  bycohort:"), 18), "unknown key 'bycohort'"));
  }
  SUBCASE("bad date") {
    CHECK(contains(expect_bad(with_line(5, "  from: 2018-02-30"), 5), "bad date '2018-02-30'"));
    CHECK(contains(expect_bad(with_line(5, "  from: 25.01.2018"), 5), "bad date"));
    CHECK(
        contains(expect_bad(with_line(21, "      - {from: 2019-1-1, value: \"21%\", citation: x}"),
                            21),
                 "bad date '2019-1-1'"));
  }
  SUBCASE("bad region") {
    CHECK(contains(expect_bad(with_line(8, "  agencies_not_covered: [seoul, tokyo]"), 8),
                   "bad region 'tokyo'"));
    CHECK(contains(
        expect_bad(with_line(16,
                             "    - {regions: [Ulsan, gyeongnam], from: 2022-01-25, citation: x}"),
                   16),
        "bad region 'Ulsan'"));
    CHECK(contains(expect_bad(with_line(14, "  regions: everywhere"), 14), "'agency' or a list"));
    CHECK(contains(expect_bad(with_line(8, "  agencies_not_covered: [seoul, seoul]"), 8),
                   "listed twice"));
  }
  SUBCASE("overlapping periods") {
    CHECK(contains(
        expect_bad(with_line(21, "      - {from: 2018-12-31, value: \"21%\", citation: x}"), 21),
        "overlaps the previous period"));
  }
  SUBCASE("gapped periods") {
    CHECK(contains(
        expect_bad(with_line(21, "      - {from: 2019-01-02, value: \"21%\", citation: x}"), 21),
        "gap before period from 2019-01-02"));
  }
  SUBCASE("a period with until before from") {
    CHECK(contains(
        expect_bad(
            with_line(20,
                      "      - {from: 2018-01-25, until: 2018-01-24, value: \"18%\", citation: x}"),
            20),
        "ends (until 2018-01-24) before it begins"));
  }
  SUBCASE("an open-ended period that is not last") {
    CHECK(contains(
        expect_bad(with_line(20, "      - {from: 2018-01-25, value: \"18%\", citation: x}"), 20),
        "open-ended period"));
  }
  SUBCASE("a period before the pack is in force") {
    CHECK(contains(
        expect_bad(
            with_line(20,
                      "      - {from: 2018-01-01, until: 2018-12-31, value: \"18%\", citation: x}"),
            20),
        "before the pack is in force"));
  }
  SUBCASE("ratio over 1, or not a ratio") {
    CHECK(contains(
        expect_bad(with_line(21, "      - {from: 2019-01-01, value: \"101%\", citation: x}"), 21),
        "over 1"));
    CHECK(contains(expect_bad(with_line(21, "      - {from: 2019-01-01, value: 1.5, citation: x}"),
                              21),
                   "over 1"));
    CHECK(contains(expect_bad(with_line(21, "      - {from: 2019-01-01, value: 3e-1, citation: x}"),
                              21),
                   "bad ratio '3e-1'"));
    CHECK(parse_rule_pack(with_line(21, "      - {from: 2019-01-01, value: \"100%\", citation: x}"),
                          kSource)
              .ok());
  }
  SUBCASE("structure") {
    CHECK(contains(expect_bad(with_line(18, "  periods: []\n  by_cohort:"), 18),
                   "both 'by_cohort' and 'periods'"));
    CHECK(contains(expect_bad(with_line(19, "    18:"), 19), "bad cohort '18'"));
    CHECK(contains(expect_bad(with_line(14, "  regions: [busan]"), 15), "need 'regions: agency'"));
    CHECK(contains(expect_bad(with_line(12, "  levels: [university, graduate]"), 12),
                   "graduate school never counts"));
    CHECK(contains(expect_bad(with_line(22, "rounding: {value: up, citation: x}"), 22),
                   "bad rounding 'up'"));
    CHECK(contains(expect_bad(with_line(23, "scope: {value: year, citation: x}"), 23),
                   "bad scope 'year'"));
    CHECK(contains(expect_bad(with_line(1, "id: KR Test"), 1), "bad id"));
    CHECK(contains(expect_bad(with_line(2, "title: [unclosed"), 3), "not valid YAML"));
    CHECK(contains(expect_bad(join(kBase) + "---\nid: again\n", 24),
                   "second YAML document"));  // the `---`
    CHECK(contains(expect_bad("", 1), "empty rule pack"));
    CHECK(contains(expect_bad(with_line(2, "title: \"\xc3\x28\""), 1), "not valid UTF-8"));
  }
  SUBCASE("cap and min_planned") {
    auto lines = kBase;
    lines.push_back("cap: {ratio: \"10%\", citation: \"Decree §3\"}");
    lines.push_back("min_planned: {value: 3, citation: \"Decree §4\"}");
    auto pack = parse_rule_pack(join(lines), kSource);
    REQUIRE_MESSAGE(pack.ok(), pack.error().message);
    REQUIRE(pack->cap.has_value());
    CHECK(pack->cap->ratio == *Ratio::parse("0.1"));
    CHECK(pack->cap->rounding == Rounding::floor);  // SPEC §3 default
    CHECK(pack->min_planned == 3);

    lines.back() = "min_planned: {value: -1, citation: x}";
    CHECK(contains(expect_bad(join(lines), 25), "bad min_planned '-1'"));
    lines.pop_back();
    lines.back() = "cap: {value: some, citation: x}";
    CHECK(contains(expect_bad(join(lines), 24), "may only be 'none'"));
    lines.back() = "cap: {ratio: \"10%\"}";
    CHECK(contains(expect_bad(join(lines), 24), "missing citation in 'cap'"));
    // Found by fuzzing: a cap ratio over 1 was accepted and made decide() throw on overflow.
    lines.back() = "cap: {ratio: \"9000000000000\", citation: x}";
    expect_bad(join(lines), 24);
  }
  SUBCASE(
      "a stray comma is an error, not an endless loop (yaml-cpp 0.7 LoadAll, found by fuzzing)") {
    expect_bad(",", 1);
    expect_bad("!a ,", 1);
  }
}

TEST_CASE("kr-innovation-city: ratio by announcement year and agency cohort") {
  // 혁신도시법 시행령 별표 1: 18, 21, 24, 27, 30% from the cohort's first year.
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2018-01-25").ratio ==
        *Ratio::parse("0.18"));
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2018-12-31").ratio ==
        *Ratio::parse("0.18"));
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2019-01-01").ratio ==
        *Ratio::parse("0.21"));
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2021-12-31").ratio ==
        *Ratio::parse("0.27"));
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2022-03-02").ratio ==
        *Ratio::parse("0.3"));
  CHECK(resolve("kr-innovation-city", Region::busan, 2018, "2031-06-30").ratio ==
        *Ratio::parse("0.3"));
  CHECK(resolve("kr-innovation-city", Region::daejeon, 2020, "2020-01-01").ratio ==
        *Ratio::parse("0.18"));
  CHECK(resolve("kr-innovation-city", Region::daejeon, 2020, "2022-08-08").ratio ==
        *Ratio::parse("0.24"));
  CHECK(resolve("kr-innovation-city", Region::daejeon, 2020, "2023-12-31").ratio ==
        *Ratio::parse("0.27"));
  CHECK(resolve("kr-innovation-city", Region::daejeon, 2020, "2024-01-01").ratio ==
        *Ratio::parse("0.3"));

  const Program p = resolve("kr-innovation-city", Region::busan, 2018, "2022-03-02");
  CHECK(p.id == "kr-innovation-city");
  CHECK(p.pack_version == "2018-01-25");
  CHECK(p.pack_digest == bundled("kr-innovation-city", "2022-03-02").digest);
  CHECK(p.rounding == Rounding::ceil);
  CHECK_FALSE(p.cap.has_value());
  CHECK(p.scope == Scope::stage);
  CHECK(p.min_planned == 0);
  const auto& g = std::get<EducationGroup>(p.group);
  CHECK(g.levels == (level_bit(EducationLevel::high_school) | level_bit(EducationLevel::college) |
                     level_bit(EducationLevel::university)));
  CHECK(g.statuses ==
        (status_bit(EducationStatus::graduated) | status_bit(EducationStatus::expected)));
}

TEST_CASE("kr-innovation-city: no rule in force, agency not covered") {
  Error e = resolve_error("kr-innovation-city", Region::daejeon, 2020, "2019-06-01");
  CHECK(e.code == "no_rule_in_force");
  CHECK(e.path.empty());
  CHECK(contains(e.message, "2020 cohort"));

  e = resolve_error("kr-innovation-city", Region::busan, 2018, "2018-01-24");
  CHECK(e.code == "no_rule_in_force");
  CHECK(bundled_rules().find("kr-innovation-city", day("2018-01-24")) == nullptr);

  e = resolve_error("kr-innovation-city", Region::busan, 2019, "2022-03-02");  // no such cohort
  CHECK(e.code == "no_rule_in_force");

  for (Region capital : {Region::seoul, Region::incheon, Region::gyeonggi}) {
    e = resolve_error("kr-innovation-city", capital, 2018, "2022-03-02");
    CHECK(e.code == "agency_not_covered");
    CHECK(e.path.empty());
  }
}

TEST_CASE("kr-innovation-city: the agency's region widened to its bloc from the bloc's date") {
  using R = Region;
  CHECK(regions_of(resolve("kr-innovation-city", R::ulsan, 2018, "2022-01-24")) ==
        set_of({R::ulsan}));
  CHECK(regions_of(resolve("kr-innovation-city", R::ulsan, 2018, "2022-01-25")) ==
        set_of({R::ulsan, R::gyeongnam}));
  CHECK(regions_of(resolve("kr-innovation-city", R::gyeongnam, 2018, "2022-01-25")) ==
        set_of({R::ulsan, R::gyeongnam}));
  CHECK(regions_of(resolve("kr-innovation-city", R::sejong, 2018, "2020-05-26")) ==
        set_of({R::sejong}));
  CHECK(regions_of(resolve("kr-innovation-city", R::sejong, 2018, "2020-05-27")) ==
        set_of({R::daejeon, R::sejong, R::chungbuk, R::chungnam}));
  CHECK(regions_of(resolve("kr-innovation-city", R::daejeon, 2020, "2022-08-08")) ==
        set_of({R::daejeon, R::sejong, R::chungbuk, R::chungnam}));
  CHECK(regions_of(resolve("kr-innovation-city", R::gwangju, 2018, "2018-01-25")) ==
        set_of({R::gwangju, R::jeonnam}));
  CHECK(regions_of(resolve("kr-innovation-city", R::gyeongbuk, 2018, "2018-01-25")) ==
        set_of({R::daegu, R::gyeongbuk}));
  for (R own : {R::busan, R::jeonbuk, R::gangwon, R::jeju})
    CHECK(regions_of(resolve("kr-innovation-city", own, 2018, "2025-01-01")) == region_bit(own));
}

TEST_CASE("kr-nonmetro-35: 35% of every cohort from 2024-08-14, non-capital regions") {
  const Program p = resolve("kr-nonmetro-35", Region::seoul, 2018, "2024-08-14");  // any agency
  CHECK(p.ratio == *Ratio::parse("35%"));
  CHECK(regions_of(p) == (kAllRegionsV1 & ~kCapitalRegion));
  const auto& g = std::get<EducationGroup>(p.group);
  CHECK(g.levels == (level_bit(EducationLevel::college) | level_bit(EducationLevel::university)));
  CHECK(g.statuses ==
        (status_bit(EducationStatus::graduated) | status_bit(EducationStatus::expected) |
         status_bit(EducationStatus::enrolled)));
  CHECK(resolve("kr-nonmetro-35", Region::jeju, 2020, "2030-01-01").ratio == *Ratio::parse("0.35"));

  CHECK(resolve_error("kr-nonmetro-35", Region::busan, 2018, "2024-08-13").code ==
        "no_rule_in_force");
  CHECK(bundled_rules().find("kr-nonmetro-35", day("2024-08-13")) == nullptr);
}

TEST_CASE("registry: versions of one id must not overlap, the latest in force is found") {
  auto v1 = parse_rule_pack(join(kBase), "rules/kr-test/2018-01-25.yaml");
  REQUIRE(v1.ok());
  // A later version, in force from 2023-01-01 (its periods begin then too).
  auto v2_lines = kBase;
  v2_lines[4] = "  from: 2023-01-01";
  v2_lines[17] = "  periods:";
  v2_lines[18] = "    - {from: 2023-01-01, value: \"40%\", citation: \"Table 1, 2023\"}";
  v2_lines.erase(v2_lines.begin() + 19, v2_lines.begin() + 21);
  auto v2 = parse_rule_pack(join(v2_lines), "rules/kr-test/2023-01-01.yaml");
  REQUIRE_MESSAGE(v2.ok(), v2.error().message);

  RuleRegistry registry;
  REQUIRE(registry.add(*v2).ok());
  REQUIRE(registry.add(*v1).ok());  // order of adding does not matter
  REQUIRE(registry.all().size() == 2);
  CHECK(registry.all()[0].version == "2018-01-25");
  CHECK(registry.find("kr-test", day("2018-01-24")) == nullptr);
  CHECK(registry.find("kr-test", day("2022-12-31"))->version == "2018-01-25");  // superseded after
  CHECK(registry.find("kr-test", day("2023-01-01"))->version == "2023-01-01");
  CHECK(registry.find("kr-other", day("2023-01-01")) == nullptr);
  CHECK(registry.find_by_digest(v2->digest)->version == "2023-01-01");

  // Same start date: overlap.
  auto again = registry.add(*v1);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "bad_rule_pack");
  CHECK(again.error().path == "rules/kr-test/2018-01-25.yaml");

  // An explicit end reaching into a later version: overlap. Ending the day before: fine.
  auto ends_late = parse_rule_pack(with_line(5, "  from: 2018-01-25\n  until: 2023-01-01"),
                                   "rules/kr-test/2018-01-25.yaml");
  REQUIRE(ends_late.ok());
  RuleRegistry r2;
  REQUIRE(r2.add(*v2).ok());
  CHECK_FALSE(r2.add(*ends_late).ok());
  auto ends_before = parse_rule_pack(with_line(5, "  from: 2018-01-25\n  until: 2019-12-31"),
                                     "rules/kr-test/2018-01-25.yaml");
  REQUIRE(ends_before.ok());
  REQUIRE(r2.add(*ends_before).ok());
  CHECK(r2.find("kr-test", day("2019-12-31"))->version == "2018-01-25");
  CHECK(r2.find("kr-test", day("2020-01-01")) == nullptr);  // ended, and the next not yet begun

  // load_rule_packs reports the first bad file.
  auto loaded = load_rule_packs({{"rules/kr-test/2018-01-25.yaml", join(kBase)},
                                 {"rules/kr-test/2019-01-01.yaml", without_line(23)}});
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().path == "rules/kr-test/2019-01-01.yaml:1");
}
