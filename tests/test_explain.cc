// explain(): the account a recruiter gives an applicant.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/json.h"
#include "passline/rule_pack.h"
#include "support.h"

using namespace passline;

namespace {
std::string explain_text(const std::string& case_json, const std::string& id, Language lang) {
  auto c = parse_case_json(case_json);
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, id, lang);
  REQUIRE(text.ok());
  return *text;
}

const char* kMinPlanned = R"({"format":"quota-case/1",
  "agency":{"code":"A","region":"busan","designated":2018},
  "recruitment":{"id":"R","announced":"2022-03-02"},
  "programs":[{"id":"big-units","group":{"attribute":{"name":"t","equals":"y"}},"ratio":"50%",
               "min_planned":5}],
  "units":[{"id":"U","field":"f","planned":2,
    "stages":[{"name":"written","planned":10,"threshold":{"min_score":"0"}},
              {"name":"final","planned":2,"threshold":{"min_score":"0"}}],
    "applicants":[{"id":"A1","scores":{"written":"90","final":"80"},"attributes":{"t":"y"}}]}]})";
}  // namespace

TEST_CASE("min_planned is explained by the unit's planned hires, as decide() applies it") {
  // Found by fuzzing: explain compared the stage's planned (10) and printed "50% of 10".
  const std::string en = explain_text(kMinPlanned, "A1", Language::en);
  CHECK(en.find("target 0 (the unit's 2 planned hires are under min_planned 5)") !=
        std::string::npos);
  CHECK(en.find("50% of 10") == std::string::npos);
  const std::string ko = explain_text(kMinPlanned, "A1", Language::ko);
  CHECK(ko.find("최소 5명") != std::string::npos);
}

TEST_CASE("an unknown applicant is an error naming the applicant") {
  auto c = parse_case_json(kMinPlanned);
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, "nobody", Language::en);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().code == "unknown_applicant");
}

