// passline: rule packs, programs as effective-dated data (SPEC.md §3, rules/).
//
// A rule pack version is one YAML file under rules/<id>/<version>.yaml. It names its statute,
// the dates it is in force, its group, and its ratio as a list of dated periods (per agency
// cohort where the law distinguishes cohorts). parse_rule_pack() is strict: an unknown key, a
// missing citation, overlapping or gapped periods, a ratio over 1 are errors that name the
// source and the line. Every version carries a content digest, the SHA-256 of its canonical
// JSON form (RFC 8785 style: sorted keys, no insignificant whitespace), so a log can name the
// exact rules a decision used.
//
// Thread-safety: RulePack and RuleRegistry are immutable after construction; concurrent reads
// are safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/decimal.h"
#include "passline/program.h"
#include "passline/region.h"
#include "passline/result.h"

namespace passline {

/// A dated value with its legal source. `until` is inclusive; nullopt = open-ended.
struct RatioPeriod {
  Date from;
  std::optional<Date> until;
  Ratio ratio;
  std::string citation;
};

/// A widening of the agency's own region to a bloc of regions from a date on.
struct Bloc {
  RegionSet regions = 0;
  Date from;
  std::string citation;
};

/// A region that, from a date on, joins others (SPEC §2: 전남광주통합특별시 from 2026-07-01).
/// From `from`, every region set containing any of `joins` or `region` contains all of them,
/// and the code `region` is valid only from then.
struct RegionMerger {
  Region region = Region::jeonnam_gwangju;
  RegionSet joins = 0;
  Date from;
  std::string citation;
};

/// The dated facts about region codes (rules/regions.yaml).
struct RegionCalendar {
  std::vector<RegionMerger> mergers;
  std::string digest;  ///< SHA-256 of the canonical JSON, empty when no file was read

  /// True when `r` is a valid code for a recruitment announced on `announced`.
  bool valid(Region r, Date announced) const;
  /// `set` with every merger in force on `announced` applied.
  RegionSet widen(RegionSet set, Date announced) const;
  std::string canonical_json() const;
};

/// Parses rules/regions.yaml (errors: bad_rule_pack, path `source:line`).
Result<RegionCalendar> parse_region_calendar(std::string_view yaml_text, std::string_view source);

/// quota-case/2 (SPEC §3.2): the agency facts under which the law binds a pack's program.
enum class Binds : std::uint8_t {
  none,             ///< never by law (a quota-case/1 pack)
  innovation_city,  ///< agency.innovation_city set, announced ≥ its since (혁신도시법 §29-2①)
  public_institution_outside_capital,  ///< 지방대육성법 §13②
};

/// One exemption a quota-case/2 pack recognises, with the provision its check encodes.
struct PackExemption {
  Claim claim = Claim::small_field;
  std::string citation;
};

struct RulePack {
  /// 1: a SPEC-v1 pack (quota-case/1 names it); 2: a SPEC §3 pack with coverage and exemptions.
  int spec = 1;
  std::string id;                       ///< `kr-innovation-city`
  std::string version;                  ///< file stem, e.g. `2018-01-25`
  std::string title;                    ///< human title (Korean and English)
  std::string citation;                 ///< the statute as a whole
  Date effective_from;                  ///< first announcement date this version governs
  std::optional<Date> effective_until;  ///< inclusive; nullopt = open-ended
  std::string effective_citation;

  /// Agencies located in these regions are outside the law (error agency_not_covered).
  RegionSet agencies_not_covered = 0;
  std::string coverage_citation;

  // Group (education predicate).
  LevelSet levels = 0;
  StatusSet statuses = 0;
  /// true: regions = the agency's own region, widened by `blocs`; false: `regions`.
  bool agency_region = false;
  RegionSet regions = 0;
  std::vector<Bloc> blocs;
  std::string group_citation;

  /// Ratio periods by agency cohort (designation year); key 0 = every cohort.
  std::map<int, std::vector<RatioPeriod>> ratio;

