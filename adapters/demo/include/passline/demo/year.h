// passline::demo: a deterministic, realistic recruitment year for `passline demo`.
//
// Two things live here:
//
// * The agency directory: the public agencies relocated out of the capital region under the
//   innovation-city policy (혁신도시 이전공공기관; the 2018 plan in ../shared/seed counts 153
//   agencies, 115 of them moved to the ten innovation cities), as the agency registry's data
//   files hold them (data/agencies/*.json, built in: registry_files()), with the city each
//   moved to.
// * A generator of one year of recruitments by those agencies as `quota-case/2` values
//   (SPEC.md): the agency's facts as the registry holds them, no program named by the case (the
//   law binds them, SPEC §3.2), announced dates, units, stages, thresholds, applicants with
//   education records and exact decimal scores, exemptions claimed per program where the unit
//   qualifies (SPEC §5) with the facts the claim needs, and the agency's ledger of prior posts
//   and hires. Every generated case decides without error under bundled_rules().
//
// What is real and what is approximate in the directory:
// * Agency names, their innovation city and region are real to the best of our knowledge; a few
//   of the smaller bodies may be misplaced. English names and the short codes are ours where the
//   agency has no well-known abbreviation (e.g. KCON for 한국소비자원, to keep KCA for 한국방송
//   통신전파진흥원; CPEC, POSTIC, PPSQ, HRDI, ...).
// * Besides the public agencies the list holds the government bodies (소속기관) that moved to
//   the innovation cities with them (국토교통인재개발원, 농촌진흥청, ...). In reality they
//   recruit civil servants under a separate scheme; the demo decides them like the others.
// * Six individually relocated agencies (개별이전: 한국수력원자력 in 경주, 한국서부발전 in
//   태안, ...) are included; their city_ko says so.
// * The cohort is 2018 for every relocated agency. Six Daejeon agencies (한국철도공사,
//   한국수자원공사, ...) are listed with cohort 2020: agencies designated under Decree §30-2①
//   (in force 2020-05-27), bound from then. They were not relocated; which Daejeon bodies the
//   amendment covers is approximate here (data/agencies/README.md says what else is a reading).
// * The 2018 year is calibrated to resemble MOLIT's published 2018 results in form and size
//   (docs/REPORT.md puts the figures side by side; tests/test_demo_year.cc checks the bands):
//   109 agencies, about 6,076 obligated hires of which about 23.4% local, about 58 agencies
//   meeting the target and about 50 with no obligated hiring. Those figures are not in the
//   seed document (February 2018, it predates the result). What is ours: each agency's
//   yearly intake (an estimate, not published data), the local shares of the applicant pools
//   (19–29% by agency, ±5 by unit; locals a point lower on average), and which agencies have
//   no obligated hiring: those with a small intake (10 or fewer planned hires; most of those
//   with up to 20), which hire only into fields of 5 or fewer posts, experienced posts and
//   research posts (Decree §30-2④1–3).
//
// Thread-safety: relocated_agencies() returns an immutable table built on first use
// (thread-safe initialisation); demo_year() and demo_year_summary() are pure and re-entrant.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "passline/case.h"
#include "passline/region.h"