namespace {
// The full text of explain() for examples/busan-two-stage.case.json, compared byte for byte
// with tests/golden/explain/, which was written by the explain.cc of before the message table.
std::string golden_explain(const std::string& id, Language lang) {
  const std::filesystem::path source = PASSLINE_SOURCE_DIR;
  auto c = parse_case_json(test::slurp(source / "examples" / "busan-two-stage.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, id, lang);
  REQUIRE(text.ok());
  return *text;
}
}  // namespace

TEST_CASE("explain: the full account of busan-two-stage applicants is unchanged, ko and en") {
  // 003 outside the group below the cut, 005 disqualified, 007 added then not added (target met),
  // 017 added at both stages, 022 local stopped by the threshold, 028 tied at the cut.
  const std::filesystem::path dir =
      std::filesystem::path(PASSLINE_SOURCE_DIR) / "tests" / "golden" / "explain";
  for (const char* n : {"003", "005", "007", "017", "022", "028"}) {
    const std::string id = std::string("KAMCO-2023-") + n;
    for (const auto& [lang, suffix] :
         {std::pair{Language::ko, ".ko.txt"}, std::pair{Language::en, ".en.txt"}}) {
      const std::string expected = test::slurp(dir / ("busan-two-stage." + id + suffix));
      REQUIRE_FALSE(expected.empty());
      CHECK_MESSAGE(golden_explain(id, lang) == expected, id << suffix);
    }
  }
}

// ---- quota-case/2: every step cites the pack key (or SPEC section) it rests on ----------------

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kV2 = PASSLINE_CONFORMANCE_V2_DIR;
const fs::path kGoldenV2 = fs::path(PASSLINE_SOURCE_DIR) / "tests" / "golden" / "explain" / "v2";

struct DecidedV2 {
  Case c;
  Decision d;
};

DecidedV2 decide_v2(const std::string& name, const RuleRegistry& rules = bundled_rules()) {
  auto c = parse_case_json(test::slurp(kV2 / (name + ".case.json")));
  REQUIRE_MESSAGE(c.ok(), name);
  REQUIRE(c->spec == Spec::v2);
  auto d = decide(*c, rules);
  REQUIRE_MESSAGE(d.ok(), name << ": " << d.error().code << " " << d.error().path);
  return {std::move(c).value(), std::move(d).value()};
}

// The representative accounts kept as golden files (tests/golden/explain/v2/CASE.APPLICANT.*):
// the law binding two programs with agency_year's least t (01), a bloc before and after its
// date (06, 07), the joint city (10), the 2026-07-01 merger (11), final and any membership
// (12, 13), exemptions of both statutes (14, 15), agency_year over the ledger and an earlier
// unit, with a threshold stop (20), an inline any_of program (21), the threshold clamped at 0
// with additional passes (22), and a recruitment no program binds (04).
const std::pair<const char*, const char*> kGoldenCases[] = {
    {"01-law-assigns-programs", "A15"},
    {"01-law-assigns-programs", "A18"},
    {"04-cohort2020-before-since", "A11"},
    {"06-bloc-chungcheong-before", "A11"},
    {"07-bloc-chungcheong-after", "A11"},
    {"10-joint-city", "A13"},
    {"11-merger-2026-07-01", "A12"},
    {"12-final-membership-year", "A01"},
    {"13-any-membership-nonmetro", "A03"},
    {"14-exempt-innovation-holds", "B01"},
    {"14-exempt-innovation-holds", "F01"},
    {"14-exempt-innovation-holds", "G01"},
    {"15-exempt-nonmetro-holds", "B01"},
    {"20-agency-year-ledger-two-units", "B02"},
    {"20-agency-year-ledger-two-units", "B07"},
    {"20-agency-year-ledger-two-units", "C04"},
    {"21-any-of-residents", "A12"},
    {"22-threshold-clamped-zero", "A08"},
};

// Resolves a citation against what it names: the deciding pack's canonical JSON (found by the
// digest the decision records), the region calendar's, or a section heading of SPEC.md.
void check_citation(const Citation& c, const Decision& d, const RuleRegistry& rules,
                    const std::string& spec_text, const std::string& where) {
  CAPTURE(where);
  CAPTURE(c.key);
  switch (c.source) {
    case Citation::Source::pack: {
      const RulePack* pack = rules.find_by_digest(c.digest);
      REQUIRE(pack != nullptr);
      // The pack that decided; or, saying why the law does not bind it, a law pack of the
      // registry that no program in force comes from.
      bool deciding = false, other_law_pack = pack->binds != Binds::none;
      for (const Program& p : d.programs) {
        deciding = deciding || p.pack_digest == c.digest;
        other_law_pack = other_law_pack && p.id != pack->id;
      }
      CHECK_MESSAGE((deciding || other_law_pack),
                    "the cited pack did not decide: " << c.pack << " " << c.digest);
      CHECK(pack->id == c.pack);
      CHECK(pack->version == c.version);
      CHECK(c.key.ends_with("/citation"));
      const json canonical = json::parse(pack->canonical_json());
      const json::json_pointer at(c.key);
      REQUIRE_MESSAGE(canonical.contains(at), "no key " << c.key << " in " << c.pack);
      CHECK(canonical.at(at) == c.text);
      CHECK_FALSE(c.text.empty());
      break;
    }
    case Citation::Source::regions: {
      CHECK(c.digest == rules.regions().digest);
      const json canonical = json::parse(rules.regions().canonical_json());
      const json::json_pointer at(c.key);
      REQUIRE(canonical.contains(at));
      CHECK(canonical.at(at) == c.text);
      break;
    }
    case Citation::Source::spec: {
      // `§4 step 2` names heading "## 4." and its item "2."; `§3.3` heading "### 3.3".
      REQUIRE(c.key.starts_with("§"));
      std::string section = c.key.substr(std::string("§").size());
      std::string step;
      if (auto sp = section.find(" step "); sp != std::string::npos) {
        step = section.substr(sp + 6);
        step = step.substr(0, step.find(' '));  // `§4 step 4 (agency_year)`
        section = section.substr(0, sp);
      }
      const std::string heading = section.find('.') == std::string::npos ? "\n## " + section + ". "
                                                                         : "\n### " + section + " ";
      const auto at = spec_text.find(heading);
      REQUIRE_MESSAGE(at != std::string::npos, "SPEC.md has no section " << c.key);
      if (!step.empty()) {
        const auto end = spec_text.find("\n## ", at + 1);
        CHECK_MESSAGE(spec_text.substr(at, end - at).find("\n" + step + ". ") != std::string::npos,
                      "SPEC.md §" << section << " has no step " << step);
      }
      CHECK_FALSE(c.text.empty());
      break;
    }
  }
}

}  // namespace

TEST_CASE("explain v2: golden accounts of representative decisions, ko and en") {
  for (const auto& [name, id] : kGoldenCases) {
    const DecidedV2 v = decide_v2(name);
    for (const auto& [lang, suffix] :
         {std::pair{Language::ko, ".ko.txt"}, std::pair{Language::en, ".en.txt"}}) {
      auto text = explain(v.c, v.d, bundled_rules(), id, ExplainOptions{lang});
      REQUIRE_MESSAGE(text.ok(), name << " " << id);
      const fs::path file = kGoldenV2 / (std::string(name) + "." + id + suffix);
      if (std::getenv("PASSLINE_WRITE_GOLDEN")) test::spit(file, *text);  // to review in git
      const std::string expected = test::slurp(file);
      REQUIRE_FALSE_MESSAGE(expected.empty(), file.string());
      CHECK_MESSAGE(*text == expected, file.filename().string());
      // The four-argument explain() tells a quota-case/2 decision the same way.
      CHECK(explain(v.c, v.d, id, lang).value() == *text);
    }
  }
}

TEST_CASE("explain v2: every step of every decided vector cites a key of the deciding pack") {
  const std::string spec_text = test::slurp(kV2 / ".." / "SPEC.md");
  REQUIRE_FALSE(spec_text.empty());
  std::size_t cases = 0, steps = 0, pack_citations = 0;
  for (const auto& entry : fs::directory_iterator(kV2)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(".case.json")) continue;
    const std::string name = file.substr(0, file.size() - std::string(".case.json").size());
    if (json::parse(test::slurp(kV2 / (name + ".expected.json"))).contains("error")) continue;
    const DecidedV2 v = decide_v2(name);
    ++cases;
    for (const Unit& unit : v.c.units)
      for (const Applicant& a : unit.applicants)
        for (Language lang : {Language::ko, Language::en}) {
          auto e = explain_steps(v.c, v.d, bundled_rules(), a.id, ExplainOptions{lang});
          REQUIRE(e.ok());
          for (const ExplanationLine& line : e->lines) {
            const std::string where = name + " " + a.id + ": " + line.text;
            // Headings stand at indent 0; every line under one is a step with its citations.
            CHECK_MESSAGE((line.indent == 0 || line.is_step()), where);
            for (const Citation& c : line.citations) {
              check_citation(c, v.d, bundled_rules(), spec_text, where);
              pack_citations += c.source == Citation::Source::pack;
              CHECK_MESSAGE(e->text.find(c.text) != std::string::npos, where);
            }
            steps += line.is_step();
          }
        }
  }
  CHECK(cases == 16);
  CHECK(steps > 5000);
  CHECK(pack_citations > 1000);
}

