// The fast route of parse_case_json() (case_json_fast.cc): on every quota-case/1 document of the
// conformance suite, on generated cases, and on thousands of damaged or unusual variants of
// them, parse_case_json() gives exactly what the general reader over a JSON tree gives (the same
// case, or the same error with the same path and message), and the fast route does answer the
// documents it is meant for (the benchmark's form, whitespace, member order, unknown members).
#include <doctest/doctest.h>

#include "support.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "case_generator.h"
#include "detail/case_json_fast.h"
#include "passline/json.h"

using namespace passline;

namespace {
namespace fs = std::filesystem;

// Everything of the case, attributes in their order and repeats included (case_to_json keeps a
// repeated attribute name once).
std::string describe(const Case& c) {
  std::string out = case_to_json(c);
  for (const Unit& u : c.units)
    for (const Applicant& a : u.applicants) {
      out += a.id + ":";
      for (const auto& [k, v] : a.attributes) out += k + "=" + v + ";";
      out += std::to_string(a.disqualified) + "\n";
    }
  return out;
}

std::string describe(const Result<Case>& r) {
  if (!r)
    return "error " + std::string(r.error().code.name()) + " at " + r.error().path + ": " +
           r.error().message;
  return describe(*r);
}

// parse_case_json(text) and the general reader agree; returns whether the fast route answered.
bool same_as_general(const std::string& text) {
  const auto fast = detail::parse_case_json_fast(text);
  const Result<Case> general = detail::parse_case_json_general(text);
  if (fast) {
    REQUIRE_MESSAGE(general.ok(), text);
    CHECK_MESSAGE(describe(*fast) == describe(general), text);
  }
  CHECK_MESSAGE(describe(parse_case_json(text)) == describe(general), text);
  return fast.has_value();
}

std::vector<std::string> documents() {
  std::vector<std::string> out;
  for (const fs::path& dir :
       {fs::path(PASSLINE_CONFORMANCE_DIR), fs::path(PASSLINE_SOURCE_DIR) / "examples"})
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().string().ends_with(".case.json")) out.push_back(test::slurp(e.path()));
  std::mt19937 rng(12);
  for (int i = 0; i < 20; ++i) out.push_back(case_to_json(test::generate(rng, i % 2 == 0)));
  return out;
}

// The benchmark's form (bench/http/make_case.py): compact separators with spaces.
const std::string kBench =
    R"({"format": "quota-case/1", "agency": {"code": "BENCH", "region": "busan", "designated": 2018}, "recruitment": {"id": "R1", "announced": "2023-03-06"}, "programs": ["kr-innovation-city"], "units": [{"id": "U1", "field": "office", "planned": 2, "stages": [{"name": "written", "planned": 4, "threshold": {"min_score": "60"}}, {"name": "interview", "planned": 2, "threshold": {"min_score": "70", "below_cut": "10"}}], "applicants": [{"id": "R1-000000", "education": [{"level": "high_school", "region": "seoul", "status": "graduated"}, {"level": "university", "region": "busan", "status": "graduated"}], "scores": {"written": "50.0", "interview": "60"}}, {"id": "R1-000001", "education": [{"level": "university", "region": "seoul", "status": "graduated"}], "scores": {"written": "87.1", "interview": "73"}, "disqualified": ["interview"], "attributes": {"track": "local", "age": 31, "veteran": true}}]}]})";

}  // namespace

TEST_CASE("fast case reader: the conformance and generated cases read as the general reader") {
  int answered = 0;
  for (const std::string& text : documents()) answered += same_as_general(text) ? 1 : 0;
  CHECK(answered >= 30);  // every well-formed quota-case/1 document but the refused ones
  CHECK(same_as_general(kBench));
}

TEST_CASE("fast case reader: unusual but valid forms") {
  auto with = [](std::string from, const std::string& what, const std::string& by) {
    const auto at = from.find(what);
    REQUIRE(at != std::string::npos);
    return from.replace(at, what.size(), by);
  };
  // Answered by the fast route: unknown members skipped, nulls, attributes out of order.
  for (const std::string& text :
       {with(kBench, R"("id": "R1-000000",)",
             R"("id": "R1-000000", "note": {"x": [1, {"y": null}]}, "n": 2.5,)"),
        with(kBench, R"("scores": {"written": "50.0", "interview": "60"})",
             R"("scores": {"interview": null, "written": "50.0"}, "note": null)"),
        with(kBench, R"("status": "graduated"}, {"level": "university")",
             R"("status": "graduated", "year": 1999}, {"level": "university")"),
        with(kBench, R"({"track": "local", "age": 31, "veteran": true})",
             R"({"z": "1", "a": -4, "m": false})"),
        with(kBench, "\"applicants\": [", "\"applicants\"  :\n\t[ "),
        with(kBench, R"("id": "R1-000000",)", R"("id": "R1-00000\u0030",)"),
        with(kBench, R"("disqualified": ["interview"])", R"("disqualified": null)")})
    CHECK(same_as_general(text));
  // Left to the general reader (the fast route does not answer), with the same result.
  for (const std::string& text :
       {with(kBench, R"("id": "R1-000000",)", R"("id": "R1-000000", "id": "R1-000009",)"),
        with(kBench, R"("written": "50.0",)", R"("written": "50.0", "written": "51",)"),
        with(kBench, R"("scores": {"written": "50.0", "interview": "60"})",
             R"("scores": {"written": "50.0", "interview": "60"}, "education": null)"),
        with(kBench, R"("id": "U1",)", R"("applicants": [], "id": "U1",)"),

        with(kBench, R"("format": "quota-case/1",)", R"("units": [], "format": "quota-case/1",)")})
    CHECK_FALSE(same_as_general(text));
}

TEST_CASE("fast case reader: damaged documents give the general reader's errors") {
  // Each document cut, or one of its tokens replaced, at many places.
  static const char* kTokens[] = {"null",     "1",       "-1",          "1e999",
                                  "2.5",      "\"\"",    "\"x\"",       "{}",
                                  "[]",       "true",    "\"seoul\"",   "\"graduated\"",
                                  "\"80.5\"", "\"a/b\"", "\"written\"", ",",
                                  ":",        "}",       "]",           "\"\\u00e9\""};
  std::mt19937 rng(7);
  std::vector<std::string> bases = {kBench};
  for (const std::string& d : documents())
    if (d.size() < 20000) bases.push_back(d);
  int checked = 0;
  for (const std::string& base : bases)
    for (int i = 0; i < 150; ++i) {
      std::string text = base;
      const std::size_t at = rng() % text.size();
      const std::size_t len = rng() % 12;
      if (i % 10 == 0)
        text.resize(at);
      else
        text.replace(at, std::min(len, text.size() - at), kTokens[rng() % std::size(kTokens)]);
      same_as_general(text);
      ++checked;
    }
  CHECK(checked > 1000);
}
