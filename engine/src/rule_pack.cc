// Rule packs: the strict YAML loader, the canonical JSON form and its digest, resolution of a
// pack into the Program for one recruitment, and the registry of versions (SPEC.md §3).
// The schema is documented in docs/RULES.md.
#include "passline/rule_pack.h"

#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

namespace passline {
namespace {

// ---------------------------------------------------------------------------------------------
// The strict reader.
//
// A malformed pack is an expected failure, returned as Error{bad_rule_pack, "SOURCE:LINE"}. The
// reader finds it many calls deep, so it unwinds with this private exception, which never
// leaves parse_rule_pack(): the single catch there turns it into the Result.

struct PackProblem {
  int line;  // 1-based
  std::string message;
};

// One allowed key of a mapping.
struct Key {
  const char* name;
  bool required;
};

class Reader {
 public:
  /// 1-based line of a node; 1 when the node carries no position.
  static int line_of(const YAML::Node& node) {
    if (!node.IsDefined()) return 1;
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? 1 : mark.line + 1;
  }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
    throw PackProblem{line_of(at), message};
  }

  /// Checks that `node` is a mapping whose keys are all in `keys`, each at most once, and that
  /// every required key is present. `what` names the mapping in messages (`group`).
  void expect_map(const YAML::Node& node, const std::string& what,
                  std::initializer_list<Key> keys) const {
    if (!node.IsMap()) fail(node, "'" + what + "' must be a mapping" + expected_keys(keys));
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) fail(key, "a key of '" + what + "' is not a plain name");
      const std::string& name = key.Scalar();
      const bool known =
          std::any_of(keys.begin(), keys.end(), [&](const Key& k) { return name == k.name; });
      if (!known) fail(key, "unknown key '" + name + "' in '" + what + "'" + expected_keys(keys));
      if (!seen.insert(name).second) fail(key, "duplicate key '" + name + "' in '" + what + "'");
    }
    for (const Key& k : keys) {
      if (!k.required || seen.count(k.name)) continue;
      if (std::string_view(k.name) == "citation")
        fail(node, "missing citation in '" + what +
                       "': every value must cite its legal source (key 'citation')");
      fail(node, "missing required key '" + std::string(k.name) + "' in '" + what + "'");
    }
  }

  /// The text of a scalar; fails on a mapping, sequence or null.
  std::string text(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, "'" + what + "' must be a single value");
    return node.Scalar();
  }

  /// A non-empty text (titles, citations, ids).
  std::string nonempty_text(const YAML::Node& node, const std::string& what) const {
    std::string t = text(node, what);
    if (t.find_first_not_of(" \t\r\n") == std::string::npos) fail(node, "'" + what + "' is empty");
    return t;
  }

  std::string citation(const YAML::Node& map, const std::string& what) const {
    return nonempty_text(map["citation"], what + ".citation");
  }

  Date date(const YAML::Node& node, const std::string& what) const {
    const std::string t = text(node, what);
    const auto d = Date::parse(t);
    if (!d)
      fail(node, "bad date '" + t + "' in '" + what +
                     "' (expected YYYY-MM-DD naming a real calendar day)");
    return *d;
  }

  /// A sequence of region codes, each at most once. An empty list is allowed only when
  /// `allow_empty`.
  RegionSet regions(const YAML::Node& node, const std::string& what, bool allow_empty,
                    bool v2 = false) const {
    if (!node.IsSequence()) fail(node, "'" + what + "' must be a list of region codes");
    RegionSet set = 0;
    for (const YAML::Node& item : node) {
      const std::string code = text(item, what + "[]");
      const auto r = v2 ? parse_region(code) : parse_region_v1(code);
      if (!r)
        fail(item, "bad region '" + code + "' in '" + what +
                       "' (expected one of the 17 lower-case codes of SPEC §2, e.g. busan)");
      if (set & region_bit(*r)) fail(item, "region '" + code + "' listed twice in '" + what + "'");
      set |= region_bit(*r);
    }
    if (set == 0 && !allow_empty) fail(node, "'" + what + "' lists no region");
    return set;
  }

  Ratio ratio(const YAML::Node& node, const std::string& what, bool at_most_one) const {
    const std::string t = text(node, what);
    const auto r = Ratio::parse(t);
    if (!r)
      fail(node, "bad ratio '" + t + "' in '" + what +
                     "' (expected a decimal such as \"0.3\" or a percentage such as \"30%\")");
    if (at_most_one && r->above_one())
      fail(node, "ratio '" + t + "' in '" + what + "' is over 1 (100%)");
    return *r;
  }

  Rounding rounding(const YAML::Node& node, const std::string& what) const {
    const std::string t = text(node, what);
    const auto r = parse_rounding(t);
    if (!r)
      fail(node, "bad rounding '" + t + "' in '" + what + "' (expected ceil, floor or half_up)");
    return *r;
  }

  /// The key node `name` of mapping `map` (for errors about the key itself, such as a key
  /// that is not allowed beside another); `map` itself when absent.
  static YAML::Node key_of(const YAML::Node& map, std::string_view name) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == name) return it->first;
    return map;
  }

 private:
  static std::string expected_keys(std::initializer_list<Key> keys) {
    std::string out = " (keys: ";
    bool first = true;
    for (const Key& k : keys) {
      if (!first) out += ", ";
      first = false;
      out += k.name;
    }
    return out + ")";
  }
};

