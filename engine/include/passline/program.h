// passline: a program, one quota rule as data (SPEC.md §3).
//
// A Program is fully resolved for one recruitment: its group's regions are concrete (the
// agency's bloc already applied), its ratio is the one in force on the announcement date. Rule
// packs (rule_pack.h) produce Programs; a case may also carry one inline.
// Thread-safety: value types; pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "passline/decimal.h"
#include "passline/region.h"

namespace passline {

enum class EducationLevel : std::uint8_t { high_school, college, university, graduate };
enum class EducationStatus : std::uint8_t { graduated, expected, enrolled, dropped };

std::optional<EducationLevel> parse_education_level(std::string_view) noexcept;
std::optional<EducationStatus> parse_education_status(std::string_view) noexcept;
std::string_view to_string(EducationLevel) noexcept;
std::string_view to_string(EducationStatus) noexcept;

/// Bit masks over EducationLevel / EducationStatus (bit i = enumerator i).
using LevelSet = std::uint8_t;
using StatusSet = std::uint8_t;
constexpr LevelSet level_bit(EducationLevel l) { return LevelSet(1u << static_cast<int>(l)); }
constexpr StatusSet status_bit(EducationStatus s) { return StatusSet(1u << static_cast<int>(s)); }

/// One education record of an applicant (SPEC §2).
struct EducationRecord {
  EducationLevel level = EducationLevel::high_school;
  Region region = Region::seoul;
  EducationStatus status = EducationStatus::graduated;
  friend bool operator==(const EducationRecord&, const EducationRecord&) = default;
};

/// Education predicate: the final education (see final_education) exists, its level is in
/// `levels` and its region in `regions`. `statuses` selects which records count at all.
struct EducationGroup {
  LevelSet levels = 0;
  StatusSet statuses = 0;
  RegionSet regions = 0;
  friend bool operator==(const EducationGroup&, const EducationGroup&) = default;
};

/// Attribute predicate: the applicant's attribute `name` equals `equals` (text comparison of the
/// attribute's value; JSON numbers and booleans compare by their JSON text).
struct AttributeGroup {
  std::string name;
  std::string equals;
  friend bool operator==(const AttributeGroup&, const AttributeGroup&) = default;
};

/// Upper bound on one program's additional passes at a stage: round(planned × ratio).
struct Cap {
  Ratio ratio;
  Rounding rounding = Rounding::floor;
  friend bool operator==(const Cap&, const Cap&) = default;
};

/// Where a program's target is measured (SPEC §4).
enum class Scope : std::uint8_t { stage, agency_year };
std::optional<Scope> parse_scope(std::string_view) noexcept;
std::string_view to_string(Scope) noexcept;

/// A resolved program.
struct Program {
  std::string id;
  std::variant<EducationGroup, AttributeGroup> group;
  Ratio ratio;
  Rounding rounding = Rounding::ceil;
  std::optional<Cap> cap;
  Scope scope = Scope::stage;
  std::int64_t min_planned = 0;

  /// Provenance, empty for inline programs: the pack version and its SHA-256 content digest.
  std::string pack_version;
  std::string pack_digest;

  bool is_education() const { return group.index() == 0; }
};

/// SPEC §2, "final education under a program": among the records whose level is not
/// `graduate` and whose status is in `statuses`, those of the highest level. Returns the
/// index of the first such record, or nullopt when none qualifies.
std::optional<std::size_t> final_education(const std::vector<EducationRecord>& records,
                                           StatusSet statuses);

/// True when the education records put the applicant in the group (SPEC §2). When several
/// records share the highest level, the applicant is in the group if any of them is (see
/// docs/DECISIONS.md: SPEC is silent on two degrees of the same level).
bool in_education_group(const std::vector<EducationRecord>& records, const EducationGroup& g);

}  // namespace passline
