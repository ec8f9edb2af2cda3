// The demo year (year.h): recruitments, units, stages and applicants for every agency of the
// directory, drawn from the agency's own random stream so that one agency's draws never depend
// on another's. Only integer arithmetic and our own generator (xoshiro256**, seeded through
// splitmix64), so the output is the same on every machine and standard library.
#include "passline/demo/year.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agency_table.h"
#include "passline/app/ledger.h"
#include "passline/decision.h"
#include "passline/rule_pack.h"

namespace passline::demo {
namespace {

using detail::AgencyProfile;
using detail::Sector;

// ---------------------------------------------------------------------------------------------
// Randomness: splitmix64 to seed, xoshiro256** to draw (Blackman & Vigna), rejection sampling
// for unbiased integer ranges. No <random> distributions: their output differs by library.

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [lo, hi] (inclusive), lo ≤ hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;
    const std::uint64_t reject_below = (0 - range) % range;  // 2^64 mod range
    std::uint64_t x = next();
    while (x < reject_below) x = next();
    return lo + static_cast<std::int64_t>(x % range);
  }

  /// True with probability p/100.
  bool percent(int p) { return between(0, 99) < p; }
  /// True with probability p/1000.
  bool per_mille(int p) { return between(0, 999) < p; }

  /// An index drawn with the given integer weights (not all zero).
  std::size_t weighted(const std::vector<int>& weights) {
    std::int64_t total = 0;
    for (int w : weights) total += w;
    std::int64_t x = between(0, total - 1);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

/// FNV-1a, to give each agency its own stream from its code.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng stream(std::uint64_t seed, int year, std::string_view name) {
  std::uint64_t s = seed;
  const std::uint64_t a = splitmix64(s);
  return Rng(a ^ fnv1a(name) ^ (static_cast<std::uint64_t>(year) * 0x9e3779b97f4a7c15ULL));
}

std::string pad(std::int64_t n, int width) {
  std::string s = std::to_string(n);
  if (static_cast<int>(s.size()) < width)
    s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Fields (시험실시분야) and what each sector hires for.

struct Field {
  const char* ko;
  const char* slug;   ///< ASCII, for unit ids
  int applicants_lo;  ///< applicants per planned hire
  int applicants_hi;
};

constexpr Field kOffice{"사무", "office", 15, 40};
constexpr Field kElec{"전기", "elec", 8, 25};
constexpr Field kMech{"기계", "mech", 8, 22};
constexpr Field kCivil{"토목", "civil", 8, 22};
constexpr Field kArch{"건축", "arch", 8, 20};
constexpr Field kChem{"화공", "chem", 8, 20};
constexpr Field kIt{"전산", "it", 10, 30};
constexpr Field kComm{"통신", "comm", 8, 20};
constexpr Field kResearch{"연구", "research", 5, 12};
constexpr Field kNurse{"간호", "nurse", 5, 10};
constexpr Field kHealth{"보건", "health", 6, 15};

/// Fields so rare in an agency that a year's hires in them stay at 5 or fewer (small_field).
constexpr std::array<Field, 5> kRareFields = {Field{"법무", "law", 10, 30},
                                              Field{"통계", "stats", 8, 20},
                                              Field{"기록관리", "records", 8, 20},
                                              Field{"디자인", "design", 10, 30},
                                              Field{"사서", "library", 8, 25}};

struct Weighted {
  const Field* field;
  int weight;
};

std::vector<Weighted> palette(Sector sector) {
  switch (sector) {
    case Sector::energy:
      return {{&kOffice, 30}, {&kElec, 30}, {&kMech, 20}, {&kChem, 8}, {&kCivil, 6}, {&kIt, 6}};
    case Sector::finance: return {{&kOffice, 75}, {&kIt, 25}};
    case Sector::infra:
      return {{&kOffice, 30}, {&kCivil, 30}, {&kArch, 15}, {&kMech, 10}, {&kElec, 10}, {&kIt, 5}};
    case Sector::ict: return {{&kOffice, 25}, {&kIt, 60}, {&kComm, 15}};
    case Sector::research: return {{&kResearch, 60}, {&kOffice, 30}, {&kIt, 10}};
    case Sector::health: return {{&kOffice, 35}, {&kNurse, 40}, {&kHealth, 15}, {&kIt, 10}};
    case Sector::welfare: return {{&kOffice, 70}, {&kNurse, 10}, {&kHealth, 10}, {&kIt, 10}};
    case Sector::culture: return {{&kOffice, 80}, {&kIt, 20}};
    case Sector::general: return {{&kOffice, 75}, {&kIt, 15}, {&kMech, 10}};
    case Sector::government: return {{&kOffice, 60}, {&kResearch, 25}, {&kIt, 15}};
  }
  return {{&kOffice, 1}};
}

// ---------------------------------------------------------------------------------------------
// The plan of one unit before its applicants are drawn.

enum class Kind {
  regular,
  experienced,       ///< claims `experienced`: requires_experience
  research_masters,  ///< claims `research_masters`: min_degree masters
  regional_branch,   ///< claims `regional_branch`: a branch outside every program's regions
  small_field,       ///< claims `small_field`: a field with at most 5 hires in the year
  scarce_locals,     ///< no local applicant at all: a shortfall stopped by the pool
  weak_locals,       ///< local applicants all under the first stage's floor: stopped by threshold
};

struct UnitPlan {
  Kind kind = Kind::regular;
  const Field* field = &kOffice;
  std::int64_t planned = 1;
};

struct RecruitmentPlan {
  Date announced;
  std::vector<UnitPlan> units;
};

constexpr const char* kDocument = "서류";
constexpr const char* kWritten = "필기";
constexpr const char* kInterview = "면접";

/// Whether sector agencies hire into regional branches (지역본부·지사).
bool has_branches(Sector s) {
  return s != Sector::research && s != Sector::government && s != Sector::culture;
}

constexpr const char* kInnovationCity = "kr-innovation-city";
constexpr const char* kNonmetro = "kr-nonmetro-35";

/// Whether the law binds `pack` to `agency` on `date` (SPEC §3.2, the pack's `binds`).
bool law_binds(const RulePack& pack, const Agency& agency, Date date) {
  switch (pack.binds) {
    case Binds::innovation_city:
      return agency.innovation_city && agency.innovation_city->since <= date;
    case Binds::public_institution_outside_capital:
      return agency.public_institution && !is_capital(agency.region);
    case Binds::none: return false;
  }
  return false;
}

/// The programs the law binds a quota-case/2 recruitment of `agency` announced on `date` to, in
/// SPEC §3.2's order, resolved (their groups' regions): what decide() will find in force. The
/// case names none of them.
std::vector<Program> programs_in_force(const Agency& agency, Date date) {
  std::vector<Program> out;
  for (std::string_view id : {kInnovationCity, kNonmetro}) {
    const RulePack* pack = bundled_rules().find(id, date, 2);
    if (pack == nullptr || !law_binds(*pack, agency, date)) continue;
    auto program = resolve_program_v2(*pack, agency, date, bundled_rules().regions());
    if (program.ok()) out.push_back(std::move(program).value());
  }
  return out;
}

bool recognises(const Program& p, Claim claim) {
  return std::find(p.exemptions.begin(), p.exemptions.end(), claim) != p.exemptions.end();
}

/// The claim a unit of `kind` makes for kr-innovation-city (Decree §30-2④), if any.
std::optional<Claim> innovation_city_claim(Kind kind) {
  switch (kind) {
    case Kind::experienced: return Claim::experienced;
    case Kind::research_masters: return Claim::research_masters;
    case Kind::regional_branch: return Claim::regional_branch;
    case Kind::small_field: return Claim::small_field;
    default: return std::nullopt;
  }
}

/// SPEC §5: each unit's claims, per program in force that recognises them and only where the
/// data supports them: kr-innovation-city's by the unit's kind (the unit was built with the
/// facts the claim needs: requires_experience, min_degree and research_post, a branch outside
/// the program's regions, a field of its own); kr-nonmetro-35's `experienced` likewise, else
/// `small_hiring` while the agency's posts of the year (ledger.prior and this case) are 5 or
/// fewer (지방대육성법 시행령 §9①1).
void claim_exemptions(Case& c, const std::vector<Program>& programs,
                      const std::vector<Kind>& kinds) {
  std::int64_t posts = 0;
  for (const LedgerEntry& e : c.ledger) posts += e.posts;
  for (const Unit& u : c.units) posts += u.planned;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    Unit& unit = c.units[u];
    for (const Program& p : programs) {
      std::optional<Claim> claim;
      if (p.id == kInnovationCity) {
        claim = innovation_city_claim(kinds[u]);
      } else if (unit.requires_experience) {
        claim = Claim::experienced;
      } else if (posts <= 5) {
        claim = Claim::small_hiring;
      }
      if (claim && recognises(p, *claim))
        unit.claims.push_back({p.id, {std::string(to_string(*claim))}});
    }
  }
}

/// The regions of the program's education group (SPEC §3.1: a quota-case/2 pack's group is
/// any_of its education group and an attribute group).
RegionSet education_regions(const Program& p) { return passline::education_regions(p.group); }

std::vector<Region> regions_of(RegionSet set) {
  std::vector<Region> out;
  for (int r = 0; r < kRegionCount; ++r)
    if (set & region_bit(static_cast<Region>(r))) out.push_back(static_cast<Region>(r));
  return out;
}

/// A quota-case/1 education record (no kind, no year).
EducationRecord record(EducationLevel level, Region region, EducationStatus status) {
  return {level, region, status, EducationKind::regular, std::nullopt};
}

/// Draws applicants' education: local ones inside the innovation-city group, others outside.
class EducationDraw {
 public:
  EducationDraw(Region home, RegionSet group) : home_(home) {
    for (Region r : regions_of(group))
      if (r != home) partners_.push_back(r);
    for (Region r : regions_of(kAllRegionsV1 & ~group)) {
      others_.push_back(r);
      other_weights_.push_back(r == Region::seoul      ? 35
                               : r == Region::gyeonggi ? 20
                               : r == Region::incheon  ? 5
                                                       : 4);
    }
  }