/// The version is the file stem: `rules/kr-innovation-city/2018-01-25.yaml` → `2018-01-25`.
std::string version_from_source(std::string_view source) {
  const auto slash = source.find_last_of("/\\");
  std::string_view stem = slash == std::string_view::npos ? source : source.substr(slash + 1);
  for (std::string_view ext : {".yaml", ".yml"}) {
    if (stem.size() > ext.size() && stem.substr(stem.size() - ext.size()) == ext) {
      stem.remove_suffix(ext.size());
      break;
    }
  }
  return std::string(stem);
}

bool is_pack_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void read_effective(const Reader& r, const YAML::Node& node, RulePack& pack) {
  r.expect_map(node, "effective", {{"from", true}, {"until", false}, {"citation", true}});
  pack.effective_from = r.date(node["from"], "effective.from");
  if (node["until"]) {
    pack.effective_until = r.date(node["until"], "effective.until");
    if (*pack.effective_until < pack.effective_from)
      r.fail(node["until"], "effective.until " + pack.effective_until->to_string() +
                                " is before effective.from " + pack.effective_from.to_string());
  }
  pack.effective_citation = r.citation(node, "effective");
}

void read_coverage(const Reader& r, const YAML::Node& node, RulePack& pack) {
  r.expect_map(node, "coverage", {{"agencies_not_covered", true}, {"citation", true}});
  pack.agencies_not_covered =
      r.regions(node["agencies_not_covered"], "coverage.agencies_not_covered", true);
  pack.coverage_citation = r.citation(node, "coverage");
}

void read_group_v2(const Reader& r, const YAML::Node& node, RulePack& pack);

void read_group(const Reader& r, const YAML::Node& node, RulePack& pack) {
  if (pack.spec == 2)
    r.expect_map(node, "group",
                 {{"citation", true},
                  {"levels", true},
                  {"statuses", true},
                  {"kinds", true},
                  {"membership", true},
                  {"regions", true},
                  {"blocs", false},
                  {"joint_city", false},
                  {"also", false}});
  else
    r.expect_map(node, "group",
                 {{"citation", true},
                  {"levels", true},
                  {"statuses", true},
                  {"regions", true},
                  {"blocs", false}});
  pack.group_citation = r.citation(node, "group");

  const YAML::Node levels = node["levels"];
  if (!levels.IsSequence() || levels.size() == 0)
    r.fail(levels, "'group.levels' must be a non-empty list (high_school, college, university)");
  for (const YAML::Node& item : levels) {
    const std::string t = r.text(item, "group.levels[]");
    const auto l = parse_education_level(t);
    if (!l)
      r.fail(item, "bad education level '" + t + "' (expected high_school, college or university)");
    if (*l == EducationLevel::graduate && pack.spec == 1)
      r.fail(item,
             "education level 'graduate' cannot be in a group: graduate school never counts (SPEC "
             "§2)");
    if (pack.levels & level_bit(*l)) r.fail(item, "level '" + t + "' listed twice");
    pack.levels |= level_bit(*l);
  }

  const YAML::Node statuses = node["statuses"];
  if (!statuses.IsSequence() || statuses.size() == 0)
    r.fail(statuses,
           "'group.statuses' must be a non-empty list (graduated, expected, enrolled, dropped)");
  for (const YAML::Node& item : statuses) {
    const std::string t = r.text(item, "group.statuses[]");
    const auto s = parse_education_status(t);
    if (!s)
      r.fail(item, "bad education status '" + t +
                       "' (expected graduated, expected, enrolled or dropped)");
    if (pack.statuses & status_bit(*s)) r.fail(item, "status '" + t + "' listed twice");
    pack.statuses |= status_bit(*s);
  }

  const YAML::Node regions = node["regions"];
  if (regions.IsScalar()) {
    if (regions.Scalar() != "agency")
      r.fail(regions, "'group.regions' must be 'agency' or a list of region codes, not '" +
                          regions.Scalar() + "'");
    pack.agency_region = true;
  } else {
    pack.regions = r.regions(regions, "group.regions", false, pack.spec == 2);
  }
  if (pack.spec == 2) read_group_v2(r, node, pack);

  const YAML::Node blocs = node["blocs"];
  if (!blocs) return;
  if (!pack.agency_region)
    r.fail(Reader::key_of(node, "blocs"),
           "'group.blocs' widen the agency's own region: they need 'regions: agency'");
  if (!blocs.IsSequence()) r.fail(blocs, "'group.blocs' must be a list");
  for (const YAML::Node& item : blocs) {
    r.expect_map(item, "group.blocs[]", {{"regions", true}, {"from", true}, {"citation", true}});
    Bloc bloc;
    bloc.regions = r.regions(item["regions"], "group.blocs[].regions", false, pack.spec == 2);
    if ((bloc.regions & (bloc.regions - 1)) == 0)
      r.fail(item["regions"], "a bloc must join at least two regions");
    bloc.from = r.date(item["from"], "group.blocs[].from");
    bloc.citation = r.citation(item, "group.blocs[]");
    pack.blocs.push_back(std::move(bloc));
  }
}