TEST_CASE("explain v2: citations come from the pack that decided, not from the code") {
  // Every citation of the kr-innovation-city v2 pack rewritten: the account quotes the new text
  // wherever it cites that pack, and the released text nowhere.
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(PASSLINE_SOURCE_DIR) / "rules")) {
    if (entry.path().extension() != ".yaml") continue;
    std::string text = test::slurp(entry.path());
    if (entry.path().filename() == "2018-01-25.v2.yaml") {
      for (std::size_t at = 0; (at = text.find("citation: \"", at)) != std::string::npos;)
        text.insert(at += std::string("citation: \"").size(), "EDITED ");
    }
    files.emplace_back(entry.path().string(), std::move(text));
  }
  auto rules = load_rule_packs(files);
  REQUIRE(rules.ok());
  const DecidedV2 v = decide_v2("14-exempt-innovation-holds", *rules);
  const RulePack* edited = rules->find_by_digest(v.d.programs.at(0).pack_digest);
  REQUIRE(edited != nullptr);
  CHECK(edited->binds_citation.starts_with("EDITED "));
  for (const char* id : {"B01", "G01", "H06"}) {
    auto e = explain_steps(v.c, v.d, *rules, id, ExplainOptions{Language::en});
    REQUIRE(e.ok());
    std::size_t cited = 0;
    for (const ExplanationLine& line : e->lines)
      for (const Citation& c : line.citations)
        if (c.source == Citation::Source::pack && c.pack == "kr-innovation-city") {
          CHECK_MESSAGE(c.text.starts_with("EDITED "), c.key);
          ++cited;
        }
    CHECK(cited > 10);
    const RulePack* released =
        bundled_rules().find("kr-innovation-city", *Date::parse("2022-06-01"), 2);
    REQUIRE(released != nullptr);
    auto count = [&](const std::string& needle) {
      std::size_t n = 0;
      for (std::size_t at = 0; (at = e->text.find(needle, at)) != std::string::npos; ++at) ++n;
      return n;
    };
    CHECK(count("EDITED " + released->binds_citation) == 1);
    CHECK(count(released->binds_citation) == 1);  // only as the edited text quotes it
  }
  // The bundled registry does not know the edited edition: the account refuses to guess.
  auto refused = explain_steps(v.c, v.d, bundled_rules(), "B01", ExplainOptions{});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "unknown_rule_digest");
  CHECK(refused.error().path == "programs[0]");
}

TEST_CASE("explain v2: a quota-case/1 account is the text it always was, without citations") {
  const std::filesystem::path source = PASSLINE_SOURCE_DIR;
  auto c = parse_case_json(test::slurp(source / "examples" / "busan-two-stage.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto e = explain_steps(*c, *d, bundled_rules(), "KAMCO-2023-022", ExplainOptions{Language::ko});
  REQUIRE(e.ok());
  CHECK(e->text == explain(*c, *d, "KAMCO-2023-022", Language::ko).value());
  for (const ExplanationLine& line : e->lines) CHECK_FALSE(line.is_step());
}
