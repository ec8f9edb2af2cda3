// The fast route of the log reader (issue 13): quota-case/1 applicant entries read without a JSON
// tree must give exactly what the general reader gives (detail/log_read.h), the same recruitment
// or the same error, on every entry of the conformance logs and on hundreds of damaged or
// unusual variants of them; and replay through it still finds every changed byte.
#include <doctest/doctest.h>

#include "support.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detail/json_forms.h"
#include "detail/log_read.h"
#include "passline/canonical_json.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "passline/log.h"
#include "passline/merkle.h"
#include "passline/rule_pack.h"

using namespace passline;

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> log_of(const fs::path& file, const LogContext& ctx = {}) {
  auto c = parse_case_json(test::slurp(file));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  LogContext at = ctx;
  if (at.decided_at.empty()) at.decided_at = "2026-12-02T07:00:00Z";
  return log_entries(*c, *d, at);
}

/// A passline-log/3 log (salt k: SHA-256 of "salt k") and its openings by absolute index.
struct Log3 {
  std::vector<std::string> entries;
  std::map<std::uint64_t, std::string> openings;
  OpeningSource source() const {
    return [this](std::uint64_t i) -> std::optional<std::string> {
      auto it = openings.find(i);
      return it == openings.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
};

Log3 log3_of(const Case& c, const Decision& d, std::uint64_t first = 0) {
  LogContext ctx;
  ctx.decided_at = "2026-12-02T07:00:00Z";
  ctx.log_index = first;
  ctx.salts.emplace();
  for (const Unit& u : c.units)
    for (std::size_t a = 0; a < u.applicants.size(); ++a)
      ctx.salts->push_back(sha256_hex("salt " + std::to_string(ctx.salts->size())));
  Log3 out;
  out.entries = log_entries(c, d, ctx);
  std::uint64_t index = first + 1;
  std::size_t k = 0;
  for (std::size_t u = 0; u < c.units.size(); ++u)
    for (std::size_t a = 0; a < c.units[u].applicants.size(); ++a)
      out.openings[index++] = log_opening(c, u, a, (*ctx.salts)[k++]);
  return out;
}

const fs::path kV1 = PASSLINE_CONFORMANCE_DIR;
const fs::path kV2 = PASSLINE_CONFORMANCE_V2_DIR;

/// The conformance cases of both specs (some do not decide: callers skip those).
std::vector<fs::path> case_files() {
  std::vector<fs::path> out;
  for (const fs::path& dir : {kV1, kV2})
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().string().ends_with(".case.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// `c` with awkward attributes: escapes, Hangul and private-use names, repeated names, and
/// (quota-case/2) values that are numbers, booleans or strings in their JSON text.
Case odd_attributes(const Case& c) {
  Case odd = c;
  auto& apps = odd.units[0].applicants;
  const bool v2 = odd.spec == Spec::v2;
  auto text = [&](std::string v) { return v2 ? json(v).dump() : v; };
  if (!apps.empty())
    apps[0].attributes = {{"zeta", text("1\tslash\x01")},
                          {"alpha", text("x\"y")},
                          {"zeta", text("2")},
                          {"\xEC\x84\xB1", text("\xEA\xB9\x80")}};
  if (apps.size() > 1)
    apps[1].attributes = {{"\xEE\x80\x80", text("private use")}, {"b", text("plain")}};
  if (apps.size() > 2 && v2)
    apps[2].attributes = {{"n", "31"}, {"t", "true"}, {"f", "false"}, {"z", "0"}, {"m", "-4"}};
  return odd;
}

std::string describe(const Error& e) { return e.code + " | " + e.path + " | " + e.message; }

/// The fast reader and the general one agree on `entries`, and so do their replays.
/// Returns true when the log read back (so callers can count the cases that reached replay).
bool same_reading(const std::vector<std::string>& entries, std::size_t first = 0,
                  const OpeningSource& openings = {}) {
  auto fast = read_log_entries(entries, first, openings);
  auto general = detail::read_log_entries_general(entries, first, openings);
  REQUIRE(fast.ok() == general.ok());
  if (!fast.ok()) {
    CHECK(describe(fast.error()) == describe(general.error()));
    return false;
  }
  REQUIRE(fast->size() == general->size());
  for (std::size_t k = 0; k < fast->size(); ++k) {
    const LoggedRecruitment& f = (*fast)[k];
    const LoggedRecruitment& g = (*general)[k];
    CHECK(f.header_index == g.header_index);
    CHECK(f.erased == g.erased);
    CHECK(f.context == g.context);
    CHECK(f.pack_digests == g.pack_digests);
    CHECK(f.engine_version == g.engine_version);
    CHECK(f.entries == g.entries);
    if (f.erased || g.erased) {
      CHECK(f.input.recruitment.id == g.input.recruitment.id);
      continue;
    }
    CHECK(case_to_json(f.input) == case_to_json(g.input));
    REQUIRE(f.input.units.size() == g.input.units.size());
    for (std::size_t u = 0; u < f.input.units.size(); ++u) {
      const auto& fa = f.input.units[u].applicants;
      const auto& ga = g.input.units[u].applicants;
      REQUIRE(fa.size() == ga.size());
      for (std::size_t a = 0; a < fa.size(); ++a) {
        CHECK(fa[a].id == ga[a].id);
        CHECK(fa[a].education == ga[a].education);
        CHECK(fa[a].scores == ga[a].scores);
        CHECK(fa[a].disqualified == ga[a].disqualified);
        CHECK(fa[a].attributes == ga[a].attributes);  // order too: decide() takes the first
      }
    }
    const ReplayResult rf = replay(f, bundled_rules());
    const ReplayResult rg = replay(g, bundled_rules());
    CHECK(rf.error.has_value() == rg.error.has_value());
    if (rf.error && rg.error) CHECK(describe(*rf.error) == describe(*rg.error));
    CHECK(rf.differing == rg.differing);
    CHECK(rf.first_difference == rg.first_difference);
  }
  return true;
}

/// Entry `text` with `change` applied to its JSON, written back canonically (or as nlohmann
/// writes it when RFC 8785 has no form for it, e.g. a fraction: an entry the reader refuses).
std::string edited(const std::string& text, const std::function<void(json&)>& change) {
  json j = json::parse(text);
  change(j);
  auto canonical = canonical_json(j.dump());
  return canonical.ok() ? *canonical : j.dump();
}

using Change = std::function<void(json&)>;

std::vector<std::pair<std::string, Change>> changes() {
  auto set = [](std::string pointer, json value) -> Change {
    return [pointer, value](json& j) { j[json::json_pointer(pointer)] = value; };
  };
  auto erase = [](std::string key) -> Change { return [key](json& j) { j.erase(key); }; };
  const json school = {{"level", "university"}, {"region", "jeju"}, {"status", "graduated"}};
  return {
      {"score", set("/scores/0", "99.9")},
      {"score zero", set("/scores/0", "0")},
      {"score null", set("/scores/0", nullptr)},
      {"score too fine", set("/scores/0", "1.1234567")},
      {"score number", set("/scores/0", 5)},
      {"score extra", set("/scores/-", "1")},
      {"scores missing", erase("scores")},
      {"outcome", set("/outcomes/0/outcome", "pass_rank")},
      {"outcome failed", set("/outcomes/0/outcome", "fail_below_cut")},
      {"outcome program", set("/outcomes/0/program", "kr-innovation-city")},
      {"outcome escaped", set("/outcomes/0/stage", "writ\"ten")},
      {"outcomes empty", set("/outcomes", json::array())},
      {"attribute string", set("/attributes/veteran", "yes")},
      {"attribute bool", set("/attributes/veteran", true)},
      {"attribute number", set("/attributes/age", 31)},
      {"attribute escaped value", set("/attributes/note", "a\tb")},
      {"attribute escaped name", set("/attributes/a\"b", "x")},
      {"attribute hangul", set("/attributes/\xEC\x84\xB1", "\xEA\xB9\x80")},
      {"attribute private use", set("/attributes/\xEE\x80\x80", "p")},
      {"attribute emoji", set("/attributes/\xF0\x9F\x98\x80", "e")},
      {"attribute two",
       [](json& j) {
         j["attributes"]["b"] = "2";
         j["attributes"]["a"] = "1";
       }},
      {"attributes array", set("/attributes", json::array())},
      {"region", set("/education/0/region", "jeju")},
      {"region unknown", set("/education/0/region", "mars")},
      {"level unknown", set("/education/0/level", "phd")},
      {"status unknown", set("/education/0/status", "asleep")},
      {"education extra member", set("/education/0/year", 2020)},
      {"education added", [school](json& j) { j["education"].push_back(school); }},
      {"education empty", set("/education", json::array())},
      {"disqualified", [](json& j) { j["disqualified"].push_back(j["outcomes"][0]["stage"]); }},
      {"disqualified twice",
       [](json& j) {
         j["disqualified"].push_back(j["outcomes"][0]["stage"]);
         j["disqualified"].push_back(j["outcomes"][0]["stage"]);
       }},
      {"disqualified unknown", [](json& j) { j["disqualified"].push_back("nope"); }},
      {"applicant id", set("/applicant", "Z9999")},
      {"applicant bad id", set("/applicant", "a/b")},
      {"applicant hangul", set("/applicant", "\xED\x95\x9C")},
      {"applicant duplicate", set("/applicant", "A0001")},
      {"local", [](json& j) { j["local"].push_back("kr-innovation-city"); }},
      {"local cleared", set("/local", json::array())},
      {"log_index", set("/log_index", 123456)},
      {"log_index zero", set("/log_index", 0)},
      {"prev", set("/prev", std::string(64, 'a'))},
      {"extra member", set("/zzz", 1)},
      {"missing unit", erase("unit")},
      {"missing local", erase("local")},
      {"other recruitment", set("/recruitment", "OTHER")},
      {"other unit", set("/unit", "U9")},
      {"type", set("/type", "recruitment")},
      // quota-case/2 forms (and, in a quota-case/1 log, members too many or of the wrong kind)
      {"kind", set("/education/0/kind", "remote")},
      {"kind unknown", set("/education/0/kind", "online")},
      {"kind missing", [](json& j) { j["education"][0].erase("kind"); }},
      {"year", set("/education/0/year", 2020)},
      {"year too early", set("/education/0/year", 1800)},
      {"year as text", set("/education/0/year", "2020")},
      {"attribute fraction", set("/attributes/rate", 1.5)},
      {"attribute negative", set("/attributes/rank", -2)},
      {"attribute object", set("/attributes/o", json::object())},
      {"attribute zero", set("/attributes/n", 0)},
  };
}

}  // namespace

TEST_CASE("replay: the fast reader reads every conformance log as the general reader does") {
  int logs = 0;
  for (const auto& file : case_files()) {
    CAPTURE(file.string());
    auto c = parse_case_json(test::slurp(file));
    if (!c.ok() || !decide(*c, bundled_rules()).ok()) continue;
    LogContext ctx;
    ctx.supersedes = "R-OLD";
    const auto entries = log_of(file, ctx);
    CHECK(same_reading(entries));
    CHECK(same_reading(entries, 4096));
    ++logs;
  }
  CHECK(logs >= 25);
}

TEST_CASE("replay: every damaged or unusual applicant entry reads and replays as before") {
  // Each change on the first, a middle and the last applicant entry of three logs (one and two
  // stages, two programs): the fast route takes what it can, the rest goes the general way, and
  // either way the result and the error are the general reader's.
  int read_back = 0, total = 0;
  const std::vector<fs::path> files = {kV1 / "01-basic-shortfall.case.json",
                                       kV1 / "07-two-stages.case.json",
                                       kV1 / "10-two-programs.case.json",
                                       kV2 / "01-law-assigns-programs.case.json"};
  for (const fs::path& name : files) {
    const auto original = log_of(name);
    REQUIRE(original.size() > 3);
    for (std::size_t at : {std::size_t{1}, original.size() / 2, original.size() - 1}) {
      for (const auto& [what, change] : changes()) {
        CAPTURE(name.string());
        CAPTURE(at);
        CAPTURE(what);
        auto entries = original;
        entries[at] = edited(entries[at], change);
        read_back += same_reading(entries) ? 1 : 0;
        ++total;
      }
    }
  }
  // Most changes read back (and replay finds them); the rest are refused the same way.
  CHECK(read_back > total / 2);
  CHECK(read_back < total);
}

TEST_CASE("replay: entries that are not canonical, or out of place, fail as before") {
  const auto original = log_of(kV1 / "07-two-stages.case.json");
  std::vector<std::pair<std::string, std::function<void(std::vector<std::string>&)>>> damages = {
      {"leading space", [](auto& e) { e[2] = " " + e[2]; }},
      {"trailing space", [](auto& e) { e[2] += " "; }},
      {"escaped letter",
       [](auto& e) {
         const auto at = e[3].find("\"A0");
         REQUIRE(at != std::string::npos);
         e[3].replace(at + 1, 1, "\\u0041");
       }},
      {"members out of order",
       [](auto& e) {
         const auto at = e[4].find("\"attributes\":{}");
         REQUIRE(at != std::string::npos);
         e[4].replace(at, 15, "\"attributes\":{\"b\":\"1\",\"a\":\"2\"}");
       }},
      {"duplicate attribute",
       [](auto& e) {
         const auto at = e[4].find("\"attributes\":{}");
         e[4].replace(at, 15, "\"attributes\":{\"a\":\"1\",\"a\":\"1\"}");
       }},
      {"log_index with a leading zero",
       [](auto& e) {
         const auto at = e[5].find("\"log_index\":5");
         REQUIRE(at != std::string::npos);
         e[5].replace(at, 13, "\"log_index\":05");
       }},
      {"log_index beyond 2^53",
       [](auto& e) {
         const auto at = e[5].find("\"log_index\":5");
         e[5].replace(at, 13, "\"log_index\":9007199254740993");
       }},
      {"log_index of 16 digits",
       [](auto& e) {
         const auto at = e[5].find("\"log_index\":5");
         e[5].replace(at, 13, "\"log_index\":1000000000000005");
       }},
      {"invalid UTF-8",
       [](auto& e) {
         const auto at = e[6].find("\"A0");
         e[6].replace(at + 1, 1, "\xC3\x28");
       }},
      {"overlong UTF-8",
       [](auto& e) {
         const auto at = e[6].find("\"A0");
         e[6].replace(at + 1, 1, "\xC1\x81");
       }},
      {"raw control character",
       [](auto& e) {
         const auto at = e[6].find("\"A0");
         e[6].replace(at + 1, 1, "\x01");
       }},
      {"truncated", [](auto& e) { e[7].pop_back(); }},
      {"dropped", [](auto& e) { e.erase(e.begin() + 8); }},
      {"duplicated", [](auto& e) { e.insert(e.begin() + 8, e[8]); }},
      {"swapped", [](auto& e) { std::swap(e[8], e[9]); }},
      {"last missing", [](auto& e) { e.pop_back(); }},
      {"header only", [](auto& e) { e.resize(1); }},
      {"two logs",
       [](auto& e) {
         const auto copy = e;
         e.insert(e.end(), copy.begin(), copy.end());
       }},
  };
  for (const auto& [what, damage] : damages) {
    CAPTURE(what);
    auto entries = original;
    damage(entries);
    same_reading(entries);
  }
}

TEST_CASE("replay: a changed outcome, local mark, index or chain link is found at its entry") {
  // What replay must keep finding through the fast reader: every output byte of an applicant
  // entry, checked against the entry regenerated by deciding again.
  const auto original = log_of(kV1 / "07-two-stages.case.json");
  auto replay_one = [](const std::vector<std::string>& entries) {
    auto read = read_log_entries(entries);
    REQUIRE_MESSAGE(read.ok(), describe(read.error()));
    REQUIRE(read->size() == 1);
    return replay(read->front(), bundled_rules());
  };
  REQUIRE(replay_one(original).ok());
  const std::size_t k = 12;
  const auto flip = [](json& j) {
    j["outcomes"][0]["outcome"] =
        j["outcomes"][0]["outcome"] == "pass_rank" ? "fail_below_cut" : "pass_rank";
  };
  const std::vector<std::pair<std::string, Change>> outputs = {
      {"outcome", flip},
      {"local",
       [](json& j) {
         if (j["local"].empty())
           j["local"].push_back("kr-innovation-city");
         else
           j["local"] = json::array();
       }},
      {"log_index", [](json& j) { j["log_index"] = 99; }},
      {"prev", [](json& j) { j["prev"] = std::string(64, '0'); }},
  };
  for (const auto& [what, change] : outputs) {
    CAPTURE(what);
    auto entries = original;
    entries[k] = edited(entries[k], change);
    const ReplayResult r = replay_one(entries);
    REQUIRE_FALSE(r.error);
    CHECK(r.differing == std::vector<std::size_t>{k});
  }
  // A changed input is found at the header (the input digest) first.
  auto entries = original;
  entries[k] = edited(entries[k], [](json& j) { j["education"][0]["region"] = "jeju"; });
  CHECK(replay_one(entries).first_difference == std::optional<std::size_t>(0));
}

TEST_CASE("replay: the fast writer writes every applicant entry as the general writer does") {
  // The bytes replay compares against: the direct writer of applicant entries (both specs) must
  // give what the JSON-tree writer gives, or fall back to it.
  int logs = 0;
  for (const auto& file : case_files()) {
    CAPTURE(file.string());
    auto c = parse_case_json(test::slurp(file));
    if (!c.ok()) continue;
    auto d = decide(*c, bundled_rules());
    if (!d.ok()) continue;
    LogContext ctx;
    ctx.decided_at = "2026-12-02T07:00:00Z";
    ctx.log_index = 77;
    CHECK(log_entries(*c, *d, ctx) == detail::log_entries_general(*c, *d, ctx));
    // Awkward attributes and records: escapes, Hangul and private-use names, repeated names,
    // and (quota-case/2) values that are numbers, booleans or strings in their JSON text.
    Case odd = odd_attributes(*c);
    auto& apps = odd.units[0].applicants;
    const bool v2 = odd.spec == Spec::v2;
    if (apps.size() > 3 && v2 && !apps[3].education.empty()) {
      apps[3].education[0].year = 2019;
      apps[3].education[0].kind = EducationKind::remote;
    }
    // The input digest's text: quota-case/2 applicants are written directly now, as the whole
    // JSON tree would lay them out.
    if (v2) {
      CHECK(case_to_json(*c) == detail::case_json_v2(*c, true).dump(1, ' ', false) + "\n");
      CHECK(case_to_json(odd) == detail::case_json_v2(odd, true).dump(1, ' ', false) + "\n");
    }
    if (auto od = decide(odd, bundled_rules()); od.ok()) {
      const auto fast = log_entries(odd, *od, ctx);
      CHECK(fast == detail::log_entries_general(odd, *od, ctx));
      for (const auto& e : fast) CHECK(*canonical_json(e) == e);
      CHECK(same_reading(fast, 77));
    }
    ++logs;
  }
  CHECK(logs >= 25);
}

TEST_CASE("replay: the fast reader agrees with the general one on random byte edits") {
  // A small fixed-seed fuzzer over the scanner's edges: one byte of one applicant entry replaced
  // by a JSON-significant byte, deleted, or doubled, in a quota-case/1 and a quota-case/2 log.
  const std::string bytes = "\"\\,:{}[]0195.-na tfe\x01\x7f\x80\xC3\xA9\xEE\xF0";
  std::uint64_t seed = 13;
  auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;  // the PCG multiplier
    return static_cast<std::size_t>((seed >> 33) % n);
  };
  int read_back = 0;
  for (const fs::path& file :
       {kV1 / "07-two-stages.case.json", kV2 / "01-law-assigns-programs.case.json"}) {
    const auto original = log_of(file);
    for (int round = 0; round < 1500; ++round) {
      auto entries = original;
      const std::size_t k = 1 + next(entries.size() - 1);
      std::string& e = entries[k];
      const std::size_t at = next(e.size());
      switch (next(3)) {
        case 0: e[at] = bytes[next(bytes.size())]; break;
        case 1: e.erase(at, 1); break;
        default: e.insert(at, 1, e[at]); break;
      }
      CAPTURE(file.string());
      CAPTURE(k);
      CAPTURE(e);
      read_back += same_reading(entries) ? 1 : 0;
    }
  }
  CHECK(read_back > 0);  // some edits keep a readable entry (a digit of a score, a letter of an id)
}

// --- passline-log/3: entries with commitments, inputs in the openings beside the log ---------

TEST_CASE(
    "replay: log/3 is read fast as the general reader reads it, with all, some or no openings") {
  int logs = 0;
  for (const auto& file : case_files()) {
    CAPTURE(file.string());
    auto c = parse_case_json(test::slurp(file));
    if (!c.ok()) continue;
    auto d = decide(*c, bundled_rules());
    if (!d.ok()) continue;
    for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{4096}}) {
      Log3 log = log3_of(*c, *d, first);
      CHECK(same_reading(log.entries, first, log.source()));
      auto read = read_log_entries(log.entries, first, log.source());
      REQUIRE(read.ok());
      for (const auto& r : *read) {
        CHECK_FALSE(r.erased);
        const ReplayResult res = replay(r, bundled_rules());
        CHECK_MESSAGE(res.ok(), file.string());
      }
      if (log.openings.empty()) continue;
      // One opening gone: the recruitment is erased, on both routes, and replay says so.
      Log3 some = log;
      some.openings.erase(std::next(some.openings.begin(), some.openings.size() / 2));
      CHECK(same_reading(some.entries, first, some.source()));
      auto partial = read_log_entries(some.entries, first, some.source());
      REQUIRE(partial.ok());
      CHECK(partial->front().erased);
      CHECK(replay(partial->front(), bundled_rules()).erased);
      CHECK(same_reading(log.entries, first, OpeningSource{}));
    }
    ++logs;
  }
  CHECK(logs >= 25);
}