/// One cohort's periods: each well-formed, in order, contiguous (no gap, no overlap), only the
/// last open-ended, none before the pack is in force.
std::vector<RatioPeriod> read_periods(const Reader& r, const YAML::Node& node,
                                      const std::string& what, const RulePack& pack) {
  if (!node.IsSequence() || node.size() == 0)
    r.fail(node,
           "'" + what + "' must be a non-empty list of periods {from, until?, value, citation}");
  std::vector<RatioPeriod> out;
  std::vector<YAML::Node> nodes;
  for (const YAML::Node& item : node) {
    r.expect_map(item, what + "[]",
                 {{"from", true}, {"until", false}, {"value", true}, {"citation", true}});
    RatioPeriod p;
    p.from = r.date(item["from"], what + "[].from");
    if (item["until"]) {
      p.until = r.date(item["until"], what + "[].until");
      if (*p.until < p.from)
        r.fail(item["until"], "period ends (until " + p.until->to_string() +
                                  ") before it begins (from " + p.from.to_string() + ")");
    }
    p.ratio = r.ratio(item["value"], what + "[].value", true);
    p.citation = r.citation(item, what + "[]");

    if (p.from < pack.effective_from)
      r.fail(item["from"], "period from " + p.from.to_string() +
                               " begins before the pack is in force (effective.from " +
                               pack.effective_from.to_string() + ")");
    if (pack.effective_until && p.until && *pack.effective_until < *p.until)
      r.fail(item["until"], "period until " + p.until->to_string() +
                                " ends after the pack (effective.until " +
                                pack.effective_until->to_string() + ")");
    if (!out.empty()) {
      const RatioPeriod& prev = out.back();
      if (!prev.until)
        r.fail(nodes.back(), "open-ended period (no 'until') from " + prev.from.to_string() +
                                 " is not the last of '" + what + "'");
      if (p.from <= *prev.until)
        r.fail(item["from"], "period from " + p.from.to_string() +
                                 " overlaps the previous period (until " + prev.until->to_string() +
                                 ")");
      if (p.from != prev.until->next_day())
        r.fail(item["from"], "gap before period from " + p.from.to_string() +
                                 ": the previous period ends " + prev.until->to_string() +
                                 ", so this one must begin " + prev.until->next_day().to_string());
    }
    out.push_back(std::move(p));
    nodes.push_back(item);
  }
  return out;
}

void read_ratio(const Reader& r, const YAML::Node& node, RulePack& pack) {
  r.expect_map(node, "ratio", {{"by_cohort", false}, {"periods", false}});
  const YAML::Node by_cohort = node["by_cohort"];
  const YAML::Node periods = node["periods"];
  if (by_cohort && periods)
    r.fail(Reader::key_of(node, "periods"), "'ratio' has both 'by_cohort' and 'periods': give one");
  if (!by_cohort && !periods)
    r.fail(node, "missing required key 'by_cohort' or 'periods' in 'ratio'");
  if (periods) {
    pack.ratio[0] = read_periods(r, periods, "ratio.periods", pack);
    return;
  }
  if (!by_cohort.IsMap() || by_cohort.size() == 0)
    r.fail(by_cohort, "'ratio.by_cohort' must map designation years (2018) to period lists");
  for (auto it = by_cohort.begin(); it != by_cohort.end(); ++it) {
    const YAML::Node key = it->first;
    const std::string year = r.text(key, "ratio.by_cohort key");
    const bool four_digits =
        year.size() == 4 && year[0] != '0' &&
        std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!four_digits)
      r.fail(key, "bad cohort '" + year +
                      "' in 'ratio.by_cohort' (expected a designation year such as 2018)");
    const int cohort = std::stoi(year);
    if (pack.ratio.count(cohort))
      r.fail(key, "duplicate cohort '" + year + "' in 'ratio.by_cohort'");
    pack.ratio[cohort] = read_periods(r, it->second, "ratio.by_cohort." + year, pack);
  }
}

void read_cited_value(const Reader& r, const YAML::Node& node, const std::string& what) {
  r.expect_map(node, what, {{"value", true}, {"citation", true}});
}

/// A YAML scalar as JSON text: a plain true/false or whole number as itself, anything else
/// (and any quoted scalar) as a JSON string, so `equals: true` is not `equals: "true"`.
std::string scalar_json(const YAML::Node& node) {
  const std::string& t = node.Scalar();
  const bool plain = node.Tag() != "!";
  if (plain && (t == "true" || t == "false")) return t;
  const bool digits = plain && !t.empty() && t.size() <= 9 &&
                      std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return t;
  return nlohmann::json(t).dump(-1, ' ', false);
}

