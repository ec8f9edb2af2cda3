// passline: the input model, a `quota-case/2` (SPEC.md §6) or a `quota-case/1` (SPEC-v1.md §6).
//
// HR systems may build a Case in C++ directly or parse one from JSON (case_json.h). decide()
// validates it either way. Scores are indexed by the unit's stage order. One model holds both
// versions: `Case::spec` says which rule decides it, and the fields of the other version keep
// their defaults.
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

/// An 이전공공기관등 (혁신도시법 §29-2①): a relocated agency (cohort 2018) or one designated by
/// MOLIT notice under Decree §30-2① (cohort 2020, in force 2020-05-27).
struct InnovationCity {
  int cohort = 2018;
  Date since;               ///< bound from this date (the designation notice's date for 2020)
  bool joint_city = false;  ///< moved to a 공동혁신도시 (Decree §30-2⑥1)
  friend bool operator==(const InnovationCity&, const InnovationCity&) = default;
};

/// The agency's facts that decide which laws bind it (SPEC §2). In storage these come from the
/// agency registry, never from the recruiter.
struct Agency {
  std::string code;
  Region region = Region::seoul;  ///< where it is located (a relocated agency: where it moved)
  int designated = 2018;          ///< quota-case/1 only: the cohort, 2018 or 2020
  /// quota-case/2: designated under 「공공기관의 운영에 관한 법률」.
  bool public_institution = false;
  /// quota-case/2: set for an 이전공공기관등.
  std::optional<InnovationCity> innovation_city{};
};

/// Which specification decides a case: SPEC-v1.md (`quota-case/1`) or SPEC.md (`quota-case/2`).
enum class Spec : std::uint8_t { v1 = 1, v2 = 2 };

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

/// quota-case/2: the claims a unit makes for one program (SPEC §5), in the order given.
struct ProgramClaims {
  std::string program;
  std::vector<std::string> claims;
  friend bool operator==(const ProgramClaims&, const ProgramClaims&) = default;
};

struct Unit {
  std::string id;
  std::string field;
  std::int64_t planned = 0;
  std::vector<std::string> exemptions;  ///< quota-case/1: claims, in the order given
  std::vector<ProgramClaims> claims;    ///< quota-case/2: program id → claims, in document order
  bool requires_experience = false;
  std::optional<std::string> min_degree;
  std::optional<Region> branch_region;
  bool research_post = false;  ///< quota-case/2: a research job series (Decree §30-2④3)
  bool notified_field = false;  ///< quota-case/2: a field MOE notified (지방대육성법 시행령 §9①2)
  std::optional<std::int64_t> branch_service_years;  ///< quota-case/2 (Decree §30-2④4)
  std::vector<Stage> stages;
  std::vector<Applicant> applicants;
};

/// One line of the agency's ledger for the year: hires already made in a field.
struct LedgerEntry {
  std::string field;
  std::int64_t hires = 0;
  std::map<std::string, std::int64_t> group_hires;  ///< program id → hires in its group
  std::int64_t posts = 0;  ///< quota-case/2: planned hires of decided units
  std::map<std::string, std::int64_t> obligated{};  ///< quota-case/2: program id → obligated hires
};

struct Case {
  Spec spec = Spec::v1;
  Agency agency;
  Recruitment recruitment;
  /// quota-case/1: every program; quota-case/2: the further programs beyond those the law binds.
  std::vector<ProgramRef> programs;
  std::vector<Unit> units;
  std::vector<LedgerEntry> ledger;  ///< `ledger.prior`
};

/// Maximum number of stages per unit (the disqualified bit mask).
inline constexpr std::size_t kMaxStages = 64;
/// Maximum number of programs per case (the group-membership bit mask).
inline constexpr std::size_t kMaxPrograms = 32;

}  // namespace passline
