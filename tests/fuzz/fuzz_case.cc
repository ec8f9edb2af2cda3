// libFuzzer harness: the JSON case parser, decide(), decision_to_json() and explain() (for
// quota-case/2 also explain_steps(): every step carries a citation).
//
// parse_case_json(data) -> decide(case, bundled_rules()) -> decision_to_json + explain (ko, en)
// for the first applicant. Invariants checked (abort on violation, so libFuzzer records it):
//   * deciding the same case twice gives identical decision bytes (SPEC: deterministic);
//   * the decision document re-parses with nlohmann::json and re-dumps (dump(1) + "\n") to the
//     same bytes (json.h: "nlohmann::json's dump(1) layout");
//   * a few cheap accounting identities of the decision (passed, considered, hires, additional);
//   * every error has a non-empty code and error_to_json() re-parses.
//
// Build: see tests/fuzz/CMakeLists.txt (PASSLINE_BUILD_FUZZ=ON, Clang only).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_case: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

void check_error(const passline::Error& e) {
  if (e.code.name().empty()) violated("error with an empty code", e.message);
  const std::string doc = passline::error_to_json(e);
  if (!nlohmann::json::accept(doc)) violated("error_to_json is not JSON", doc);
}

void check_accounting(const passline::Case& c, const passline::Decision& d) {
  using passline::Outcome;
  if (d.units.size() != c.units.size()) violated("one UnitDecision per unit");
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const passline::Unit& unit = c.units[u];
    const passline::UnitDecision& ud = d.units[u];
    const std::size_t n_stages = unit.stages.size();
    if (ud.stages.size() != n_stages) violated("one StageResult per stage");
    if (ud.outcomes.size() != unit.applicants.size() * n_stages) violated("outcomes size");
    for (std::size_t s = 0; s < n_stages; ++s) {
      const passline::StageResult& st = ud.stages[s];
      std::int64_t passed = 0, considered = 0;
      std::vector<std::int64_t> added(d.programs.size(), 0);
      for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
        const passline::StageOutcome o = ud.outcome(a, s);
        if (passline::is_pass(o.outcome)) ++passed;
        if (o.outcome != Outcome::not_reached && o.outcome != Outcome::fail_disqualified)
          ++considered;
        if (o.outcome == Outcome::pass_additional) {
          if (o.program >= d.programs.size()) violated("additional pass names no program");
          ++added[o.program];
        }
        // Reaching stage s requires passing stage s-1.
        if (s > 0 && o.outcome != Outcome::not_reached &&
            !passline::is_pass(ud.outcome(a, s - 1).outcome))
          violated("an applicant reached a stage without passing the previous one");
      }
      if (passed != st.passed) violated("StageResult::passed != passers counted");
      if (considered != st.considered) violated("StageResult::considered != considered counted");
      if (st.programs.size() != d.programs.size()) violated("one ProgramStageResult per program");
      for (std::size_t p = 0; p < d.programs.size(); ++p) {
        const passline::ProgramStageResult& pr = st.programs[p];
        if (pr.additional != added[p]) violated("ProgramStageResult::additional != counted");
        if (pr.shortfall < 0 || pr.target < 0 || pr.regular < 0) violated("negative count");
        if ((pr.shortfall > 0) != (pr.stopped_by != passline::StoppedBy::none))
          violated("shortfall and stopped_by disagree");
      }
    }
    if (n_stages > 0 && ud.hires != ud.stages.back().passed) violated("hires != last passed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = passline::parse_case_json(text);
  if (!parsed.ok()) {
    check_error(parsed.error());
    return 0;
  }
  const passline::Case& c = parsed.value();
  const passline::RuleRegistry& rules = passline::bundled_rules();
  auto decided = passline::decide(c, rules);
  if (!decided.ok()) {
    check_error(decided.error());
    return 0;
  }
  const passline::Decision& d = decided.value();

  const std::string out = passline::decision_to_json(c, d);
  {
    auto again = passline::decide(c, rules);
    if (!again.ok()) violated("the second decide() failed", std::string(again.error().code.name()));
    if (passline::decision_to_json(c, again.value()) != out)
      violated("decide() twice gives different bytes");
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception& e) {
    violated("the decision is not JSON", std::string(e.what()) + "\n" + out);
  }
  if (doc.dump(1) + "\n" != out) violated("the decision is not nlohmann's dump(1) layout", out);
  check_accounting(c, d);

  // explain() for the first applicant of the first unit that has one.
  for (const passline::Unit& unit : c.units) {
    if (unit.applicants.empty()) continue;
    const std::string& id = unit.applicants.front().id;
    for (auto lang : {passline::Language::ko, passline::Language::en}) {
      auto text_out = passline::explain(c, d, id, lang);
      if (!text_out.ok()) violated("explain() failed for an existing applicant", id);
      if (text_out.value().empty()) violated("explain() gave empty text", id);
      if (c.spec != passline::Spec::v2) continue;
      // quota-case/2: every line under a heading is a step with its citations.
      auto steps = passline::explain_steps(c, d, rules, id, passline::ExplainOptions{lang});
      if (!steps.ok()) violated("explain_steps() failed for an existing applicant", id);
      for (const passline::ExplanationLine& line : steps.value().lines)
        if (line.indent > 0 && !line.is_step()) violated("a step without a citation", line.text);
    }
    break;
  }
  return 0;
}