void read_group_v2(const Reader& r, const YAML::Node& node, RulePack& pack) {
  const YAML::Node kinds = node["kinds"];
  r.expect_map(kinds, "group.kinds", {{"value", true}, {"citation", true}});
  if (!kinds["value"].IsSequence() || kinds["value"].size() == 0)
    r.fail(kinds["value"], "'group.kinds.value' must be a non-empty list (regular, remote, misc)");
  pack.kinds = 0;
  for (const YAML::Node& item : kinds["value"]) {
    const std::string t = r.text(item, "group.kinds.value[]");
    const auto k = parse_education_kind(t);
    if (!k) r.fail(item, "bad school kind '" + t + "' (expected regular, remote or misc)");
    if (pack.kinds & kind_bit(*k)) r.fail(item, "kind '" + t + "' listed twice");
    pack.kinds |= kind_bit(*k);
  }
  pack.kinds_citation = r.citation(kinds, "group.kinds");

  const YAML::Node membership = node["membership"];
  read_cited_value(r, membership, "group.membership");
  const std::string m = r.text(membership["value"], "group.membership.value");
  if (m == "final")
    pack.membership = Membership::final;
  else if (m == "any")
    pack.membership = Membership::any;
  else
    r.fail(membership["value"], "bad membership '" + m + "' (expected final or any)");
  pack.membership_citation = r.citation(membership, "group.membership");

  if (const YAML::Node joint = node["joint_city"]) {
    if (!pack.agency_region)
      r.fail(Reader::key_of(node, "joint_city"),
             "'group.joint_city' sets the 이전지역 of an agency: it needs 'regions: agency'");
    r.expect_map(joint, "group.joint_city", {{"regions", true}, {"citation", true}});
    pack.joint_city_regions = r.regions(joint["regions"], "group.joint_city.regions", false, true);
    pack.joint_city_citation = r.citation(joint, "group.joint_city");
  }
  if (const YAML::Node also = node["also"]) {
    if (!also.IsSequence()) r.fail(also, "'group.also' must be a list");
    for (const YAML::Node& item : also) {
      r.expect_map(item, "group.also[]", {{"attribute", true}, {"citation", true}});
      const YAML::Node a = item["attribute"];
      r.expect_map(a, "group.also[].attribute", {{"name", true}, {"equals", true}});
      AttributeGroup g;
      g.name = r.nonempty_text(a["name"], "group.also[].attribute.name");
      if (!a["equals"].IsScalar()) r.fail(a["equals"], "'equals' must be a single value");
      g.equals = scalar_json(a["equals"]);
      pack.also.emplace_back(std::move(g), r.citation(item, "group.also[]"));
    }
  }
}

void read_binds(const Reader& r, const YAML::Node& node, RulePack& pack) {
  read_cited_value(r, node, "binds");
  const std::string v = r.text(node["value"], "binds.value");
  if (v == "innovation_city")
    pack.binds = Binds::innovation_city;
  else if (v == "public_institution_outside_capital")
    pack.binds = Binds::public_institution_outside_capital;
  else
    r.fail(node["value"], "bad binds '" + v +
                              "' (expected innovation_city or public_institution_outside_capital)");
  pack.binds_citation = r.citation(node, "binds");
}

void read_exemptions(const Reader& r, const YAML::Node& node, RulePack& pack) {
  r.expect_map(node, "exemptions", {{"claims", true}, {"strict_share", true}});
  const YAML::Node claims = node["claims"];
  if (!claims.IsSequence()) r.fail(claims, "'exemptions.claims' must be a list");
  for (const YAML::Node& item : claims) {
    r.expect_map(item, "exemptions.claims[]", {{"claim", true}, {"citation", true}});
    const std::string t = r.text(item["claim"], "exemptions.claims[].claim");
    const auto claim = parse_claim_v2(t);
    if (!claim)
      r.fail(item["claim"], "bad claim '" + t +
                                "' (expected small_field, small_hiring, experienced, "
                                "research_masters, doctorate, regional_branch or applicant_share)");
    for (const PackExemption& e : pack.exemptions)
      if (e.claim == *claim) r.fail(item["claim"], "claim '" + t + "' listed twice");
    pack.exemptions.push_back({*claim, r.citation(item, "exemptions.claims[]")});
  }
  const YAML::Node strict = node["strict_share"];
  read_cited_value(r, strict, "exemptions.strict_share");
  const std::string v = r.text(strict["value"], "exemptions.strict_share.value");
  if (v != "true" && v != "false")
    r.fail(strict["value"], "'exemptions.strict_share.value' is true or false");
  pack.strict_share = v == "true";
  pack.strict_share_citation = r.citation(strict, "exemptions.strict_share");
}

void read_cap(const Reader& r, const YAML::Node& node, RulePack& pack) {
  if (node.IsMap() && node["value"]) {
    r.expect_map(node, "cap", {{"value", true}, {"citation", true}});
    const std::string v = r.text(node["value"], "cap.value");
    if (v != "none")
      r.fail(node["value"],
             "'cap.value' may only be 'none'; a cap is {ratio, rounding?, citation}");
    pack.cap.reset();
  } else {
    r.expect_map(node, "cap", {{"ratio", true}, {"rounding", false}, {"citation", true}});
    Cap cap;
    cap.ratio = r.ratio(node["ratio"], "cap.ratio", true);  // a cap over 100% means nothing
    if (node["rounding"]) cap.rounding = r.rounding(node["rounding"], "cap.rounding");
    pack.cap = cap;
  }
  pack.cap_citation = r.citation(node, "cap");
}

void read_min_planned(const Reader& r, const YAML::Node& node, RulePack& pack) {
  read_cited_value(r, node, "min_planned");
  const std::string t = r.text(node["value"], "min_planned.value");
  const bool digits = !t.empty() && t.size() <= 9 &&
                      std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits)
    r.fail(node["value"],
           "bad min_planned '" + t + "' (expected a whole number of planned hires, 0 or more)");
  pack.min_planned = std::stoll(t);
  pack.min_planned_citation = r.citation(node, "min_planned");
}

/// The keys every pack has: id, title, citation.
void read_names(const Reader& r, const YAML::Node& root, RulePack& pack) {
  pack.id = r.nonempty_text(root["id"], "id");
  if (!is_pack_id(pack.id))
    r.fail(root["id"], "bad id '" + pack.id + "' (expected lower-case letters, digits and '-')");
  pack.title = r.nonempty_text(root["title"], "title");
  pack.citation = r.nonempty_text(root["citation"], "citation");
}

