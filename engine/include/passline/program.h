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
/// `on_leave` (휴학) is quota-case/2 only.
enum class EducationStatus : std::uint8_t { graduated, expected, enrolled, dropped, on_leave };
/// The kind of school (quota-case/2): a regular school, a 원격대학 or a 각종학교 (고등교육법 §2).
enum class EducationKind : std::uint8_t { regular, remote, misc };

std::optional<EducationLevel> parse_education_level(std::string_view) noexcept;
std::optional<EducationStatus> parse_education_status(std::string_view) noexcept;
std::optional<EducationKind> parse_education_kind(std::string_view) noexcept;
std::string_view to_string(EducationLevel) noexcept;
std::string_view to_string(EducationStatus) noexcept;
std::string_view to_string(EducationKind) noexcept;

/// Bit masks over EducationLevel / EducationStatus (bit i = enumerator i).
using LevelSet = std::uint8_t;
using StatusSet = std::uint8_t;
using KindSet = std::uint8_t;
constexpr LevelSet level_bit(EducationLevel l) { return LevelSet(1u << static_cast<int>(l)); }
constexpr StatusSet status_bit(EducationStatus s) { return StatusSet(1u << static_cast<int>(s)); }
constexpr KindSet kind_bit(EducationKind k) { return KindSet(1u << static_cast<int>(k)); }

/// One education record of an applicant (SPEC §2).
struct EducationRecord {
  EducationLevel level = EducationLevel::high_school;
  Region region = Region::seoul;
  EducationStatus status = EducationStatus::graduated;
  EducationKind kind = EducationKind::regular;  ///< quota-case/2
  std::optional<int> year{};  ///< quota-case/2: the year completed or expected to be
  friend bool operator==(const EducationRecord&, const EducationRecord&) = default;
};

/// How an education group reads an applicant's records (SPEC §3.1).
enum class Membership : std::uint8_t {
  final,  ///< the final record(s) decide (quota-case/1 always; SPEC §3.1 `final`)
  any,    ///< any accepted record suffices (SPEC §3.1 `any`)
};

/// Education predicate (SPEC §3.1): under `final`, the final education (see final_education)
/// exists, its level is in `levels` and its region in `regions`; under `any`, some record has
/// an accepted level, status, kind and region. `statuses` and `kinds` select which records
/// count at all.
struct EducationGroup {
  LevelSet levels = 0;
  StatusSet statuses = 0;
  RegionSet regions = 0;
  KindSet kinds = kind_bit(EducationKind::regular);
  Membership membership = Membership::final;
  friend bool operator==(const EducationGroup&, const EducationGroup&) = default;
};

/// Attribute predicate: the applicant's attribute `name` equals `equals` (text comparison of the
/// attribute's value; JSON numbers and booleans compare by their JSON text).
struct AttributeGroup {
  std::string name;
  std::string equals;
  friend bool operator==(const AttributeGroup&, const AttributeGroup&) = default;
};

struct GroupNode;

/// `{any_of: [group, ...]}` (SPEC §3.1): in the group when in any of them.
struct AnyOfGroup {
  std::vector<GroupNode> any_of;
  friend bool operator==(const AnyOfGroup&, const AnyOfGroup&);
};

/// A program's group: an education predicate, an attribute predicate, or any of several.
using Group = std::variant<EducationGroup, AttributeGroup, AnyOfGroup>;

struct GroupNode {
  Group group;
  friend bool operator==(const GroupNode&, const GroupNode&) = default;
};
inline bool operator==(const AnyOfGroup& a, const AnyOfGroup& b) { return a.any_of == b.any_of; }

/// The regions of every education predicate in `g` (an any_of's members too).
RegionSet education_regions(const Group& g);

/// The exemption claims of SPEC §3 (quota-case/2), the catalogue programs recognise from.
enum class Claim : std::uint8_t {
  small_field,       ///< 혁신도시법 시행령 §30-2④1
  small_hiring,      ///< 지방대육성법 시행령 §9①1
  experienced,       ///< §30-2④2, §9①3
  research_masters,  ///< §30-2④3
  doctorate,         ///< §9①2
  regional_branch,   ///< §30-2④4
  applicant_share,   ///< §30-2④6, §9①5
};
std::optional<Claim> parse_claim_v2(std::string_view) noexcept;
std::string_view to_string(Claim) noexcept;

/// Where a program in force comes from (SPEC §6 `programs[].source`).
enum class ProgramSource : std::uint8_t { law, case_ };
std::string_view to_string(ProgramSource) noexcept;

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
  Group group;
  Ratio ratio;
  Rounding rounding = Rounding::ceil;
  std::optional<Cap> cap;
  Scope scope = Scope::stage;
  std::int64_t min_planned = 0;

  /// quota-case/2: the claims this program recognises (SPEC §3, §5), and whether
  /// applicant_share compares strictly (< instead of ≤).
  std::vector<Claim> exemptions;
  bool strict_share = false;
  ProgramSource source = ProgramSource::case_;
  /// The citation of each claim's check, parallel to `exemptions` (empty for inline programs).
  std::vector<std::string> exemption_citations;

  /// Provenance, empty for inline programs: the pack version and its SHA-256 content digest.
  std::string pack_version;
  std::string pack_digest;

  bool is_education() const { return group.index() == 0; }
};

/// SPEC §3.1 `final` (quota-case/2): which of an applicant's records are final under `g`. Among
/// the records below graduate school whose status and kind `g` accepts: those of the latest
/// year when every one has a year (`by_year`), else those of the highest level (`top`).
/// in_education_group_v2() and the explanation both read it.
struct FinalEducationV2 {
  bool any = false;      ///< some record counts at all
  bool by_year = false;  ///< every counting record has a year
  int latest_year = 0;
  EducationLevel top = EducationLevel::high_school;
  /// A record that counts (status and kind accepted, below graduate school) and is final.
  bool is_final(const EducationRecord& r, const EducationGroup& g) const {
    if (!any || r.level == EducationLevel::graduate || !(g.statuses & status_bit(r.status)) ||
        !(g.kinds & kind_bit(r.kind)))
      return false;
    return by_year ? r.year == latest_year : r.level == top;
  }
};
FinalEducationV2 final_education_v2(const std::vector<EducationRecord>& records,
                                    const EducationGroup& g);

/// SPEC §3.1 (quota-case/2): the applicant is in education group `g` (membership `final` with
/// years, or `any`; records of a kind not in `g.kinds` never count).
bool in_education_group_v2(const std::vector<EducationRecord>& records, const EducationGroup& g);

/// SPEC-v1 §2, "final education under a program": among the records whose level is not
/// `graduate` and whose status is in `statuses`, those of the highest level. Returns the
/// index of the first such record, or nullopt when none qualifies.
std::optional<std::size_t> final_education(const std::vector<EducationRecord>& records,
                                           StatusSet statuses);

/// True when the education records put the applicant in the group (SPEC §2). When several
/// records share the highest level, the applicant is in the group if any of them is (see
/// docs/DECISIONS.md: SPEC is silent on two degrees of the same level).
bool in_education_group(const std::vector<EducationRecord>& records, const EducationGroup& g);

}  // namespace passline