  /// Records whose final education (SPEC §2) lies in the group.
  std::vector<EducationRecord> local(Rng& rng) const {
    using L = EducationLevel;
    using S = EducationStatus;
    const Region r = partners_.empty() || rng.percent(80)
                         ? home_
                         : partners_[static_cast<std::size_t>(
                               rng.between(0, static_cast<std::int64_t>(partners_.size()) - 1))];
    const S last = rng.percent(25) ? S::expected : S::graduated;
    std::vector<EducationRecord> out;
    const int pattern = static_cast<int>(rng.between(0, 99));
    if (pattern < 60) {  // local high school and university
      out = {record(L::high_school, r, S::graduated), record(L::university, r, last)};
    } else if (pattern < 80) {  // came from elsewhere for a local university
      out = {record(L::high_school, other(rng), S::graduated), record(L::university, r, last)};
    } else if (pattern < 90) {  // a local high-school graduate (고졸 채용)
      out = {record(L::high_school, r, last)};
    } else {  // local college (전문대)
      out = {record(L::high_school, r, S::graduated), record(L::college, r, last)};
    }
    if (rng.percent(5))
      out.push_back(record(L::graduate, Region::seoul, S::graduated));  // never counts
    return out;
  }

  /// Records whose final education lies outside the group.
  std::vector<EducationRecord> non_local(Rng& rng) const {
    using L = EducationLevel;
    using S = EducationStatus;
    const Region r = other(rng);
    const S last = rng.percent(25) ? S::expected : S::graduated;
    const int pattern = static_cast<int>(rng.between(0, 99));
    std::vector<EducationRecord> out;
    if (pattern < 60) {
      out = {record(L::high_school, r, S::graduated), record(L::university, r, last)};
    } else if (pattern < 80) {  // a local high school, then a university elsewhere: not local
      out = {record(L::high_school, home_, S::graduated), record(L::university, r, last)};
    } else if (pattern < 90) {
      out = {record(L::high_school, r, S::graduated), record(L::college, other(rng), last)};
    } else if (pattern < 95) {  // dropped out of a local university: the high school is final
      out = {record(L::high_school, r, S::graduated), record(L::university, home_, S::dropped)};
    } else {  // a local graduate school never counts
      out = {record(L::high_school, r, S::graduated),
             record(L::university, other(rng), S::graduated),
             record(L::graduate, home_, S::graduated)};
    }
    return out;
  }