/// rounding and scope, each a cited value.
void read_rounding_and_scope(const Reader& r, const YAML::Node& root, RulePack& pack) {
  const YAML::Node rounding = root["rounding"];
  read_cited_value(r, rounding, "rounding");
  pack.rounding = r.rounding(rounding["value"], "rounding.value");
  pack.rounding_citation = r.citation(rounding, "rounding");
  const YAML::Node scope = root["scope"];
  read_cited_value(r, scope, "scope");
  const std::string scope_text = r.text(scope["value"], "scope.value");
  const auto s = parse_scope(scope_text);
  if (!s) r.fail(scope["value"], "bad scope '" + scope_text + "' (expected stage or agency_year)");
  pack.scope = *s;
  pack.scope_citation = r.citation(scope, "scope");
}

RulePack read_pack_v2(const Reader& r, const YAML::Node& root, std::string_view source);

RulePack read_pack(const Reader& r, const YAML::Node& root, std::string_view source) {
  if (root.IsMap() && root["spec"]) return read_pack_v2(r, root, source);
  r.expect_map(root, "rule pack",
               {{"id", true},
                {"title", true},
                {"citation", true},
                {"effective", true},
                {"coverage", true},
                {"group", true},
                {"ratio", true},
                {"rounding", true},
                {"scope", true},
                {"cap", false},
                {"min_planned", false}});
  RulePack pack;
  pack.source = std::string(source);
  pack.version = version_from_source(source);
  if (pack.version.empty()) r.fail(root, "the source name gives no version (file stem)");

  read_names(r, root, pack);

  read_effective(r, root["effective"], pack);
  read_coverage(r, root["coverage"], pack);
  read_group(r, root["group"], pack);
  read_ratio(r, root["ratio"], pack);

  read_rounding_and_scope(r, root, pack);

  if (root["cap"]) read_cap(r, root["cap"], pack);
  if (root["min_planned"]) read_min_planned(r, root["min_planned"], pack);
  return pack;
}