TEST_CASE("replay: log/3 entries and openings written fast equal the general writer's") {
  int logs = 0;
  for (const auto& file : case_files()) {
    CAPTURE(file.string());
    auto c = parse_case_json(test::slurp(file));
    if (!c.ok()) continue;
    Case odd = odd_attributes(*c);
    for (const Case* k : {&*c, &odd}) {
      auto d = decide(*k, bundled_rules());
      if (!d.ok()) continue;
      Log3 log = log3_of(*k, *d, 77);
      LogContext ctx;
      ctx.decided_at = "2026-12-02T07:00:00Z";
      ctx.log_index = 77;
      ctx.salts.emplace();
      for (std::size_t n = 0; n < log.openings.size(); ++n)
        ctx.salts->push_back(sha256_hex("salt " + std::to_string(n)));
      CHECK(log.entries == detail::log_entries_general(*k, *d, ctx));
      for (const auto& e : log.entries) CHECK(*canonical_json(e) == e);
      for (const auto& [i, o] : log.openings) CHECK(*canonical_json(o) == o);
      CHECK(same_reading(log.entries, 77, log.source()));
    }
    ++logs;
  }
  CHECK(logs >= 25);
}

TEST_CASE("replay: log/3 fast and general readers agree on random edits of entries and openings") {
  const std::string bytes = "\"\\,:{}[]0195.-na tfe\x01\x7f\x80\xC3\xA9\xEE\xF0";
  std::uint64_t seed = 29;
  auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((seed >> 33) % n);
  };
  int read_back = 0, differ = 0;
  for (const fs::path& file :
       {kV1 / "07-two-stages.case.json", kV2 / "01-law-assigns-programs.case.json"}) {
    auto c = parse_case_json(test::slurp(file));
    REQUIRE(c.ok());
    auto d = decide(*c, bundled_rules());
    REQUIRE(d.ok());
    const Log3 original = log3_of(*c, *d);
    for (int round = 0; round < 1500; ++round) {
      Log3 log = original;
      const std::size_t k = 1 + next(log.entries.size() - 1);
      std::string& e = next(2) ? log.entries[k] : log.openings[k];
      const std::size_t at = next(e.size());
      switch (next(3)) {
        case 0: e[at] = bytes[next(bytes.size())]; break;
        case 1: e.erase(at, 1); break;
        default: e.insert(at, 1, e[at]); break;
      }
      CAPTURE(file.string());
      CAPTURE(k);
      CAPTURE(e);
      if (!same_reading(log.entries, 0, log.source())) continue;
      ++read_back;
      auto read = read_log_entries(log.entries, 0, log.source());
      if (read.ok() && !replay(read->front(), bundled_rules()).ok()) ++differ;
    }
  }
  CHECK(read_back > 0);
  CHECK(differ > 0);  // a changed input or output byte that still reads is found by replay
}