  Rounding rounding = Rounding::ceil;
  std::string rounding_citation;
  std::optional<Cap> cap;
  /// The cap's source, or (cap absent) the source saying there is none; empty = key omitted.
  std::string cap_citation;
  Scope scope = Scope::stage;
  std::string scope_citation;
  std::int64_t min_planned = 0;
  std::string min_planned_citation;  ///< empty = key omitted (default 0)

  // spec 2 only.
  Binds binds = Binds::none;
  std::string binds_citation;
  KindSet kinds = kind_bit(EducationKind::regular);
  std::string kinds_citation;
  Membership membership = Membership::final;
  std::string membership_citation;
  /// 이전지역 of an agency at a joint innovation city (Decree §30-2⑥1); 0 = none.
  RegionSet joint_city_regions = 0;
  std::string joint_city_citation;
  /// Further groups counted with the education group (Decree §30-2③), with their source.
  std::vector<std::pair<AttributeGroup, std::string>> also;
  std::vector<PackExemption> exemptions;
  bool strict_share = false;
  std::string strict_share_citation;

  std::string source;  ///< where it was read from (file name), for messages
  std::string digest;  ///< lower-case hex SHA-256 of canonical_json()

  /// The canonical JSON text the digest is computed over.
  std::string canonical_json() const;
};

/// Parses one pack version from YAML text. `source` names the file in error messages
/// (`rules/kr-innovation-city/2018-01-25.yaml:14: unknown key 'ratios'`). The error code is
/// `bad_rule_pack`, its path `source:line`.
Result<RulePack> parse_rule_pack(std::string_view yaml_text, std::string_view source);

/// The program a pack yields for one recruitment. Errors (path left empty for the caller):
/// `agency_not_covered` when the agency's region is outside the law; `no_rule_in_force`
/// when the announcement precedes the pack, or no ratio period of the agency's cohort covers it.
Result<Program> resolve_program(const RulePack& pack, const Agency& agency, Date announced);

/// quota-case/2 (SPEC §3.3): the program a spec-2 pack yields for one recruitment, the
/// agency's 이전지역 and the region mergers applied. Errors as resolve_program().
Result<Program> resolve_program_v2(const RulePack& pack, const Agency& agency, Date announced,
                                   const RegionCalendar& regions);

/// A set of pack versions, looked up by id and date, or by digest (for replay).
class RuleRegistry {
 public:
  /// Adds a version. Error `bad_rule_pack` (path: the pack's source) if the same id already
  /// has a version whose effective dates overlap this one's. An open-ended version is
  /// superseded by a later version of the same id (it ends the day before the later one's
  /// effective_from), so a released file never needs editing; two versions with the same
  /// effective_from, or an explicit effective_until reaching a later version, overlap.
  Status add(RulePack pack);

  /// The version of `id` in force on `announced` (the latest whose effective_from ≤
  /// announced, unless its effective_until has passed), or nullptr.
  const RulePack* find(std::string_view id, Date announced, int spec = 1) const;
  /// Any version of `id` exists (of the given spec).
  bool knows(std::string_view id, int spec = 1) const;
  /// The region calendar (rules/regions.yaml).
  const RegionCalendar& regions() const { return regions_; }
  void set_regions(RegionCalendar regions) { regions_ = std::move(regions); }
  /// The version with this digest, or nullptr.
  const RulePack* find_by_digest(std::string_view digest) const;
  /// Every version, ordered by id then effective_from.
  const std::vector<RulePack>& all() const { return packs_; }

 private:
  std::vector<RulePack> packs_;
  RegionCalendar regions_;
};

/// Reads every `*.yaml` pack text given as (source name, text) pairs into a registry.
Result<RuleRegistry> load_rule_packs(const std::vector<std::pair<std::string, std::string>>& files);

/// The packs shipped in rules/, compiled into the library (generated at build time).
const RuleRegistry& bundled_rules();

/// Lower-case hex SHA-256 of `bytes` (OpenSSL).
std::string sha256_hex(std::string_view bytes);

}  // namespace passline