RulePack read_pack_v2(const Reader& r, const YAML::Node& root, std::string_view source) {
  r.expect_map(root, "rule pack",
               {{"id", true},
                {"spec", true},
                {"title", true},
                {"citation", true},
                {"effective", true},
                {"binds", true},
                {"group", true},
                {"ratio", true},
                {"rounding", true},
                {"scope", true},
                {"cap", true},
                {"min_planned", true},
                {"exemptions", true}});
  RulePack pack;
  if (r.text(root["spec"], "spec") != "2")
    r.fail(root["spec"], "'spec' is 2 (a SPEC-v1 pack has no 'spec' key)");
  pack.spec = 2;
  pack.source = std::string(source);
  pack.version = version_from_source(source);
  if (pack.version.empty()) r.fail(root, "the source name gives no version (file stem)");
  read_names(r, root, pack);
  read_effective(r, root["effective"], pack);
  read_binds(r, root["binds"], pack);
  read_group(r, root["group"], pack);
  read_ratio(r, root["ratio"], pack);
  read_rounding_and_scope(r, root, pack);
  read_cap(r, root["cap"], pack);
  read_min_planned(r, root["min_planned"], pack);
  read_exemptions(r, root["exemptions"], pack);
  if (pack.scope == Scope::agency_year)
    for (const auto& [cohort, periods] : pack.ratio)
      for (const RatioPeriod& p : periods)
        if (!(p.ratio.numerator() < p.ratio.denominator()))
          r.fail(root["ratio"], "a ratio with scope agency_year must be below 1");
  return pack;
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON.

nlohmann::json region_list(RegionSet set) {
  nlohmann::json out = nlohmann::json::array();
  for (int i = 0; i < kRegionCount; ++i)
    if (set & (RegionSet{1} << i)) out.push_back(std::string(to_string(static_cast<Region>(i))));
  return out;
}

nlohmann::json period_list(const std::vector<RatioPeriod>& periods) {
  nlohmann::json out = nlohmann::json::array();
  for (const RatioPeriod& p : periods) {
    nlohmann::json j = {{"from", p.from.to_string()},
                        {"value", p.ratio.to_string()},
                        {"citation", p.citation}};
    if (p.until) j["until"] = p.until->to_string();
    out.push_back(std::move(j));
  }
  return out;
}

std::string describe_cohort(int cohort) {
  return cohort == 0 ? std::string("every cohort") : "the " + std::to_string(cohort) + " cohort";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string RulePack::canonical_json() const {
  // nlohmann::json's default object is a std::map: keys come out sorted bytewise, and dump()
  // without an indent writes no insignificant whitespace and UTF-8 as is (RFC 8785 for the
  // strings and integers a pack holds; a pack has no floating-point number to canonicalise).
  nlohmann::json j;
  j["id"] = id;
  j["version"] = version;
  j["title"] = title;
  j["citation"] = citation;

  nlohmann::json effective = {{"from", effective_from.to_string()},
                              {"citation", effective_citation}};
  if (effective_until) effective["until"] = effective_until->to_string();
  j["effective"] = std::move(effective);

  j["coverage"] = {{"agencies_not_covered", region_list(agencies_not_covered)},
                   {"citation", coverage_citation}};

  nlohmann::json group;
  group["citation"] = group_citation;
  nlohmann::json levels_json = nlohmann::json::array();
  for (auto l : {EducationLevel::high_school, EducationLevel::college, EducationLevel::university,
                 EducationLevel::graduate})
    if (levels & level_bit(l)) levels_json.push_back(std::string(to_string(l)));
  group["levels"] = std::move(levels_json);
  nlohmann::json statuses_json = nlohmann::json::array();
  for (auto s : {EducationStatus::graduated, EducationStatus::expected, EducationStatus::enrolled,
                 EducationStatus::dropped})
    if (statuses & status_bit(s)) statuses_json.push_back(std::string(to_string(s)));
  group["statuses"] = std::move(statuses_json);
  if (agency_region) {
    group["regions"] = "agency";
    nlohmann::json blocs_json = nlohmann::json::array();
    for (const Bloc& b : blocs)
      blocs_json.push_back({{"regions", region_list(b.regions)},
                            {"from", b.from.to_string()},
                            {"citation", b.citation}});
    group["blocs"] = std::move(blocs_json);
  } else {
    group["regions"] = region_list(regions);
  }
  j["group"] = std::move(group);

  if (ratio.size() == 1 && ratio.count(0)) {
    j["ratio"] = {{"periods", period_list(ratio.at(0))}};
  } else {
    nlohmann::json by_cohort = nlohmann::json::object();
    for (const auto& [cohort, periods] : ratio)
      by_cohort[std::to_string(cohort)] = period_list(periods);
    j["ratio"] = {{"by_cohort", std::move(by_cohort)}};
  }

  j["rounding"] = {{"value", std::string(to_string(rounding))}, {"citation", rounding_citation}};
  j["scope"] = {{"value", std::string(to_string(scope))}, {"citation", scope_citation}};
  if (cap) {
    j["cap"] = {{"ratio", cap->ratio.to_string()},
                {"rounding", std::string(to_string(cap->rounding))},
                {"citation", cap_citation}};
  } else if (!cap_citation.empty()) {
    j["cap"] = {{"value", "none"}, {"citation", cap_citation}};
  }
  if (min_planned != 0 || !min_planned_citation.empty())
    j["min_planned"] = {{"value", min_planned}, {"citation", min_planned_citation}};
  if (spec == 2) {
    // Only spec-2 packs carry these keys, so every spec-1 digest is unchanged.
    j["spec"] = 2;
    j["binds"] = {{"value", binds == Binds::innovation_city ? "innovation_city"
                                                            : "public_institution_outside_capital"},
                  {"citation", binds_citation}};
    nlohmann::json kinds_json = nlohmann::json::array();
    for (auto k : {EducationKind::regular, EducationKind::remote, EducationKind::misc})
      if (kinds & kind_bit(k)) kinds_json.push_back(std::string(to_string(k)));
    j["group"]["kinds"] = {{"value", kinds_json}, {"citation", kinds_citation}};
    j["group"]["membership"] = {{"value", membership == Membership::final ? "final" : "any"},
                                {"citation", membership_citation}};
    if (joint_city_regions)
      j["group"]["joint_city"] = {{"regions", region_list(joint_city_regions)},
                                  {"citation", joint_city_citation}};
    if (!also.empty()) {
      nlohmann::json also_json = nlohmann::json::array();
      for (const auto& [g, citation] : also)
        also_json.push_back(
            {{"attribute", {{"name", g.name}, {"equals", nlohmann::json::parse(g.equals)}}},
             {"citation", citation}});
      j["group"]["also"] = std::move(also_json);
    }
    nlohmann::json claims = nlohmann::json::array();
    for (const PackExemption& e : exemptions)
      claims.push_back({{"claim", std::string(to_string(e.claim))}, {"citation", e.citation}});
    j["exemptions"] = {{"claims", std::move(claims)},
                       {"strict_share",
                        {{"value", strict_share}, {"citation", strict_share_citation}}}};
    j.erase("coverage");
  }
  return j.dump();
}

namespace {

/// Records where documents start, and nothing else.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// The 1-based line where a second YAML document begins, if the text has one. Parses at most
/// two documents.
std::optional<int> second_document_line(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {
  }
  if (starts.starts.size() < 2) return std::nullopt;
  return starts.starts[1].line + 1;
}

}  // namespace

Result<RulePack> parse_rule_pack(std::string_view yaml_text, std::string_view source) {
  const Reader reader;
  auto bad = [&](int line, const std::string& message) {
    const std::string where = std::string(source) + ":" + std::to_string(line);
    return make_error("bad_rule_pack", where, where + ": " + message);
  };
  try {
    // Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever on a stray ',' (yaml-cpp issue
    // #1040). Load the first document, then count document starts with a bounded parse.
    const std::string text(yaml_text);
    const YAML::Node doc = YAML::Load(text);
    if (doc.IsNull()) return bad(1, "empty rule pack");
    if (auto second = second_document_line(text))
      return bad(*second, "one rule pack per file: a second YAML document begins here");
    RulePack pack = read_pack(reader, doc, source);
    pack.digest = sha256_hex(pack.canonical_json());
    return pack;
  } catch (const PackProblem& p) {
    return bad(p.line, p.message);
  } catch (const YAML::Exception& e) {
    return bad(e.mark.is_null() ? 1 : e.mark.line + 1, "not valid YAML: " + e.msg);
  } catch (const nlohmann::json::exception&) {
    return bad(1, "text is not valid UTF-8");
  }
}

Result<Program> resolve_program(const RulePack& pack, const Agency& agency, Date announced) {
  const std::string name = pack.id + " (" + pack.version + ")";
  if (announced < pack.effective_from ||
      (pack.effective_until && *pack.effective_until < announced))
    return make_error("no_rule_in_force", "",
                      name + " governs recruitments announced from " +
                          pack.effective_from.to_string() +
                          (pack.effective_until ? " until " + pack.effective_until->to_string()
                                                : "") +
                          ", not " + announced.to_string());
  if (pack.agencies_not_covered & region_bit(agency.region))
    return make_error("agency_not_covered", "",
                      name + " does not cover agencies located in " +
                          std::string(to_string(agency.region)) + " (" + pack.coverage_citation +
                          ")");

  // The cohort's own periods, or those for every cohort (key 0).
  auto cohort = pack.ratio.find(agency.designated);
  if (cohort == pack.ratio.end()) cohort = pack.ratio.find(0);
  if (cohort == pack.ratio.end())
    return make_error("no_rule_in_force", "",
                      name + " sets no ratio for agencies designated in " +
                          std::to_string(agency.designated));
  const RatioPeriod* period = nullptr;
  for (const RatioPeriod& p : cohort->second)
    if (p.from <= announced && (!p.until || announced <= *p.until)) period = &p;
  if (!period)
    return make_error("no_rule_in_force", "",
                      name + " sets no ratio for " + describe_cohort(cohort->first) + " on " +
                          announced.to_string() + " (its first period begins " +
                          cohort->second.front().from.to_string() + ")");

  EducationGroup group;
  group.levels = pack.levels;
  group.statuses = pack.statuses;
  if (pack.agency_region) {
    // The agency's own region, widened to every bloc it belongs to that is in force on the
    // announcement date (혁신도시법 제29조의2제1항, 시행령 제30조의2제1항).
    group.regions = region_bit(agency.region);
    for (const Bloc& b : pack.blocs)
      if ((b.regions & region_bit(agency.region)) && b.from <= announced)
        group.regions |= b.regions;
  } else {
    group.regions = pack.regions;
  }

  Program program;
  program.id = pack.id;
  program.group = group;
  program.ratio = period->ratio;
  program.rounding = pack.rounding;
  program.cap = pack.cap;
  program.scope = pack.scope;
  program.min_planned = pack.min_planned;
  program.pack_version = pack.version;
  program.pack_digest = pack.digest;
  return program;
}

Status RuleRegistry::add(RulePack pack) {
  for (const RulePack& other : packs_) {
    if (other.id != pack.id || other.spec != pack.spec) continue;
    const RulePack& earlier = other.effective_from <= pack.effective_from ? other : pack;
    const RulePack& later = &earlier == &other ? pack : other;
    const bool same_start = other.effective_from == pack.effective_from;
    // An open-ended earlier version is superseded by the later one; an explicit end must not
    // reach into it.
    const bool reaches =
        earlier.effective_until && later.effective_from <= *earlier.effective_until;
    if (same_start || reaches)
      return make_error("bad_rule_pack", pack.source,
                        pack.source + ": version " + pack.version + " of " + pack.id + " (from " +
                            pack.effective_from.to_string() + ") overlaps version " +
                            other.version + " (" + other.source + ")");
  }
  auto at = std::upper_bound(packs_.begin(), packs_.end(), pack,
                             [](const RulePack& a, const RulePack& b) {
                               return std::tie(a.id, a.spec, a.effective_from) <
                                      std::tie(b.id, b.spec, b.effective_from);
                             });
  packs_.insert(at, std::move(pack));
  return Status::ok_status();
}

const RulePack* RuleRegistry::find(std::string_view id, Date announced, int spec) const {
  // packs_ is ordered by id, spec, effective_from: the last version begun by `announced` governs.
  const RulePack* found = nullptr;
  for (const RulePack& p : packs_)
    if (p.id == id && p.spec == spec && p.effective_from <= announced) found = &p;
  if (found && found->effective_until && *found->effective_until < announced) return nullptr;
  return found;
}

bool RuleRegistry::knows(std::string_view id, int spec) const {
  return std::any_of(packs_.begin(), packs_.end(),
                     [&](const RulePack& p) { return p.id == id && p.spec == spec; });
}

const RulePack* RuleRegistry::find_by_digest(std::string_view digest) const {
  for (const RulePack& p : packs_)
    if (p.digest == digest) return &p;
  return nullptr;
}

Result<RuleRegistry> load_rule_packs(
    const std::vector<std::pair<std::string, std::string>>& files) {
  RuleRegistry registry;
  for (const auto& [source, text] : files) {
    const auto slash = source.find_last_of("/\\");
    if ((slash == std::string::npos ? source : source.substr(slash + 1)) == "regions.yaml") {
      auto calendar = parse_region_calendar(text, source);
      if (!calendar.ok()) return std::move(calendar).error();
      registry.set_regions(std::move(calendar).value());
      continue;
    }
    auto pack = parse_rule_pack(text, source);
    if (!pack.ok()) return std::move(pack).error();
    auto added = registry.add(std::move(pack).value());
    if (!added.ok()) return std::move(added).error();
  }
  return registry;
}

// ---------------------------------------------------------------------------------------------
// quota-case/2: the region calendar and spec-2 resolution (SPEC §2, §3.3–§3.4).

bool RegionCalendar::valid(Region r, Date announced) const {
  if (static_cast<int>(r) < kRegionCountV1) return true;
  for (const RegionMerger& m : mergers)
    if (m.region == r && m.from <= announced) return true;
  return false;
}

RegionSet RegionCalendar::widen(RegionSet set, Date announced) const {
  for (const RegionMerger& m : mergers) {
    if (announced < m.from) continue;
    const RegionSet all = m.joins | region_bit(m.region);
    if (set & all) set |= all;
  }
  return set;
}

std::string RegionCalendar::canonical_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const RegionMerger& m : mergers)
    list.push_back({{"region", std::string(to_string(m.region))},
                    {"joins", region_list(m.joins)},
                    {"from", m.from.to_string()},
                    {"citation", m.citation}});
  return nlohmann::json{{"mergers", std::move(list)}}.dump();
}