namespace passline::demo {

/// One relocated public agency.
struct AgencyInfo {
  std::string code;     ///< short upper-case ASCII code, unique in the directory (`KEPCO`)
  std::string name_ko;  ///< Korean name (`한국전력공사`)
  std::string name_en;  ///< English name (`Korea Electric Power Corporation`)
  Region region =
      Region::seoul;      ///< the region the agency is located in (never the capital region)
  int designated = 2018;  ///< its innovation cohort: 2018, or 2020 (see the file comment)
  /// Where it is: one of the ten innovation cities as "부산", "대구", "광주·전남(나주)",
  /// "울산", "강원(원주)", "충북(진천·음성)", "전북(전주·완주)", "경북(김천)", "경남(진주)",
  /// "제주(서귀포)"; otherwise the city with "(개별이전)" or "대전".
  std::string city_ko;
  /// Its facts of SPEC §2 as the registry holds them (code, region, public_institution,
  /// innovation_city; `designated` the cohort): what a quota-case/2 case of it must state.
  Agency agency;
};

/// The agency registry's data files, data/agencies/*.json as built in: (path, JSON text) pairs
/// by path (`data/agencies/innovation-city-2018.json`, ...), each a file app::import_agencies()
/// takes. `passline demo` registers them before it imports the year. Never fails.
const std::vector<std::pair<std::string, std::string>>& registry_files();

/// The agency directory: every agency of registry_files(), in the demo's order (grouped by city),
/// codes unique. The same vector (same order, same contents) on every call and every machine.
/// Throws std::logic_error, on first use, when the built-in files do not parse or validate or
/// do not hold exactly the agencies the demo calibrates (a build made from inconsistent data).
const std::vector<AgencyInfo>& relocated_agencies();

/// What demo_year() generates.
struct DemoOptions {
  /// The calendar year of the announcements. Years before 2018 have no rule in force and give
  /// no cases. Agencies take part from the year they are bound from (innovation_city.since: the
  /// 2020 cohort from 2020-05-27), announcing after that date.
  int year = 2018;
  /// Any value; the same options give the same cases.
  std::uint64_t seed = 1;
  /// Scales the number of applicants per unit, in percent (100 = realistic). Clamped to
  /// [1, 1000]; a unit keeps at least planned + 1 applicants. Planned hires are not scaled.
  int scale_percent = 100;
};

/// One year of recruitments, each a quota-case/2: for every agency of relocated_agencies() bound
/// in the year, 1–4 recruitments announced within it (ids `2018-KEPCO-01`, `-02`, ... in order
/// of announcement), naming no program: the law binds `kr-innovation-city` (혁신도시법 §29-2)
/// and, for a public institution from 2024-08-14, `kr-nonmetro-35` (지방대육성법 §13②). Each holds
/// 1–5 units of 1–3 stages (서류, 필기, 면접) with 5–40 applicants per planned hire. Some units
/// claim an exemption the data supports, per program that recognises it (SPEC §5):
/// `experienced` (requires_experience, both programs), `research_masters` (min_degree masters
/// and research_post, kr-innovation-city), `regional_branch` (a branch outside the program's
/// regions, kr-innovation-city), `small_field` (a field of 5 or fewer posts in the year,
/// kr-innovation-city), `small_hiring` (5 or fewer posts in the year so far, kr-nonmetro-35); an
/// agency with a small intake (see the file comment) claims one for every unit, so it has no
/// obligated hiring under kr-innovation-city that year. Some units end short of their target,
/// stopped by the threshold or by the pool. Each case's `ledger` holds the agency's posts and
/// hires earlier in the year, per field, as decide() made them (app::contribution).
///
/// At scale 100 at least one unit of the year has no local applicant (a shortfall stopped by
/// the pool) and one has local applicants only under its first stage's floor of 60 (stopped
/// by the threshold), both in agencies with obligated hiring; smaller scales keep the first
/// guarantee, not always the second. Other
/// shortfalls occur naturally (small units, absentees, interview floors).
///
/// Cases are ordered by agency (directory order), then by announcement. Deterministic: the
/// same options give identical cases on any machine and standard library (own xoshiro256**
/// generator, integer arithmetic only). Every case decides without error under
/// bundled_rules(); generation decides all but each agency's last case to fill the ledgers,
/// and a case that did not decide would be a bug here, reported by throwing
/// std::logic_error. Measured: under 0.1 s for a full year at scale 100 in a Release build.
std::vector<Case> demo_year(const DemoOptions& options);

/// A one-line account of generated cases for printing, e.g. `year 2018: 109 agencies, 208
/// recruitments, 566 units (197 claiming an exemption), 124861 applicants, 6296 planned hires`
/// (a unit claiming an exemption from any program counts once).
/// The year is that of the first case's announcement ("year ?" when there are no cases).
/// Counts only; nothing is decided. Never fails.
std::string demo_year_summary(const std::vector<Case>& cases);

}  // namespace passline::demo
