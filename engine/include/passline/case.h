// passline: the input model, a `quota-case/1` (SPEC.md §6).
//
// HR systems may build a Case in C++ directly or parse one from JSON (case_json.h). decide()
// validates it either way. Scores are indexed by the unit's stage order.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "passline/decimal.h"
#include "passline/program.h"
#include "passline/region.h"

namespace passline {

struct Agency {
  std::string code;
  Region region = Region::seoul;
  int designated = 2018;  ///< the cohort: 2018, or 2020 for agencies added by the 2020 amendment
};

struct Recruitment {
  std::string id;
  Date announced;
};

/// A program as the case names it: a rule pack id, or an inline definition.
using ProgramRef = std::variant<std::string, Program>;

/// The pass threshold (합격하한선) of a stage: a fixed floor, a distance below the cut, or both
/// (then the higher of the two applies).
struct Threshold {
  std::optional<Decimal> min_score;
  std::optional<Decimal> below_cut;
};

struct Stage {
  std::string name;
  std::int64_t planned = 0;
  Threshold threshold;
};

struct Applicant {
  std::string id;
  std::vector<EducationRecord> education;
  /// One entry per stage of the unit, in stage order; nullopt = no score (missing or null).
  std::vector<std::optional<Decimal>> scores;
  /// Bit i set = disqualified at stage i (at most 64 stages).
  std::uint64_t disqualified = 0;
  /// Attribute name → value text, for attribute programs.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct Unit {
  std::string id;
  std::string field;
  std::int64_t planned = 0;
  std::vector<std::string> exemptions;  ///< claims, in the order given
  bool requires_experience = false;
  std::optional<std::string> min_degree;
  std::optional<Region> branch_region;
  std::vector<Stage> stages;
  std::vector<Applicant> applicants;
};

/// One line of the agency's ledger for the year: hires already made in a field.
struct LedgerEntry {
  std::string field;
  std::int64_t hires = 0;
  std::map<std::string, std::int64_t> group_hires;  ///< program id → hires in its group
};

struct Case {
  Agency agency;
  Recruitment recruitment;
  std::vector<ProgramRef> programs;
  std::vector<Unit> units;
  std::vector<LedgerEntry> ledger;  ///< `ledger.prior`
};

/// Maximum number of stages per unit (the disqualified bit mask).
inline constexpr std::size_t kMaxStages = 64;
/// Maximum number of programs per case (the group-membership bit mask).
inline constexpr std::size_t kMaxPrograms = 32;

}  // namespace passline