Result<RegionCalendar> parse_region_calendar(std::string_view yaml_text, std::string_view source) {
  const Reader r;
  auto bad = [&](int line, const std::string& message) {
    const std::string where = std::string(source) + ":" + std::to_string(line);
    return make_error("bad_rule_pack", where, where + ": " + message);
  };
  try {
    const YAML::Node doc = YAML::Load(std::string(yaml_text));
    r.expect_map(doc, "regions", {{"mergers", true}});
    RegionCalendar out;
    const YAML::Node mergers = doc["mergers"];
    if (!mergers.IsSequence()) r.fail(mergers, "'mergers' must be a list");
    for (const YAML::Node& item : mergers) {
      r.expect_map(item, "mergers[]",
                   {{"region", true}, {"joins", true}, {"from", true}, {"citation", true}});
      RegionMerger m;
      const std::string code = r.text(item["region"], "mergers[].region");
      const auto region = parse_region(code);
      if (!region || static_cast<int>(*region) < kRegionCountV1)
        r.fail(item["region"], "'" + code + "' is not a region that a merger creates");
      m.region = *region;
      m.joins = r.regions(item["joins"], "mergers[].joins", false, false);
      m.from = r.date(item["from"], "mergers[].from");
      m.citation = r.citation(item, "mergers[]");
      out.mergers.push_back(std::move(m));
    }
    out.digest = sha256_hex(out.canonical_json());
    return out;
  } catch (const PackProblem& p) {
    return bad(p.line, p.message);
  } catch (const YAML::Exception& e) {
    return bad(e.mark.is_null() ? 1 : e.mark.line + 1, "not valid YAML: " + e.msg);
  }
}