 private:
  Region other(Rng& rng) const { return others_[rng.weighted(other_weights_)]; }

  Region home_;
  std::vector<Region> partners_;
  std::vector<Region> others_;
  std::vector<int> other_weights_;
};

/// A stage score in millionths from an ability in tenths of a point: 서류 in halves, 필기 in
/// tenths, 면접 in hundredths (a panel's average).
Decimal stage_score(Rng& rng, std::int64_t tenths, const std::string& stage) {
  tenths = std::clamp<std::int64_t>(tenths, 0, 1000);
  if (stage == kDocument) return Decimal::from_units((tenths - tenths % 5) * 100'000);
  if (stage == kInterview) {
    const std::int64_t hundredths = std::min<std::int64_t>(tenths * 10 + rng.between(0, 9), 10'000);
    return Decimal::from_units(hundredths * 10'000);
  }
  return Decimal::from_units(tenths * 100'000);
}

struct Layout {
  std::vector<std::string> stages;
  std::vector<Threshold> thresholds;  ///< parallel to stages
};

/// The stage names of a recruitment's regular units, by sector and size.
std::vector<std::string> stage_names(Rng& rng, Sector sector, std::int64_t yearly) {
  const bool big = yearly >= 60;
  switch (sector) {
    case Sector::research: return {kDocument, kInterview};
    case Sector::culture:
    case Sector::general:
    case Sector::government: {
      const int x = static_cast<int>(rng.between(0, 9));
      if (x < 3) return {kDocument, kWritten, kInterview};
      if (x < 7) return {kWritten, kInterview};
      return {kInterview};
    }
    default:
      if (big && rng.percent(70)) return {kDocument, kWritten, kInterview};
      return rng.percent(50) ? std::vector<std::string>{kWritten, kInterview}
                             : std::vector<std::string>{kDocument, kWritten, kInterview};
  }
}

/// The floor (합격하한선) of a stage, chosen once per recruitment.
Threshold stage_threshold(Rng& rng, const std::string& stage) {
  Threshold t;
  if (stage == kDocument) {
    t.min_score = Decimal::from_int(60);
  } else if (stage == kWritten) {
    t.min_score = Decimal::from_int(rng.percent(50) ? 40 : 60);
    if (rng.percent(30)) t.below_cut = Decimal::from_int(10);
  } else {
    t.min_score = Decimal::from_int(rng.percent(80) ? 60 : 50);
    if (rng.percent(30)) t.below_cut = Decimal::from_int(10);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// One agency's year.

/// An agency year of this many planned hires or fewer has no obligated hiring; one of up to
/// kSometimesExempt, most often (AgencyYear::exempt_only).
constexpr std::int64_t kAlwaysExempt = 10;
constexpr std::int64_t kSometimesExempt = 20;
/// The most units one recruitment holds.
constexpr std::size_t kMaxUnits = 5;
/// An agency's year plans kDrawLo–kDrawHi percent of its estimate (AgencyProfile::base_hires).
constexpr int kDrawLo = 87;
constexpr int kDrawHi = 107;
/// The share of local applicants (in the program's group) in an agency's pools, in percent;
/// each unit varies it by ±5.
constexpr int kLocalShareLo = 19;
constexpr int kLocalShareHi = 29;
/// Local applicants' mean ability is this many tenths of a point lower (about 70 ± 8 points).
constexpr std::int64_t kLocalPenalty = 10;
/// Agencies whose estimate is this or more carry the year's guaranteed shortfalls.
constexpr int kSizeable = 40;

struct Forced {
  bool scarce_locals = false;  ///< the first unit of the first recruitment
  bool weak_locals = false;    ///< the last unit of the last recruitment
};

class AgencyYear {
 public:
  AgencyYear(const AgencyInfo& info, const AgencyProfile& profile, const DemoOptions& options,
             Forced forced)
      : info_(info),
        profile_(profile),
        options_(options),
        forced_(forced),
        rng_(stream(options.seed, options.year, info.code)) {}

  void generate(std::vector<Case>& out) {
    const std::vector<RecruitmentPlan> plans = plan();
    app::Ledger ledger;
    for (std::size_t r = 0; r < plans.size(); ++r) {
      Case c = build(plans[r], static_cast<int>(r) + 1, ledger);
      if (r + 1 < plans.size()) record(c, ledger);  // the last case's hires feed no later case
      out.push_back(std::move(c));
    }
  }

 private:
  /// An announcement date in the year: February to December, days 1–28, and in a month after
  /// the one the agency is bound from when that is this year (the 2020 cohort from 2020-05-27:
  /// June on), so that kr-innovation-city binds every recruitment (SPEC §3.2).
  Date announcement() {
    int first_month = 2;
    const Date since = info_.agency.innovation_city->since;
    if (since.year == options_.year) first_month = std::max(first_month, since.month + 1);
    return Date{options_.year, static_cast<int>(rng_.between(first_month, 12)),
                static_cast<int>(rng_.between(1, 28))};
  }

  /// Recruitments and their units: counts, kinds, fields and planned hires.
  std::vector<RecruitmentPlan> plan() {
    const std::int64_t yearly =
        std::max<std::int64_t>(1, profile_.base_hires * rng_.between(kDrawLo, kDrawHi) / 100);
    yearly_ = yearly;
    local_share_ = static_cast<int>(rng_.between(kLocalShareLo, kLocalShareHi));

    std::int64_t n_rec = yearly <= 5    ? 1
                         : yearly <= 15 ? rng_.between(1, 2)
                         : yearly <= 60 ? rng_.between(1, 3)
                                        : rng_.between(2, 4);
    n_rec = std::min(n_rec, yearly);
    std::vector<Date> dates;
    for (std::int64_t r = 0; r < n_rec; ++r) dates.push_back(announcement());
    std::sort(dates.begin(), dates.end());
    if (exempt_only(yearly)) return plan_exempt_only(dates);

    const std::int64_t max_units = yearly <= 10 ? 2 : yearly <= 40 ? 3 : 5;
    std::vector<RecruitmentPlan> plans(static_cast<std::size_t>(n_rec));
    std::int64_t total_units = 0;
    for (std::size_t r = 0; r < plans.size(); ++r) {
      plans[r].announced = dates[r];
      plans[r].units.resize(static_cast<std::size_t>(rng_.between(1, max_units)));
      total_units += static_cast<std::int64_t>(plans[r].units.size());
    }
    while (total_units > yearly) {  // at least one hire per unit
      auto widest = std::max_element(plans.begin(), plans.end(), [](const auto& a, const auto& b) {
        return a.units.size() < b.units.size();
      });
      widest->units.pop_back();
      --total_units;
    }

    const std::vector<Weighted> fields = palette(profile_.sector);
    std::vector<int> field_weights;
    for (const Weighted& w : fields) field_weights.push_back(w.weight);
    std::set<std::string> rare_used;

    // Kinds and fields; exempt and special units get small fixed numbers.
    std::int64_t fixed = 0;
    std::vector<UnitPlan*> regular;
    std::vector<int> regular_weights;
    for (std::size_t r = 0; r < plans.size(); ++r) {
      for (std::size_t u = 0; u < plans[r].units.size(); ++u) {
        UnitPlan& unit = plans[r].units[u];
        unit.field = fields[rng_.weighted(field_weights)].field;
        const int x = static_cast<int>(rng_.between(0, 999));
        if (forced_.scarce_locals && r == 0 && u == 0) {
          unit.kind = Kind::scarce_locals;
        } else if (forced_.weak_locals && r + 1 == plans.size() && u + 1 == plans[r].units.size()) {
          unit.kind = Kind::weak_locals;
        } else if (unit.field == &kResearch &&
                   rng_.percent(profile_.sector == Sector::research ? 50 : 30)) {
          unit.kind = Kind::research_masters;
        } else if (x < 40) {
          unit.kind = Kind::experienced;
        } else if (x < 70 && has_branches(profile_.sector)) {
          unit.kind = Kind::regional_branch;
        } else if (x < 90 && rare_used.size() < kRareFields.size()) {
          unit.kind = Kind::small_field;
          const Field* rare = nullptr;
          while (rare == nullptr) {
            const Field& f = kRareFields[static_cast<std::size_t>(
                rng_.between(0, static_cast<std::int64_t>(kRareFields.size()) - 1))];
            if (rare_used.insert(f.slug).second) rare = &f;
          }
          unit.field = rare;
        } else if (x < 100) {
          unit.kind = Kind::scarce_locals;
        } else if (x < 110) {
          unit.kind = Kind::weak_locals;
        }
        switch (unit.kind) {
          case Kind::experienced: unit.planned = rng_.between(1, 4); break;
          case Kind::research_masters: unit.planned = rng_.between(1, 4); break;
          case Kind::regional_branch: unit.planned = rng_.between(1, 5); break;
          case Kind::small_field: unit.planned = rng_.between(1, 2); break;
          case Kind::scarce_locals:  // a small unit: its shortfall shows, it does not sink the year
          case Kind::weak_locals: unit.planned = rng_.between(2, 8); break;
          default:
            regular.push_back(&unit);
            regular_weights.push_back(static_cast<int>(rng_.between(1, 8)));
            continue;
        }
        fixed += unit.planned;
      }
    }

    // The rest of the year's hires over the regular units, at least one each.
    const std::int64_t spare =
        std::max<std::int64_t>(0, yearly - fixed - static_cast<std::int64_t>(regular.size()));
    std::int64_t weight_total = 0;
    for (int w : regular_weights) weight_total += w;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < regular.size(); ++i) {
      regular[i]->planned = 1 + spare * regular_weights[i] / weight_total;
      given += regular[i]->planned - 1;
    }
    for (std::size_t i = 0; given < spare && !regular.empty(); i = (i + 1) % regular.size()) {
      ++regular[i]->planned;
      ++given;
    }
    return plans;
  }

  /// Whether the agency's year has no obligated hiring: a small intake hired only into fields
  /// of 5 or fewer posts, experienced posts or research posts (Decree §30-2④1–3). The published
  /// 2018 results count about 50 of 109 agencies so (docs/REPORT.md): every agency hiring 10
  /// or fewer, about 70% of those hiring 11–20, none hiring more.
  bool exempt_only(std::int64_t yearly) {
    if (forced_.scarce_locals || forced_.weak_locals) return false;
    if (yearly <= kAlwaysExempt) return true;
    return yearly <= kSometimesExempt && rng_.percent(80);
  }

  /// A year of exempt units only: each claims small_field in a field no other unit of the year
  /// hires into (so the field's posts are the unit's, at most 5), experienced, or
  /// research_masters, spread over the recruitments in order.
  std::vector<RecruitmentPlan> plan_exempt_only(const std::vector<Date>& dates) {
    const std::vector<Weighted> palette_fields = palette(profile_.sector);
    std::vector<const Field*> fields;
    for (const Weighted& w : palette_fields) fields.push_back(w.field);
    for (const Field& f : kRareFields) fields.push_back(&f);
    bool has_research = false;
    for (const Field* f : fields) has_research = has_research || f == &kResearch;
    // The fields of small_field units, where no other unit hires; those of the other units.
    // The research field is never a small_field one, so an experienced unit can always go there.
    std::set<const Field*> small, other;
    auto pick = [this](const std::vector<const Field*>& from) {
      return from[static_cast<std::size_t>(
          rng_.between(0, std::min<std::int64_t>(2, static_cast<std::int64_t>(from.size()) - 1)))];
    };

    std::vector<UnitPlan> units;
    for (std::int64_t remaining = yearly_; remaining > 0;) {
      UnitPlan unit;
      std::vector<const Field*> not_small, unused;
      for (const Field* f : fields) {
        if (f == &kResearch || small.count(f)) continue;
        not_small.push_back(f);
        if (!other.count(f)) unused.push_back(f);
      }
      if (has_research && rng_.percent(30)) {
        unit.kind = Kind::research_masters;
        unit.field = &kResearch;
        unit.planned = rng_.between(1, 3);
      } else if (unused.empty() || rng_.percent(25)) {
        unit.kind = Kind::experienced;
        unit.field = not_small.empty() ? &kResearch : pick(not_small);
        unit.planned = rng_.between(1, 3);
      } else {
        unit.kind = Kind::small_field;
        unit.field = pick(unused);
        unit.planned = rng_.between(1, 5);
      }
      (unit.kind == Kind::small_field ? small : other).insert(unit.field);
      unit.planned = std::min(unit.planned, remaining);
      remaining -= unit.planned;
      units.push_back(unit);
    }

    // At most kMaxUnits units per recruitment: more announcements when needed.
    std::vector<Date> announced = dates;
    while (announced.size() * kMaxUnits < units.size()) announced.push_back(announcement());
    std::sort(announced.begin(), announced.end());
    std::vector<RecruitmentPlan> plans(std::min(announced.size(), units.size()));
    for (std::size_t r = 0; r < plans.size(); ++r) plans[r].announced = announced[r];
    for (std::size_t u = 0; u < units.size(); ++u) {
      std::size_t r = u < plans.size()
                          ? u
                          : static_cast<std::size_t>(
                                rng_.between(0, static_cast<std::int64_t>(plans.size()) - 1));
      while (plans[r].units.size() >= kMaxUnits) r = (r + 1) % plans.size();
      plans[r].units.push_back(units[u]);
    }
    return plans;
  }

  /// A quota-case/2 of the agency: its registry facts, no program named (the law binds them),
  /// `ledger` the prior of the agency's earlier recruitments this year.
  Case build(const RecruitmentPlan& plan, int number, const app::Ledger& ledger) {
    Case c;
    c.spec = Spec::v2;
    c.agency = info_.agency;
    c.recruitment.id = std::to_string(options_.year) + "-" + info_.code + "-" + pad(number, 2);
    c.recruitment.announced = plan.announced;
    c.ledger = ledger;
    const std::vector<Program> programs = programs_in_force(c.agency, plan.announced);
    if (programs.empty() || programs.front().id != kInnovationCity)
      throw std::logic_error("demo_year: kr-innovation-city does not bind " + c.recruitment.id);
    RegionSet program_regions = 0;
    for (const Program& program : programs) program_regions |= education_regions(program);
    const EducationDraw education(info_.region, education_regions(programs.front()));
    const std::vector<Region> branches = regions_of(kAllRegionsV1 & ~program_regions);

    Layout layout;
    layout.stages = stage_names(rng_, profile_.sector, yearly_);
    for (const std::string& s : layout.stages)
      layout.thresholds.push_back(stage_threshold(rng_, s));

    std::vector<Kind> kinds;
    for (std::size_t u = 0; u < plan.units.size(); ++u) {
      c.units.push_back(
          build_unit(c.recruitment.id, u, plan.units[u], layout, education, branches));
      kinds.push_back(plan.units[u].kind);
    }
    claim_exemptions(c, programs, kinds);
    return c;
  }

  Unit build_unit(const std::string& rec_id, std::size_t index, const UnitPlan& plan,
                  const Layout& layout, const EducationDraw& education,
                  const std::vector<Region>& branches) {
    Unit unit;
    unit.id = "U" + std::to_string(index + 1) + "-" + plan.field->slug;
    unit.field = plan.field->ko;
    unit.planned = plan.planned;
    std::vector<std::string> names = layout.stages;
    std::vector<Threshold> thresholds = layout.thresholds;
    int applicants_lo = plan.field->applicants_lo;
    int applicants_hi = plan.field->applicants_hi;
    int local_share = std::clamp(local_share_ + static_cast<int>(rng_.between(-5, 5)), 8, 45);

    switch (plan.kind) {
      case Kind::experienced:
        unit.id += "-exp";
        unit.requires_experience = true;
        names = {kDocument, kInterview};
        thresholds = {stage_threshold(rng_, kDocument), stage_threshold(rng_, kInterview)};
        applicants_lo = 5;
        applicants_hi = 10;
        break;
      case Kind::research_masters:  // 석사학위 이상, 연구직 (Decree §30-2④3)
        unit.min_degree = "masters";
        unit.research_post = true;
        names = {kDocument, kInterview};
        thresholds = {stage_threshold(rng_, kDocument), stage_threshold(rng_, kInterview)};
        break;
      case Kind::regional_branch: {
        const Region branch = branches[static_cast<std::size_t>(
            rng_.between(0, static_cast<std::int64_t>(branches.size()) - 1))];
        unit.branch_region = branch;
        unit.id += "-" + std::string(to_string(branch));
        break;
      }
      case Kind::small_field: break;  // a field of its own: 5 or fewer posts in the year
      case Kind::scarce_locals: local_share = 0; break;
      case Kind::weak_locals:
        local_share = static_cast<int>(rng_.between(4, 8));
        applicants_lo = std::max(applicants_lo, 10);
        thresholds.front() = Threshold{Decimal::from_int(60), std::nullopt};
        break;
      case Kind::regular: break;
    }

    // Applicants first: the stage quotas are bounded by the pool.
    std::int64_t n = unit.planned * rng_.between(applicants_lo, applicants_hi);
    n = std::max<std::int64_t>(unit.planned + 1,
                               n * std::clamp(options_.scale_percent, 1, 1000) / 100);

    // Planned passers per stage, shrinking towards the unit's planned at the last stage.
    std::vector<std::int64_t> planned(names.size(), unit.planned);
    for (std::size_t s = names.size() - 1; s-- > 0;) {
      const std::int64_t multiple = names[s] == kDocument ? rng_.between(3, 5) : rng_.between(2, 3);
      planned[s] = std::max(planned[s + 1], std::min(planned[s + 1] * multiple, n / 3));
    }
    for (std::size_t s = 0; s < names.size(); ++s)
      unit.stages.push_back(Stage{names[s], planned[s], thresholds[s]});

    const std::int64_t forced_locals =
        plan.kind == Kind::weak_locals ? std::max<std::int64_t>(2, n * local_share / 100) : 0;
    unit.applicants.reserve(static_cast<std::size_t>(n));
    const std::string prefix = rec_id + "-" + std::to_string(index + 1) + "-";
    for (std::int64_t i = 0; i < n; ++i) {
      Applicant a;
      a.id = prefix + pad(i + 1, 5);
      const bool weak = i < forced_locals;  // the weak unit's locals, exactly as many as drawn
      const bool local = weak || (plan.kind != Kind::weak_locals && rng_.percent(local_share));
      a.education = local ? education.local(rng_) : education.non_local(rng_);

      // Ability in tenths of a point, about 70 ± 8; local applicants a little lower on average.
      std::int64_t ability =
          450 + rng_.between(0, 166) + rng_.between(0, 166) + rng_.between(0, 166);
      if (local) ability -= kLocalPenalty;
      a.scores.reserve(names.size());
      for (std::size_t s = 0; s < names.size(); ++s) {
        std::int64_t tenths = ability + rng_.between(-100, 100);
        if (weak && s == 0) tenths = rng_.between(350, 595);  // under the floor of 60
        a.scores.push_back(stage_score(rng_, tenths, names[s]));
      }
      if (!weak) {
        if (rng_.per_mille(30)) {  // absent from a stage (결시): no score from there on
          const auto from = static_cast<std::size_t>(
              names.size() == 1 ? 0 : rng_.between(1, static_cast<std::int64_t>(names.size()) - 1));
          for (std::size_t s = from; s < names.size(); ++s) a.scores[s].reset();
        }
        if (rng_.per_mille(10)) a.disqualified |= 1;  // 서류 부적격 (ineligible on paper)
        if (rng_.per_mille(3))
          a.disqualified |= std::uint64_t{1}
                            << rng_.between(0, static_cast<std::int64_t>(names.size()) - 1);
      }
      unit.applicants.push_back(std::move(a));
    }
    // The weak unit's locals were drawn first; mix them in by a deterministic shuffle so ids
    // do not give them away.
    if (forced_locals > 0) {
      for (std::size_t i = unit.applicants.size() - 1; i > 0; --i) {
        const auto j = static_cast<std::size_t>(rng_.between(0, static_cast<std::int64_t>(i)));
        std::swap(unit.applicants[i].education, unit.applicants[j].education);
        std::swap(unit.applicants[i].scores, unit.applicants[j].scores);
        std::swap(unit.applicants[i].disqualified, unit.applicants[j].disqualified);
      }
    }
    return unit;
  }

  /// Decides `c` and adds what it contributes (posts, hires, obligated and group hires per
  /// program: app::contribution, as a store's decide adds it) to the agency's ledger for later
  /// recruitments.
  void record(const Case& c, app::Ledger& ledger) const {
    auto d = decide(c, bundled_rules());
    if (!d.ok())
      throw std::logic_error(
          "demo_year generated a case that does not decide: " + c.recruitment.id + ": " +
          d.error().code + " at " + d.error().path + ": " + d.error().message);
    ledger = app::add(ledger, app::contribution(c, *d));
  }

  const AgencyInfo& info_;
  const AgencyProfile& profile_;
  const DemoOptions& options_;
  Forced forced_;
  Rng rng_;
  std::int64_t yearly_ = 1;
  int local_share_ = 20;
};

}  // namespace

std::vector<Case> demo_year(const DemoOptions& options) {
  std::vector<Case> out;
  if (options.year < 2018) return out;
  const auto& agencies = relocated_agencies();
  const auto& profiles = detail::agency_profiles();
  std::vector<std::size_t> taking_part;  // bound by kr-innovation-city within the year
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    const auto& city = agencies[i].agency.innovation_city;
    if (city && city->since <= Date{options.year, 11, 30}) taking_part.push_back(i);
  }
  if (taking_part.empty()) return out;

  // Two agencies with a sizeable intake (so with obligated hiring), drawn from the year's own
  // stream, carry a guaranteed shortfall each.
  std::vector<std::size_t> sizeable;  // indices into taking_part
  for (std::size_t k = 0; k < taking_part.size(); ++k)
    if (profiles[taking_part[k]].base_hires >= kSizeable) sizeable.push_back(k);
  if (sizeable.empty())
    for (std::size_t k = 0; k < taking_part.size(); ++k) sizeable.push_back(k);
  Rng year_rng = stream(options.seed, options.year, "");
  const auto n = static_cast<std::int64_t>(sizeable.size());
  const auto s = year_rng.between(0, n - 1);
  const std::size_t scarce = sizeable[static_cast<std::size_t>(s)];
  const std::size_t weak =
      n < 2 ? scarce : sizeable[static_cast<std::size_t>((s + 1 + year_rng.between(0, n - 2)) % n)];

  for (std::size_t k = 0; k < taking_part.size(); ++k) {
    const std::size_t i = taking_part[k];
    AgencyYear(agencies[i], profiles[i], options, Forced{k == scarce, k == weak}).generate(out);
  }
  return out;
}

std::string demo_year_summary(const std::vector<Case>& cases) {
  std::set<std::string> agencies;
  std::size_t units = 0, exempt = 0, applicants = 0;
  std::int64_t planned = 0;
  for (const Case& c : cases) {
    agencies.insert(c.agency.code);
    units += c.units.size();
    for (const Unit& u : c.units) {
      if (!u.exemptions.empty() || !u.claims.empty()) ++exempt;
      applicants += u.applicants.size();
      planned += u.planned;
    }
  }
  const std::string year =
      cases.empty() ? "?" : std::to_string(cases.front().recruitment.announced.year);
  return "year " + year + ": " + std::to_string(agencies.size()) + " agencies, " +
         std::to_string(cases.size()) + " recruitments, " + std::to_string(units) + " units (" +
         std::to_string(exempt) + " claiming an exemption), " + std::to_string(applicants) +
         " applicants, " + std::to_string(planned) + " planned hires";
}

}  // namespace passline::demo