Result<Program> resolve_program_v2(const RulePack& pack, const Agency& agency, Date announced,
                                   const RegionCalendar& regions) {
  const std::string name = pack.id + " (" + pack.version + ")";
  if (announced < pack.effective_from ||
      (pack.effective_until && *pack.effective_until < announced))
    return make_error("no_rule_in_force", "",
                      name + " governs recruitments announced from " +
                          pack.effective_from.to_string() + ", not " + announced.to_string());
  const int cohort_year = agency.innovation_city ? agency.innovation_city->cohort : 0;
  auto cohort = pack.ratio.find(cohort_year);
  if (cohort == pack.ratio.end()) cohort = pack.ratio.find(0);
  if (cohort == pack.ratio.end())
    return make_error("no_rule_in_force", "",
                      name + " sets no ratio for the " + std::to_string(cohort_year) + " cohort");
  const RatioPeriod* period = nullptr;
  for (const RatioPeriod& p : cohort->second)
    if (p.from <= announced && (!p.until || announced <= *p.until)) period = &p;
  if (!period)
    return make_error("no_rule_in_force", "",
                      name + " sets no ratio for " + describe_cohort(cohort->first) + " on " +
                          announced.to_string());

  EducationGroup education;
  education.levels = pack.levels;
  education.statuses = pack.statuses;
  education.kinds = pack.kinds;
  education.membership = pack.membership;
  if (pack.agency_region) {
    // 이전지역 (Decree §30-2⑥): the joint city's regions (⑥1), else the bloc of the agency's
    // region in force on the announcement date (⑥2–4), else its own region (⑥5).
    const bool joint = agency.innovation_city && agency.innovation_city->joint_city;
    if (joint && pack.joint_city_regions) {
      education.regions = pack.joint_city_regions;
    } else {
      education.regions = region_bit(agency.region);
      for (const Bloc& b : pack.blocs)
        if ((b.regions & region_bit(agency.region)) && b.from <= announced)
          education.regions |= b.regions;
    }
  } else {
    education.regions = pack.regions;
  }
  education.regions = regions.widen(education.regions, announced);

  Program program;
  program.id = pack.id;
  if (pack.also.empty()) {
    program.group = education;
  } else {
    AnyOfGroup any;
    any.any_of.push_back(GroupNode{education});
    for (const auto& [g, citation] : pack.also) any.any_of.push_back(GroupNode{g});
    program.group = std::move(any);
  }
  program.ratio = period->ratio;
  program.rounding = pack.rounding;
  program.cap = pack.cap;
  program.scope = pack.scope;
  program.min_planned = pack.min_planned;
  for (const PackExemption& e : pack.exemptions) {
    program.exemptions.push_back(e.claim);
    program.exemption_citations.push_back(e.citation);
  }
  program.strict_share = pack.strict_share;
  program.pack_version = pack.version;
  program.pack_digest = pack.digest;
  return program;
}

}  // namespace passline
