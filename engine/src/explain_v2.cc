// passline: the account of a quota-case/2 decision (explain.h), every step with what it rests on.
//
// Nothing is decided again: outcomes, targets, cuts and thresholds are read from the Decision;
// the steps decide() runs (detail/steps.h) are asked only why a number came out as it did. Each
// step cites the key of the rule pack version that decided (the registry's pack with the digest
// the decision records: its citation text verbatim, and the JSON pointer of that citation in the
// pack's canonical JSON), a key of the region calendar, or, where no pack key states the rule
// (ranking, the cut, the threshold, the additional-pass loop, an inline program of the case),
// the SPEC section, marked "no pack key". The only legal wording in this file is SPEC's.
//
// Every sentence, in Korean and in English, is one row of kMessages (or kSpecRules for what a
// SPEC citation says); say() puts the numbers in. Numbers are exact: Decimal::to_string and
// integer arithmetic only.
#include "detail/explain_v2.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "detail/explain_words.h"
#include "detail/paths.h"
#include "detail/steps.h"

namespace passline::detail {
namespace {

// ---- The message table ----------------------------------------------------------------------

enum class M : std::uint16_t {
  header,
  sec_programs,
  sec_group,
  sec_exempt,
  sec_stage,
  sec_result,
  cite_label,
  cite_pack,
  cite_regions,
  cite_spec,
  cite_again,
  yes,
  no,
  in_capital,
  outside_capital,
  agency,
  agency_city,
  agency_joint,
  agency_no_city,
  agency_from_registry,
  agency_from_case,
  bound_city,
  bound_public,
  notbound_not_in_force,
  notbound_no_city,
  notbound_before_since,
  notbound_not_public,
  notbound_capital,
  case_pack,
  case_inline,
  inline_cap,
  inline_min_planned,
  no_program,
  ratio_cohort,
  ratio_every_cohort,
  cap_none,
  cap_some,
  group_in,
  group_out,
  regions_joint,
  regions_bloc,
  regions_bloc_later,
  regions_own,
  regions_list,
  regions_merged,
  levels,
  kinds,
  membership_final,
  membership_any,
  no_records,
  record,
  v_status,
  v_kind,
  v_graduate_final,
  v_not_final_year,
  v_not_final_level,
  v_level,
  v_region,
  v_final_in,
  v_any_in,
  attribute,
  attribute_missing,
  in_it,
  not_in_it,
  any_of,
  ex_none,
  ex_holds,
  ex_also,
  ex_min_planned,
  f_small_field,
  f_small_hiring,
  f_experienced,
  f_research_masters,
  f_doctorate,
  f_masters_notified,
  f_branch,
  f_branch_years,
  f_share_at_most,
  f_share_under,
  not_reached,
  pool,
  score_rank,
  score_none,
  score_listed,
  cut_none,
  cut_no_planned,
  cut_all,
  cut_nth,
  cut_ties,
  thr_none,
  thr_min,
  thr_below,
  thr_higher,
  thr_clamped,
  tgt_exempt,
  tgt_min_planned,
  tgt_stage,
  tgt_year_early,
  tgt_year,
  tgt_year_split,
  tgt_year_formula,
  tgt_year_previous,
  counts,
  counts_with_earlier,
  add_none_needed,
  add_done,
  add_threshold,
  add_threshold_none,
  add_pool,
  add_cap,
  added_list,
  added_more,
  out_rank,
  out_tie,
  out_additional,
  out_no_score,
  out_listed,
  out_below_cut,
  out_below_cut_plain,
  why_not_member,
  why_exempt,
  why_min_planned,
  why_year_early,
  why_met,
  why_met_by,
  why_threshold,
  why_cap,
  why_other,
  res_hires,
  res_applied,
  res_not_applied,
  scope_stage,
  scope_agency_year,
  record_kind,
  record_year,
  list_separator,
  count_
};

struct MessageRow {
  M id;
  std::string_view ko, en;
};

constexpr MessageRow kMessages[] = {
    // {0} applicant, {1} recruitment, {2} announced, {3} unit, {4} field, {5} planned hires
    {M::header,
     "지원자 {0} — 채용공고 {1} (공고일 {2}), 채용단위 {3} (시험분야 {4}, 채용예정 {5}명)",
     "Applicant {0}, recruitment {1} (announced {2}), unit {3} (field {4}, {5} planned hires)"},
    {M::sec_programs, "[적용 프로그램]", "[Programs in force]"},
    {M::sec_group, "[지역인재 여부]", "[Group membership]"},
    {M::sec_exempt, "[적용 제외]", "[Exemptions]"},
    // {0} stage number, {1} name, {2} planned, {3} considered, {4} passed
    {M::sec_stage, "[{0}단계 {1}] 선발예정 {2}명, 평가대상 {3}명, 합격 {4}명",
     "[Stage {0} \"{1}\"] {2} planned, {3} considered, {4} passed"},
    {M::sec_result, "[채용단위 결과]", "[Unit result]"},
    {M::cite_label, "근거", "Source"},
    // {0} label, {1} pack id, {2} version, {3} key, {4} citation
    {M::cite_pack, "{0}: [{1} {2} · {3}] {4}", "{0}: [{1} {2} · {3}] {4}"},
    // {0} label, {1} key, {2} citation
    {M::cite_regions, "{0}: [rules/regions.yaml · {1}] {2}", "{0}: [rules/regions.yaml · {1}] {2}"},
    {M::cite_spec, "{0}: [SPEC {1} · 규칙팩 키 없음] {2}", "{0}: [SPEC {1} · no pack key] {2}"},
    // {0} the reference without its text, a citation quoted earlier in the same account
    {M::cite_again, "{0} (위에 인용)", "{0} (quoted above)"},
    {M::yes, "예", "yes"},
    {M::no, "아니오", "no"},
    {M::in_capital, " (수도권)", " (capital region)"},
    {M::outside_capital, " (수도권 아님)", " (outside the capital region)"},
    // {0} code, {1} region, {2} capital or not, {3} public institution, {4} innovation city
    {M::agency, "기관 {0}: 소재지 {1}{2}; 공공기관 {3}; {4}",
     "Agency {0}: located in {1}{2}; public institution: {3}; {4}"},
    // {0} cohort, {1} since, {2} joint city or nothing
    {M::agency_city, "이전공공기관등 ({0}년 코호트, {1}부터 적용{2})",
     "an 이전공공기관등 (cohort {0}, bound from {1}{2})"},
    {M::agency_joint, ", 공동혁신도시", ", at the joint innovation city"},
    {M::agency_no_city, "이전공공기관등 아님", "not an 이전공공기관등"},
    {M::agency_from_registry, " — 기관 등록부의 기록 (출처: {0})",
     " (the agency registry's record; source: {0})"},
    {M::agency_from_case, " — 사례 파일에 적힌 사실", " (as the case file states them)"},
    // {0} program, {1} version, {2} announced, {3} since
    {M::bound_city, "{0} ({1}): 법이 적용 (출처 law) — 이전공공기관등이고 공고일 {2} ≥ 적용일 {3}",
     "{0} ({1}): bound by law (source law): an 이전공공기관등, announced {2}, on or after its "
     "since {3}"},
    // {0} program, {1} version, {2} region, {3} announced, {4} in force from
    {M::bound_public,
     "{0} ({1}): 법이 적용 (출처 law) — 공공기관, 소재지 {2} (수도권 아님); 공고일 {3} ≥ 시행일 "
     "{4}",
     "{0} ({1}): bound by law (source law): a public institution located outside the capital "
     "region ({2}), announced {3}, on or after {4}"},
    // {0} program, {1} announced, {2} in force from
    {M::notbound_not_in_force, "{0}: 적용 안 됨 — 공고일 {1}에 시행 중인 판이 없음 ({2}부터 시행)",
     "{0}: not bound: no version is in force on {1} (in force from {2})"},
    // {0} program, {1} version
    {M::notbound_no_city, "{0} ({1}): 적용 안 됨 — 이전공공기관등이 아님",
     "{0} ({1}): not bound: the agency is not an 이전공공기관등"},
    // {0} program, {1} version, {2} announced, {3} since
    {M::notbound_before_since, "{0} ({1}): 적용 안 됨 — 공고일 {2} < 적용일 {3}",
     "{0} ({1}): not bound: announced {2}, before its since {3}"},
    {M::notbound_not_public, "{0} ({1}): 적용 안 됨 — 공공기관이 아님",
     "{0} ({1}): not bound: not a public institution"},
    // {0} program, {1} version, {2} region
    {M::notbound_capital, "{0} ({1}): 적용 안 됨 — 수도권({2}) 소재",
     "{0} ({1}): not bound: located in the capital region ({2})"},
    // {0} program, {1} version
    {M::case_pack, "{0} ({1}): 사례가 추가로 지정한 규칙팩 (출처 case)",
     "{0} ({1}): a further pack the case names (source case)"},
    // {0} program, {1} ratio, {2} rounding, {3} scope, {4} cap or nothing, {5} min_planned or
    // nothing
    {M::case_inline,
     "{0}: 사례가 정의한 인라인 프로그램 (출처 case, 규칙팩 없음) — 비율 {1}, {2}, 범위 {3}{4}{5}",
     "{0}: an inline program the case defines (source case, no pack): ratio {1}, {2}, scope "
     "{3}{4}{5}"},
    // {0} rounding, {1} cap ratio
    {M::inline_cap, ", 추가합격 상한 {0}(단계 선발예정 × {1})",
     ", additional passes capped at {0}(stage planned × {1})"},
    {M::inline_min_planned, ", min_planned {0}", ", min_planned {0}"},
    {M::no_program, "적용되는 프로그램 없음: 순위로만 선발",
     "No program is in force: decided on rank alone"},
    // {0} program, {1} ratio, {2} cohort, {3} announced
    {M::ratio_cohort, "{0}: 비율 {1} ({2}년 코호트, {3} 공고)",
     "{0}: ratio {1} (cohort {2}, announced {3})"},
    // {0} program, {1} ratio, {2} announced
    {M::ratio_every_cohort, "{0}: 비율 {1} ({2} 공고)", "{0}: ratio {1} (announced {2})"},
    {M::cap_none, "{0}: 추가합격 상한 없음", "{0}: no cap on additional passes"},
    // {0} program, {1} rounding, {2} cap ratio
    {M::cap_some, "{0}: 추가합격 상한 {1}(단계 선발예정 × {2})",
     "{0}: additional passes capped at {1}(stage planned × {2})"},
    {M::group_in, "{0}: 이 지원자는 지역인재 (그룹 해당)", "{0}: the applicant is in the group"},
    {M::group_out, "{0}: 이 지원자는 지역인재 아님 (그룹 비해당)",
     "{0}: the applicant is not in the group"},
    {M::regions_joint, "인정 지역(이전지역): {0} — 공동혁신도시 이전기관",
     "regions (이전지역): {0}, those of the joint innovation city"},
    // {0} regions, {1} the agency's region, {2} from
    {M::regions_bloc, "인정 지역(이전지역): {0} — {1} 소재 기관, {2} 이후 공고에 적용",
     "regions (이전지역): {0}, for an agency in {1}, for announcements from {2}"},
    // {0} bloc regions, {1} from, {2} announced
    {M::regions_bloc_later, "{0}(으)로의 확대는 {1} 이후 공고부터 — 이 공고({2})에는 적용 안 됨",
     "the widening to {0} applies to announcements from {1}, not to this one ({2})"},
    {M::regions_own, "인정 지역(이전지역): {0} — 기관 소재 지역",
     "regions (이전지역): {0}, the agency's own"},
    {M::regions_list, "인정 지역: {0}", "regions: {0}"},
    // {0} from, {1} the merged regions, {2} the group's regions now
    {M::regions_merged, "{0} 이후 공고: 통합된 지역 {1} — 인정 지역 {2}",
     "announced on or after {0}: {1} are one region; the group's regions are {2}"},
    // {0} levels, {1} statuses
    {M::levels, "인정 학력: {0}; 인정 상태: {1}", "levels: {0}; statuses: {1}"},
    {M::kinds, "인정 학교 종류: {0}", "school kinds: {0}"},
    {M::membership_final,
     "최종학력 기준: 대학원 제외; 모든 기록에 연도가 있으면 가장 늦은 연도의 기록, 아니면 가장 "
     "높은 학력의 기록 (최종학력이 여럿이면 하나만 해당해도 됨)",
     "membership final: graduate school left out; the records of the latest year when every "
     "record has a year, else those of the highest level (any one of several suffices)"},
    {M::membership_any, "학력 기록 중 하나라도 인정되면 해당 (최종학력 불문)",
     "membership any: any one accepted record suffices (no final school)"},
    {M::no_records, "학력 기록 없음", "no education record"},
    // {0} number, {1} the record, {2} verdict
    {M::record, "기록 {0}: {1} — {2}", "record {0}: {1}: {2}"},
    {M::v_status, "인정되지 않는 상태 ({0})", "the status {0} does not count"},
    {M::v_kind, "인정되지 않는 학교 종류 ({0})", "the school kind {0} does not count"},
    {M::v_graduate_final, "대학원은 최종학력에서 제외",
     "graduate school is left out of the final education"},
    {M::v_not_final_year, "최종학력 아님 (가장 늦은 연도 {0})",
     "not final (the latest year is {0})"},
    {M::v_not_final_level, "최종학력 아님 (가장 높은 학력 {0})",
     "not final (the highest level is {0})"},
    {M::v_level, "인정되지 않는 학력 ({0})", "the level {0} does not count"},
    {M::v_region, "인정 지역 밖 ({0})", "{0} is outside the group's regions"},
    {M::v_final_in, "최종학력이며 학력·지역 인정 → 해당",
     "final, accepted level and region: in the group"},
    {M::v_any_in, "학력·상태·종류·지역 인정 → 해당",
     "accepted level, status, kind and region: in the group"},
    // {0} name, {1} value, {2} required, {3} verdict
    {M::attribute, "또는 속성 {0} = {1} (요건 {2}) → {3}",
     "or the attribute {0} = {1} (required {2}): {3}"},
    {M::attribute_missing, "(없음)", "(none)"},
    {M::in_it, "해당", "in the group"},
    {M::not_in_it, "비해당", "not in it"},
    {M::any_of, "다음 그룹 중 하나라도 해당하면 해당", "in the group when in any of these"},
    {M::ex_none, "{0}: 적용 제외 주장 없음 — 채용목표 적용",
     "{0}: no exemption claimed: the program applies"},
    // {0} program, {1} claim, {2} the fact that meets it
    {M::ex_holds, "{0}: 적용 제외 — {1}: {2}", "{0}: exempt by {1}: {2}"},
    // {0} program, {1} claim, {2} the first claim
    {M::ex_also, "{0}: 함께 주장한 {1}도 성립 (첫 주장 {2}이(가) 보고됨)",
     "{0}: the further claim {1} holds too (the first, {2}, is reported)"},
    // {0} program, {1} planned, {2} min_planned
    {M::ex_min_planned, "{0}: 채용예정 {1}명 < min_planned {2}명 — 모든 단계 채용목표 0",
     "{0}: {1} planned hires, under min_planned {2}: every target is 0"},
    // {0} field, {1} posts, {2} this case, {3} ledger
    {M::f_small_field, "시험분야 {0}의 올해 공고 인원 {1}명 (이 공고 {2}명 + 원장 {3}명) ≤ 5명",
     "the year's announced posts in field {0} are {1} (this case {2} + ledger {3}), 5 or fewer"},
    // {0} posts, {1} this case, {2} ledger
    {M::f_small_hiring, "기관의 올해 공고 인원 {0}명 (이 공고 {1}명 + 원장 {2}명) ≤ 5명",
     "the agency's announced posts this year are {0} (this case {1} + ledger {2}), 5 or fewer"},
    {M::f_experienced, "경력을 응시요건으로 함 (requires_experience)",
     "experience is required to apply (requires_experience)"},
    {M::f_research_masters, "최소 학위 {0}, 연구직으로 직렬 제한 (research_post)",
     "min_degree {0} and a research job series (research_post)"},
    {M::f_doctorate, "박사학위로 제한 (min_degree doctorate)",
     "limited to doctorates (min_degree doctorate)"},
    {M::f_masters_notified, "석사학위, 교육부 고시 분야 (min_degree masters, notified_field)",
     "a master's degree in a field MOE notified (min_degree masters, notified_field)"},
    // {0} branch region, {1} the program's regions
    {M::f_branch, "지역본부·지사({0}) 채용 — {0}은(는) 이전지역 {1} 밖",
     "hiring for a branch in {0}, outside the 이전지역 {1}"},
    // {0} branch region, {1} years, {2} the program's regions
    {M::f_branch_years, "지역본부·지사({0}) {1}년 근무 조건 — {0}은(는) 이전지역 {2} 밖",
     "on condition of {1} years' service at a branch in {0}, outside the 이전지역 {2}"},
    // {0} members, {1} applicants, {2} ratio, {3} ratio × applicants
    {M::f_share_at_most, "지원자 {1}명 중 지역인재 {0}명 ≤ {2} × {1} = {3}",
     "{0} of the {1} applicants are in the group, at most {2} × {1} = {3}"},
    {M::f_share_under, "지원자 {1}명 중 지역인재 {0}명 < {2} × {1} = {3}",
     "{0} of the {1} applicants are in the group, under {2} × {1} = {3}"},
    {M::not_reached, "이전 단계에서 불합격하여 이 단계 대상이 아님",
     "not reached: the applicant did not pass an earlier stage"},
    // {0} pool, {1} considered, {2} without a score or disqualified
    {M::pool, "대상 {0}명 중 평가대상 {1}명 (점수 없음·결격 {2}명)",
     "{1} of the stage's {0} considered ({2} without a score or disqualified)"},
    // {0} score, {1} considered, {2} rank
    {M::score_rank, "이 지원자: 점수 {0}, 평가대상 {1}명 중 {2}위",
     "the applicant: score {0}, rank {2} of {1} considered"},
    {M::score_none, "이 지원자: 이 단계 점수 없음", "the applicant: no score for this stage"},
    {M::score_listed, "이 지원자: 점수 {0}, 이 단계 결격자로 지정됨",
     "the applicant: score {0}, listed as disqualified at this stage"},
    {M::cut_none, "평가대상 없음: 합격선 없음", "nobody considered: no cut"},
    {M::cut_no_planned, "선발예정 0명: 합격선 없음, 정규 합격 없음",
     "0 planned: no cut, no regular pass"},
    // {0} considered, {1} planned, {2} cut
    {M::cut_all, "평가대상 {0}명 ≤ 선발예정 {1}명: 전원 정규 합격, 합격선 = 최저점 {2}",
     "{0} considered, no more than the {1} planned: all pass, the cut is the lowest score {2}"},
    // {0} cut, {1} planned, {2} regular passers, {3} ties, {4} ordinal suffix
    {M::cut_nth, "합격선 {0} ({1}번째 점수): 합격선 이상 {2}명 정규 합격{3}",
     "cut {0} (the {1}{4} score): {2} at or above it pass regularly{3}"},
    {M::cut_ties, " (선발예정을 넘는 동점 {0}명 포함)", " ({0} tied beyond the planned)"},
    {M::thr_none, "합격하한선 없음", "no threshold"},
    {M::thr_min, "합격하한선 {0} (min_score)", "threshold {0} (min_score)"},
    // {0} threshold, {1} cut, {2} below_cut
    {M::thr_below, "합격하한선 {0} = 합격선 {1} − below_cut {2}",
     "threshold {0} = cut {1} − below_cut {2}"},
    // {0} threshold, {1} min_score, {2} cut, {3} below_cut, {4} cut − below_cut
    {M::thr_higher, "합격하한선 {0} = min_score {1}과 합격선 {2} − below_cut {3} = {4} 중 높은 값",
     "threshold {0}, the higher of min_score {1} and cut {2} − below_cut {3} = {4}"},
    // {0} cut, {1} below_cut, {2} the magnitude of the negative difference
    {M::thr_clamped, "합격하한선 0: 합격선 {0} − below_cut {1} = −{2} < 0 이므로 0",
     "threshold 0: cut {0} − below_cut {1} = −{2} is below 0"},
    // {0} program, {1} claim
    {M::tgt_exempt, "{0}: 채용목표 0명 (적용 제외: {1})", "{0}: target 0 (exempt by {1})"},
    // {0} program, {1} planned, {2} min_planned
    {M::tgt_min_planned, "{0}: 채용목표 0명 (채용예정 {1}명 < min_planned {2}명)",
     "{0}: target 0 ({1} planned hires, under min_planned {2})"},
    // {0} program, {1} target, {2} expression, {3} scope
    {M::tgt_stage, "{0}: 채용목표 {1}명 = {2} ({3})", "{0}: target {1} = {2} ({3})"},
    {M::tgt_year_early, "{0}: 채용목표 0명 (기관 연간 범위: 목표는 마지막 단계에서만 정함)",
     "{0}: target 0 (agency-year scope: the target is set at the last stage only)"},
    // {0} program, {1} target, {2} H, {3} split of H, {4} L, {5} split of L, {6} P, {7} have
    {M::tgt_year,
     "{0}: 채용목표 {1}명 (기관 연간 범위) — 올해 이 프로그램이 적용된 채용 H = {2}명{3}, 그중 "
     "지역인재 L = {4}명{5}; 이 단계 현재 합격 P = {6}명, 그중 지역인재 {7}명",
     "{0}: target {1} (agency-year scope): the year's obligated hires so far H = {2}{3}, of them "
     "in the group L = {4}{5}; this stage's passers so far P = {6}, in the group {7}"},
    // {0} ledger, {1} this case's earlier units
    {M::tgt_year_split, " (원장 {0} + 이 공고의 앞 채용단위 {1})",
     " (ledger {0} + this case's earlier units {1})"},
    // {0} t, {1} L, {2} L + t, {3} expression at t, {4} previous or nothing
    {M::tgt_year_formula,
     "L + t ≥ 비율 × (H + P + max(0, t − 지역인재 합격))인 최소 t = {0}: {1} + {0} = {2} ≥ {3}{4}",
     "the least t with L + t ≥ ratio × (H + P + max(0, t − group passers)) is {0}: {1} + {0} = "
     "{2} ≥ {3}{4}"},
    // {0} t − 1, {1} L + t − 1, {2} expression at t − 1
    {M::tgt_year_previous, "; t = {0}일 때 {1} < {2}", "; with t = {0}, {1} < {2}"},
    // {0} program, {1} regular passers in the group, {2} need
    {M::counts, "{0}: 정규 합격 중 지역인재 {1}명, 더 필요 {2}명",
     "{0}: group members among the regular passers {1}; still needed {2}"},
    // {0} program, {1} regular, {2} with earlier programs' passes, {3} need
    {M::counts_with_earlier,
     "{0}: 정규 합격 중 지역인재 {1}명 (앞 프로그램의 추가합격 포함 {2}명), 더 필요 {3}명",
     "{0}: group members among the regular passers {1} ({2} with earlier programs' additional "
     "passes); still needed {3}"},
    {M::add_none_needed, "{0}: 추가합격 없음 — 더 필요한 인원 없음",
     "{0}: no additional pass: none needed"},
    // {0} program, {1} added, {2} list
    {M::add_done, "{0}: 추가합격 {1}명{2} — 채용목표에 도달하여 종료",
     "{0}: {1} added{2}; stopped when the target was met"},
    // {0} program, {1} added, {2} list, {3} next member, {4} its score, {5} threshold,
    // {6} shortfall
    {M::add_threshold,
     "{0}: 추가합격 {1}명{2}; 다음 지역인재 {3}: 점수 {4} < 합격하한선 {5}, 여기서 중단, 미달 "
     "{6}명",
     "{0}: {1} added{2}; the next group member, {3}, scored {4}, under the threshold {5}: "
     "stopped, short by {6}"},
    // {0} program, {1} added, {2} list, {3} shortfall
    {M::add_threshold_none, "{0}: 추가합격 {1}명{2}; 합격하한선이 없어 중단, 미달 {3}명",
     "{0}: {1} added{2}; no threshold: stopped, short by {3}"},
    {M::add_pool, "{0}: 추가합격 {1}명{2}; 추가할 지역인재가 남지 않아 중단, 미달 {3}명",
     "{0}: {1} added{2}; no group member left: short by {3}"},
    // {0} program, {1} added, {2} list, {3} cap, {4} next score, {5} block size,
    // {6} shortfall
    {M::add_cap,
     "{0}: 추가합격 {1}명{2}; 상한 {3}명 — 다음 {4}점 동점 {5}명을 더하면 넘어서 중단, 미달 {6}명",
     "{0}: {1} added{2}; the cap is {3}: the next block ({5} at {4}) would pass it; short by {6}"},
    {M::added_list, " ({0})", " ({0})"},
    {M::added_more, " 외 {0}명", " and {0} more"},
    // {0} rank, {1} planned
    {M::out_rank, "결과: 합격 — {0}위, 선발예정 {1}명 이내",
     "outcome: passed on rank ({0}), within the {1} planned"},
    // {0} cut, {1} planned
    {M::out_tie, "결과: 합격 — 합격선 {0} 동점 (선발예정 {1}명을 넘어도 동점자는 모두 합격)",
     "outcome: passed, tied at the cut {0} (ties at the cut pass beyond the {1} planned)"},
    // {0} program, {1} score, {2} threshold, {3} target, {4} planned
    {M::out_additional,
     "결과: 추가합격 ({0}) — 지역인재로서 점수 {1} ≥ 합격하한선 {2}; 채용목표 {3}명에 미달하여 "
     "선발예정 {4}명을 넘어 합격",
     "outcome: additional pass by {0}: a group member scoring {1}, at or above the threshold "
     "{2}, added beyond the {4} planned toward the target of {3}"},
    {M::out_no_score, "결과: 불합격(결격) — 이 단계 점수 없음",
     "outcome: failed, disqualified: no score for this stage"},
    {M::out_listed, "결과: 불합격(결격) — 이 단계 결격자로 지정됨",
     "outcome: failed, disqualified: listed as disqualified at this stage"},
    // {0} score, {1} cut
    {M::out_below_cut, "결과: 불합격 — 점수 {0} < 합격선 {1}",
     "outcome: failed below the cut: {0} < {1}"},
    {M::out_below_cut_plain, "결과: 불합격 — 합격선 미만", "outcome: failed below the cut"},
    {M::why_not_member, "{0}: 추가합격 대상 아님 — 지역인재가 아님",
     "{0}: not added: not in its group"},
    {M::why_exempt, "{0}: 추가합격 없음 — 적용 제외 ({1})",
     "{0}: not added: the unit is exempt ({1})"},
    {M::why_min_planned, "{0}: 추가합격 없음 — 채용예정 {1}명 < min_planned {2}명",
     "{0}: not added: {1} planned hires, under min_planned {2}"},
    {M::why_year_early, "{0}: 추가합격 없음 — 이 단계의 채용목표는 0명 (마지막 단계에서만 정함)",
     "{0}: not added: its target here is 0 (set at the last stage only)"},
    {M::why_met, "{0}: 추가합격 안 됨 — 채용목표 {1}명이 정규 합격으로 충족됨",
     "{0}: not added: its target of {1} was met without additional passes"},
    // {0} program, {1} added, {2} target
    {M::why_met_by,
     "{0}: 추가합격 안 됨 — 더 높은 점수의 지역인재 {1}명을 추가하여 채용목표 {2}명 충족",
     "{0}: not added: its target of {2} was met by adding {1} higher-scoring group member(s)"},
    // {0} program, {1} score, {2} threshold, {3} shortfall
    {M::why_threshold, "{0}: 추가합격 안 됨 — 점수 {1} < 합격하한선 {2} (채용목표 미달 {3}명)",
     "{0}: not added: the score {1} is under the threshold {2} (the target is short by {3})"},
    // {0} program, {1} cap, {2} shortfall
    {M::why_cap, "{0}: 추가합격 안 됨 — 추가합격 상한 {1}명에서 중단 (채용목표 미달 {2}명)",
     "{0}: not added: additional passes stopped at the cap of {1} (short by {2})"},
    {M::why_other, "{0}: 추가합격 안 됨 — {1}", "{0}: not added: {1}"},
    {M::res_hires, "최종 단계 합격 {0}명 = 채용 {0}명", "{0} passed the last stage: {0} hires"},
    // {0} program, {1} group hires, {2} hires
    {M::res_applied,
     "{0}: 채용 중 지역인재 {1}명 — 채용 {2}명이 이 프로그램의 의무 채용으로 원장에 기록",
     "{0}: {1} of the hires in the group; the {2} hires count as its obligated hires in the "
     "ledger"},
    {M::res_not_applied,
     "{0}: 채용 중 지역인재 {1}명 — 적용되지 않은 단위라 의무 채용이 아님 (채용 "
     "인원으로만 기록)",
     "{0}: {1} of the hires in the group; the program did not apply, so they are "
     "hires, not "
     "obligated hires"},
    {M::scope_stage, "단계별", "per stage"},
    {M::scope_agency_year, "기관 연간", "agency-year"},
    {M::record_kind, ", {0}", ", {0}"},
    {M::record_year, " ({0}년)", " ({0})"},
    {M::list_separator, ", ", ", "},
};

constexpr bool rows_in_order() {
  for (std::size_t i = 0; i < std::size(kMessages); ++i)
    if (static_cast<std::size_t>(kMessages[i].id) != i) return false;
  return std::size(kMessages) == static_cast<std::size_t>(M::count_);
}
static_assert(rows_in_order(), "kMessages must list every M once, in the enum's order");

std::string say(M id, Language lang, std::initializer_list<std::string_view> args = {}) {
  const MessageRow& row = kMessages[static_cast<std::size_t>(id)];
  return fill_text(lang == Language::ko ? row.ko : row.en, args);
}

// ---- What SPEC says where no pack key does ------------------------------------------------------

/// The rules of SPEC.md that a pack does not state (so a step resting on them cites SPEC).
enum class Rule : std::uint8_t {
  agency,
  programs,
  case_programs,
  inline_program,
  inline_group,
  claims,
  exemption,
  pool,
  considered,
  cut,
  threshold,
  agency_year,
  additional,
  lawful_shortfall,
  below_cut,
  ledger,
  count_
};

struct SpecRow {
  Rule id;
  std::string_view key, ko, en;
};

constexpr SpecRow kSpecRules[] = {
    {Rule::agency, "§2",
     "기관의 사실(소재지, 공공기관 여부, 이전공공기관등의 코호트·적용일·공동혁신도시)이 어떤 법이 "
     "적용되는지 정한다; 저장된 채용에서는 기관 등록부의 기록이다",
     "the agency's facts (region, public institution, the 이전공공기관등's cohort, since and joint "
     "city) decide which laws bind it; for a stored recruitment they are the registry's record"},
    {Rule::programs, "§3.2",
     "법이 기관의 사실로 정하는 프로그램, 그다음 사례의 programs; 어떤 프로그램도 적용되지 않으면 "
     "순위로만 선발한다",
     "the programs the law binds by the agency's facts, then the case's programs; a case bound by "
     "no program is decided by rank alone"},
    {Rule::case_programs, "§3.2",
     "사례의 programs는 기관이 자체 정책이나 다른 법으로 더 적용하는 프로그램이다 (규칙팩 id 또는 "
     "인라인 정의)",
     "the case's programs are further programs the agency applies by its own policy or under "
     "another law (a pack id, or an inline object)"},
    {Rule::inline_program, "§3",
     "인라인 프로그램은 그룹·비율·올림 방식·상한·범위·min_planned를 사례가 정한다 (규칙팩 없음)",
     "an inline program's group, ratio, rounding, cap, scope and min_planned are the case's own "
     "(no pack)"},
    {Rule::inline_group, "§3.1",
     "교육 그룹(levels, statuses, regions, membership, kinds), 속성 그룹(name, equals), 또는 "
     "any_of",
     "an education group (levels, statuses, regions, membership, kinds), an attribute group "
     "(name, equals), or any_of"},
    {Rule::claims, "§3",
     "인라인 프로그램의 적용 제외 주장은 §3.3–§3.4의 목록에서 고르며 그 정의대로 검사한다",
     "an inline program's claims come from the catalogue of §3.3–§3.4 and are checked as defined "
     "there"},
    {Rule::exemption, "§5",
     "채용단위가 프로그램별로 주장한 적용 제외는 모두 인정되고 성립해야 하며, 첫 주장이 단위를 그 "
     "프로그램에서 적용 제외한다; 주장이 없으면 적용된다",
     "every claim a unit makes for a program must be recognised and hold; the first one listed "
     "exempts the unit from that program; without a claim the program applies"},
    {Rule::pool, "§4",
     "첫 단계의 대상은 채용단위의 모든 지원자, 이후 단계의 대상은 앞 단계 합격자 전원",
     "the pool of the first stage is every applicant of the unit; of each later stage, everyone "
     "who passed the stage before"},
    {Rule::considered, "§4 step 1",
     "이 단계 점수가 없거나 결격으로 지정된 지원자는 결격으로 불합격하고, 나머지가 평가대상이다",
     "an applicant with no score for the stage, or listing it in disqualified, fails "
     "disqualified; the rest are considered"},
    {Rule::cut, "§4 step 2",
     "평가대상을 점수순으로 정렬한다; 선발예정 N명 이하이면 전원 합격하고 합격선은 최저점, 아니면 "
     "N번째 점수가 합격선이며 합격선 이상은 모두 정규 합격(동점자 포함, 순위는 id 순)",
     "sort the considered by score; with no more than N all pass and the cut is the lowest score, "
     "otherwise the cut is the N-th score and everyone at or above it passes regularly (ties at "
     "the cut all pass; rank goes to the lowest ids)"},
    {Rule::threshold, "§4 step 3",
     "합격하한선은 min_score, 합격선 − below_cut, 또는 둘 다 있으면 높은 값; 0 미만이면 0, "
     "합격선이 "
     "없으면 below_cut으로는 정하지 않는다",
     "the threshold is min_score, or cut − below_cut, or the higher of the two when both are "
     "given; a threshold below 0 is 0; with no cut, below_cut gives none"},
    {Rule::agency_year, "§4 step 4 (agency_year)",
     "agency_year 범위: 마지막 단계에서만(앞 단계 목표 0), H·L은 올해 이 단위 전까지 프로그램이 "
     "적용된 채용과 그 지역인재(원장 + 이 공고의 앞 단위), P는 이 단계 현재 합격자; 목표는 L + t ≥ "
     "round(비율 × (H + P + max(0, t − have)))인 최소 t ≥ 0",
     "scope agency_year, at the last stage only (earlier stages: target 0): H and L are the "
     "year's hires and group hires before this unit in units the program applied to (the ledger "
     "plus this case's earlier units), P the stage's passers so far; the target is the least "
     "t ≥ 0 with L + t ≥ round(ratio × (H + P + max(0, t − have)))"},
    {Rule::additional, "§4 step 4 (additional passes)",
     "필요 인원(목표 − 합격한 지역인재)이 찰 때까지 합격하지 않은 최고점 지역인재를 동점자와 함께 "
     "추가한다; 합격하한선 미만 점수 앞(threshold), 남은 지역인재가 없을 때(pool), 상한을 넘을 "
     "동점 "
     "묶음 앞(cap)에서 멈추며, 미달은 max(0, 필요 − 추가)",
     "while need (target − group passers) is not met, add the highest-scoring group member who "
     "has not passed, tied members together; stop before a score under the threshold "
     "(threshold), when no member is left (pool), or before a block that would pass the cap "
     "(cap); shortfall = max(0, need − added)"},
    {Rule::lawful_shortfall, "§3.3",
     "합격하한선 미달(혁신도시법 시행령 §30-2④5, 지방대육성법 시행령 §9①4)은 적용 제외 주장이 "
     "아니라 §4의 적법한 미달 stopped_by: threshold이다",
     "results under the announced threshold (혁신도시법 시행령 §30-2④5, 지방대육성법 시행령 §9①4) "
     "are not a claim: they are the lawful shortfall stopped_by: threshold of §4"},
    {Rule::below_cut, "§4 step 5",
     "평가대상 중 합격하지 못한 사람은 합격선 미만(below_cut)으로 불합격",
     "everyone considered who did not pass fails with reason below_cut"},
    {Rule::ledger, "§7",
     "채용단위의 채용은 원장에 기록된다; 프로그램이 적용된 단위(시행 중, 적용 제외 아님, planned ≥ "
     "min_planned)의 채용은 그 프로그램의 의무 채용(obligated)이다",
     "a unit's hires enter the ledger; for each program that applied to it (in force, not "
     "exempt, planned ≥ min_planned) they are obligated hires"},
};

constexpr bool spec_rows_in_order() {
  for (std::size_t i = 0; i < std::size(kSpecRules); ++i)
    if (static_cast<std::size_t>(kSpecRules[i].id) != i) return false;
  return std::size(kSpecRules) == static_cast<std::size_t>(Rule::count_);
}
static_assert(spec_rows_in_order(), "kSpecRules must list every Rule once, in the enum's order");

// ---- Words ------------------------------------------------------------------------------------

std::string num(std::int64_t n) { return std::to_string(n); }

std::string_view yes_no(bool b, Language lang) {
  const MessageRow& row = kMessages[static_cast<std::size_t>(b ? M::yes : M::no)];
  return lang == Language::ko ? row.ko : row.en;
}

std::string scope_words(Scope s, Language lang) {
  return say(s == Scope::stage ? M::scope_stage : M::scope_agency_year, lang);
}

std::string levels_text(LevelSet levels, Language lang) {
  std::string out;
  for (auto l : {EducationLevel::high_school, EducationLevel::college, EducationLevel::university,
                 EducationLevel::graduate})
    if (levels & level_bit(l))
      out += (out.empty() ? "" : say(M::list_separator, lang)) + std::string(level_word(l, lang));
  return out;
}

std::string statuses_text(StatusSet statuses, Language lang) {
  std::string out;
  for (auto s : {EducationStatus::graduated, EducationStatus::expected, EducationStatus::enrolled,
                 EducationStatus::on_leave, EducationStatus::dropped})
    if (statuses & status_bit(s))
      out += (out.empty() ? "" : say(M::list_separator, lang)) + std::string(status_word(s, lang));
  return out;
}

std::string kinds_text(KindSet kinds, Language lang) {
  std::string out;
  for (auto k : {EducationKind::regular, EducationKind::remote, EducationKind::misc})
    if (kinds & kind_bit(k))
      out += (out.empty() ? "" : say(M::list_separator, lang)) + std::string(kind_word(k, lang));
  return out;
}

std::string record_text(const EducationRecord& r, Language lang) {
  std::string out =
      lang == Language::ko
          ? region_name(r.region, lang) + " " + std::string(level_word(r.level, lang)) + " " +
                std::string(status_word(r.status, lang))
          : std::string(level_word(r.level, lang)) + " in " + region_name(r.region, lang) + ", " +
                std::string(status_word(r.status, lang));
  if (r.kind != EducationKind::regular) out += say(M::record_kind, lang, {kind_word(r.kind, lang)});
  if (r.year) out += say(M::record_year, lang, {num(*r.year)});
  return out;
}

/// count × ratio as an exact decimal (`4.5`, `3`).
std::string exact_product(std::int64_t count, const Ratio& r) {
  const std::int64_t value = count * r.numerator(), den = r.denominator();
  std::string out = std::to_string(value / den);
  std::int64_t rem = value % den;
  if (rem == 0) return out;
  std::string frac;
  for (std::int64_t d = den / 10; d >= 1; d /= 10) {
    frac += static_cast<char>('0' + rem / d);
    rem %= d;
  }
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return out + "." + frac;
}

/// `⌈10 × 30%⌉ = ⌈3⌉ = 3`: round(count × ratio) under the rounding, with its exact product.
std::string rounded(std::int64_t count, const Ratio& r, Rounding rounding, Language lang) {
  std::string open, close = ")";
  switch (rounding) {
    case Rounding::ceil:
      open = "⌈";
      close = "⌉";
      break;
    case Rounding::floor:
      open = "⌊";
      close = "⌋";
      break;
    case Rounding::half_up: open = lang == Language::ko ? "반올림(" : "round("; break;
  }
  return open + num(count) + " × " + percent(r) + close + " = " + open + exact_product(count, r) +
         close + " = " + num(r.apply(count, rounding));
}

// ---- Citations ------------------------------------------------------------------------------

Citation cite_pack(const RulePack& p, std::string key, const std::string& text) {
  return Citation{Citation::Source::pack, p.id, p.version, p.digest, std::move(key), text};
}

Citation cite_spec(Rule r, Language lang) {
  const SpecRow& row = kSpecRules[static_cast<std::size_t>(r)];
  return Citation{Citation::Source::spec,
                  {},
                  {},
                  {},
                  std::string(row.key),
                  std::string(lang == Language::ko ? row.ko : row.en)};
}

std::string pointer(std::string_view a, std::size_t i, std::string_view b) {
  return std::string(a) + "/" + std::to_string(i) + std::string(b);
}

Citation cite_merger(const RegionCalendar& cal, std::size_t i) {
  return Citation{
      Citation::Source::regions, {}, {}, cal.digest, pointer("/mergers", i, "/citation"),
      cal.mergers[i].citation};
}

Citation binds(const RulePack& p) { return cite_pack(p, "/binds/citation", p.binds_citation); }
Citation effective(const RulePack& p) {
  return cite_pack(p, "/effective/citation", p.effective_citation);
}
Citation group(const RulePack& p) { return cite_pack(p, "/group/citation", p.group_citation); }
Citation kinds(const RulePack& p) {
  return cite_pack(p, "/group/kinds/citation", p.kinds_citation);
}
Citation membership(const RulePack& p) {
  return cite_pack(p, "/group/membership/citation", p.membership_citation);
}
Citation rounding(const RulePack& p) {
  return cite_pack(p, "/rounding/citation", p.rounding_citation);
}
Citation scope(const RulePack& p) { return cite_pack(p, "/scope/citation", p.scope_citation); }

/// The key of `claim` among the pack's exemptions, or nullopt when the pack does not list it.
std::optional<Citation> claim_citation(const RulePack& p, passline::Claim claim) {
  for (std::size_t i = 0; i < p.exemptions.size(); ++i)
    if (p.exemptions[i].claim == claim)
      return cite_pack(p, pointer("/exemptions/claims", i, "/citation"), p.exemptions[i].citation);
  return std::nullopt;
}

/// The ratio period a recruitment's program took from the pack (resolve_program_v2's choice).
std::optional<Citation> ratio_citation(const RulePack& p, const Agency& agency, Date announced,
                                       int* cohort_out = nullptr) {
  const int cohort_year = agency.innovation_city ? agency.innovation_city->cohort : 0;
  auto cohort = p.ratio.find(cohort_year);
  if (cohort == p.ratio.end()) cohort = p.ratio.find(0);
  if (cohort == p.ratio.end()) return std::nullopt;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < cohort->second.size(); ++i) {
    const RatioPeriod& period = cohort->second[i];
    if (period.from <= announced && (!period.until || announced <= *period.until)) found = i;
  }
  if (!found) return std::nullopt;
  if (cohort_out) *cohort_out = cohort->first;
  const bool periods = p.ratio.size() == 1 && p.ratio.count(0);
  const std::string list =
      periods ? std::string("/ratio/periods") : "/ratio/by_cohort/" + std::to_string(cohort->first);
  return cite_pack(p, pointer(list, *found, "/citation"), cohort->second[*found].citation);
}

/// The key in a readable form: `/ratio/by_cohort/2018/4/citation` → `ratio.by_cohort.2018[4]`.
std::string readable_key(std::string_view pointer_text) {
  std::vector<std::string> parts;
  std::size_t from = 1;
  while (from <= pointer_text.size()) {
    const std::size_t end = std::min(pointer_text.find('/', from), pointer_text.size());
    parts.emplace_back(pointer_text.substr(from, end - from));
    from = end + 1;
  }
  if (!parts.empty() && parts.back() == "citation") parts.pop_back();
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool index = !parts[i].empty() &&
                       std::all_of(parts[i].begin(), parts[i].end(),
                                   [](char ch) { return ch >= '0' && ch <= '9'; }) &&
                       i > 0 && parts[i - 1] != "by_cohort";
    out += index ? "[" + parts[i] + "]" : (out.empty() ? "" : ".") + parts[i];
  }
  return out;
}

/// A citation's line: `근거: [pack version · key] text`; with `quoted` (its text was printed
/// earlier in the same account) the reference alone.
std::string render_citation(const Citation& c, Language lang, bool quoted) {
  const std::string label = say(M::cite_label, lang);
  std::string line;
  switch (c.source) {
    case Citation::Source::pack:
      line = say(M::cite_pack, lang,
                 {label, c.pack, c.version, readable_key(c.key), quoted ? "" : c.text});
      break;
    case Citation::Source::regions:
      line = say(M::cite_regions, lang, {label, readable_key(c.key), quoted ? "" : c.text});
      break;
    case Citation::Source::spec:
      line = say(M::cite_spec, lang, {label, c.key, quoted ? "" : c.text});
      break;
  }
  if (!quoted) return line;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return say(M::cite_again, lang, {line});
}

// ---- The account, as lines ----------------------------------------------------------------

class Lines {
 public:
  explicit Lines(Language lang) : lang_(lang) {}
  void heading(int indent, std::string text) {
    lines_.push_back(ExplanationLine{indent, std::move(text), {}});
  }
  void step(int indent, std::string text, std::vector<Citation> citations) {
    lines_.push_back(ExplanationLine{indent, std::move(text), std::move(citations)});
  }
  void blank() { lines_.push_back(ExplanationLine{}); }
  Explanation finish() && {
    Explanation out;
    std::vector<const Citation*> seen;  // quoted in full already
    for (const ExplanationLine& line : lines_) {
      const auto pad = static_cast<std::size_t>(line.indent) * 2;
      if (!line.text.empty()) out.text.append(pad, ' ').append(line.text);
      out.text += '\n';
      for (const Citation& c : line.citations) {
        const bool quoted =
            std::any_of(seen.begin(), seen.end(), [&](const Citation* s) { return *s == c; });
        out.text.append(pad + 4, ' ').append(render_citation(c, lang_, quoted)).append("\n");
        if (!quoted) seen.push_back(&c);
      }
    }
    out.lines = std::move(lines_);
    return out;
  }

 private:
  Language lang_;
  std::vector<ExplanationLine> lines_;
};

/// What every section reads.
struct Context {
  const Case& c;
  const Decision& d;
  const RuleRegistry& rules;
  const ExplainOptions& options;
  Language lang;
  std::vector<const RulePack*> packs;  ///< per program in force; nullptr for an inline program
};

std::string say_in(const Context& x, M id, std::initializer_list<std::string_view> args = {}) {
  return say(id, x.lang, args);
}

std::string region_of(const Context& x, Region r) { return region_name(r, x.lang); }

// ---- 1. The agency and the programs in force (SPEC §2, §3.2) -----------------------------------

void explain_agency(const Context& x, Lines& out) {
  const Agency& a = x.c.agency;
  const std::string city =
      a.innovation_city
          ? say_in(x, M::agency_city,
                   {num(a.innovation_city->cohort), a.innovation_city->since.to_string(),
                    a.innovation_city->joint_city ? say_in(x, M::agency_joint) : ""})
          : say_in(x, M::agency_no_city);
  std::string text = say_in(x, M::agency,
                            {a.code, region_of(x, a.region),
                             say_in(x, is_capital(a.region) ? M::in_capital : M::outside_capital),
                             yes_no(a.public_institution, x.lang), city});
  text += x.options.agency_source.empty()
              ? say_in(x, M::agency_from_case)
              : say_in(x, M::agency_from_registry, {x.options.agency_source});
  out.step(1, std::move(text), {cite_spec(Rule::agency, x.lang)});
}

/// Why a pack of the law binds this recruitment or not (SPEC §3.2 1–2, the pack's `binds`).
void explain_law_pack(const Context& x, const RulePack& any_version, Lines& out) {
  const Agency& a = x.c.agency;
  const Date on = x.c.recruitment.announced;
  const std::string& id = any_version.id;
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const Program& prog = x.d.programs[p];
    if (prog.id != id || prog.source != ProgramSource::law || !x.packs[p]) continue;
    const RulePack& pack = *x.packs[p];
    if (pack.binds == Binds::innovation_city && a.innovation_city) {
      out.step(1,
               say_in(x, M::bound_city,
                      {id, pack.version, on.to_string(), a.innovation_city->since.to_string()}),
               {binds(pack), effective(pack)});
    } else {
      out.step(1,
               say_in(x, M::bound_public,
                      {id, pack.version, region_of(x, a.region), on.to_string(),
                       pack.effective_from.to_string()}),
               {binds(pack), effective(pack)});
    }
    return;
  }
  const RulePack* pack = x.rules.find(id, on, 2);
  if (!pack) {
    out.step(1,
             say_in(x, M::notbound_not_in_force,
                    {id, on.to_string(), any_version.effective_from.to_string()}),
             {effective(any_version)});
    return;
  }
  if (pack->binds == Binds::innovation_city) {
    if (!a.innovation_city)
      out.step(1, say_in(x, M::notbound_no_city, {id, pack->version}), {binds(*pack)});
    else
      out.step(1,
               say_in(x, M::notbound_before_since,
                      {id, pack->version, on.to_string(), a.innovation_city->since.to_string()}),
               {binds(*pack)});
    return;
  }
  if (!a.public_institution)
    out.step(1, say_in(x, M::notbound_not_public, {id, pack->version}), {binds(*pack)});
  else
    out.step(1, say_in(x, M::notbound_capital, {id, pack->version, region_of(x, a.region)}),
             {binds(*pack)});
}

void explain_programs(const Context& x, Lines& out) {
  out.heading(0, say_in(x, M::sec_programs));
  explain_agency(x, out);
  std::vector<std::string> seen;  // the law's packs, in the registry's order (law.cc's order)
  for (const RulePack& pack : x.rules.all()) {
    if (pack.spec != 2 || pack.binds == Binds::none ||
        std::find(seen.begin(), seen.end(), pack.id) != seen.end())
      continue;
    seen.push_back(pack.id);
    explain_law_pack(x, pack, out);
  }
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const Program& prog = x.d.programs[p];
    if (prog.source != ProgramSource::case_) continue;
    if (const RulePack* pack = x.packs[p]) {
      out.step(1, say_in(x, M::case_pack, {prog.id, pack->version}),
               {cite_spec(Rule::case_programs, x.lang), effective(*pack)});
      continue;
    }
    const std::string cap =
        prog.cap ? say_in(x, M::inline_cap,
                          {rounding_word(prog.cap->rounding, x.lang), percent(prog.cap->ratio)})
                 : "";
    const std::string min_planned =
        prog.min_planned ? say_in(x, M::inline_min_planned, {num(prog.min_planned)}) : "";
    out.step(1,
             say_in(x, M::case_inline,
                    {prog.id, percent(prog.ratio), rounding_word(prog.rounding, x.lang),
                     scope_words(prog.scope, x.lang), cap, min_planned}),
             {cite_spec(Rule::case_programs, x.lang), cite_spec(Rule::inline_program, x.lang)});
  }
  if (x.d.programs.empty())
    out.step(1, say_in(x, M::no_program), {cite_spec(Rule::programs, x.lang)});
  // The values each pack program took for this recruitment: its ratio period and its cap.
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const RulePack* pack = x.packs[p];
    if (!pack) continue;
    const Program& prog = x.d.programs[p];
    int cohort = 0;
    if (auto ratio = ratio_citation(*pack, x.c.agency, x.c.recruitment.announced, &cohort)) {
      const std::string on = x.c.recruitment.announced.to_string();
      out.step(1,
               cohort ? say_in(x, M::ratio_cohort, {prog.id, percent(prog.ratio), num(cohort), on})
                      : say_in(x, M::ratio_every_cohort, {prog.id, percent(prog.ratio), on}),
               {*ratio});
    }
    if (!pack->cap_citation.empty()) {
      const Citation cap = cite_pack(*pack, "/cap/citation", pack->cap_citation);
      if (pack->cap)
        out.step(1,
                 say_in(x, M::cap_some,
                        {prog.id, rounding_word(pack->cap->rounding, x.lang),
                         percent(pack->cap->ratio)}),
                 {cap});
      else
        out.step(1, say_in(x, M::cap_none, {prog.id}), {cap});
    }
  }
}

// ---- 2. Group membership (SPEC §3.1, §3.3–3.4) ---------------------------------------------

/// The citations a group's steps rest on: the pack's keys, or SPEC §3.1 for an inline group.
struct GroupCitations {
  Citation group, kinds, membership, regions;
};

/// Each record against the education group, and why it counts or not (in_education_group_v2).
void explain_records(const Context& x, const Applicant& app, const EducationGroup& g,
                     const GroupCitations& cites, int indent, Lines& out) {
  const auto& records = app.education;
  if (records.empty()) {
    out.step(indent, say_in(x, M::no_records), {cites.membership});
    return;
  }
  const FinalEducationV2 final = final_education_v2(records, g);  // decide()'s reading
  for (std::size_t i = 0; i < records.size(); ++i) {
    const EducationRecord& r = records[i];
    std::string verdict;
    Citation cite = cites.membership;
    const bool level_ok = (g.levels & level_bit(r.level)) != 0;
    const bool region_ok = (g.regions & region_bit(r.region)) != 0;
    if (!(g.statuses & status_bit(r.status))) {
      verdict = say_in(x, M::v_status, {status_word(r.status, x.lang)});
      cite = cites.group;
    } else if (!(g.kinds & kind_bit(r.kind))) {
      verdict = say_in(x, M::v_kind, {kind_word(r.kind, x.lang)});
      cite = cites.kinds;
    } else if (g.membership == Membership::final && r.level == EducationLevel::graduate) {
      verdict = say_in(x, M::v_graduate_final);
    } else if (g.membership == Membership::final && !final.is_final(r, g)) {
      verdict = final.by_year ? say_in(x, M::v_not_final_year, {num(final.latest_year)})
                              : say_in(x, M::v_not_final_level, {level_word(final.top, x.lang)});
    } else if (!level_ok) {
      verdict = say_in(x, M::v_level, {level_word(r.level, x.lang)});
      cite = cites.group;
    } else if (!region_ok) {
      verdict = say_in(x, M::v_region, {region_of(x, r.region)});
      cite = cites.regions;
    } else {
      verdict = say_in(x, g.membership == Membership::final ? M::v_final_in : M::v_any_in);
    }
    out.step(indent,
             say_in(x, M::record,
                    {num(static_cast<std::int64_t>(i + 1)), record_text(r, x.lang), verdict}),
             {cite});
  }
}

/// The rule lines of an education group (levels and statuses, kinds, membership), then the
/// applicant's records.
void explain_education(const Context& x, const Applicant& app, const EducationGroup& g,
                       const GroupCitations& cites, int indent, Lines& out) {
  out.step(indent,
           say_in(x, M::levels, {levels_text(g.levels, x.lang), statuses_text(g.statuses, x.lang)}),
           {cites.group});
  out.step(indent, say_in(x, M::kinds, {kinds_text(g.kinds, x.lang)}), {cites.kinds});
  out.step(indent,
           say_in(x, g.membership == Membership::final ? M::membership_final : M::membership_any),
           {cites.membership});
  explain_records(x, app, g, cites, indent + 1, out);
}

/// The region mergers that widened `before` into the group's regions (SPEC §2).
void explain_mergers(const Context& x, RegionSet before, RegionSet after, int indent, Lines& out) {
  const RegionCalendar& cal = x.rules.regions();
  const Date on = x.c.recruitment.announced;
  for (std::size_t i = 0; i < cal.mergers.size(); ++i) {
    const RegionMerger& m = cal.mergers[i];
    const RegionSet all = m.joins | region_bit(m.region);
    if (on < m.from || !(before & all)) continue;
    out.step(indent,
             say_in(x, M::regions_merged,
                    {m.from.to_string(), regions_text(all, x.lang), regions_text(after, x.lang)}),
             {cite_merger(cal, i)});
  }
}

/// The education part of a pack program's group, and the attribute groups counted with it.
const EducationGroup* pack_education(const Program& prog) {
  if (const auto* e = std::get_if<EducationGroup>(&prog.group)) return e;
  if (const auto* any = std::get_if<AnyOfGroup>(&prog.group))
    if (!any->any_of.empty()) return std::get_if<EducationGroup>(&any->any_of.front().group);
  return nullptr;
}

/// A pack program's 이전지역 (Decree §30-2⑥ through the pack's joint_city and blocs, SPEC
/// §3.3) or listed regions, as resolve_program_v2 chose them. Returns the citation of the key
/// the regions rest on.
Citation explain_pack_regions(const Context& x, const RulePack& pack, const EducationGroup& g,
                              int indent, Lines& out) {
  const Agency& a = x.c.agency;
  const Date on = x.c.recruitment.announced;
  RegionSet before = pack.regions;
  std::optional<Citation> main;
  if (!pack.agency_region) {
    main = group(pack);
    out.step(indent, say_in(x, M::regions_list, {regions_text(before, x.lang)}), {*main});
  } else if (a.innovation_city && a.innovation_city->joint_city && pack.joint_city_regions) {
    before = pack.joint_city_regions;
    main = cite_pack(pack, "/group/joint_city/citation", pack.joint_city_citation);
    out.step(indent, say_in(x, M::regions_joint, {regions_text(before, x.lang)}), {*main});
  } else {
    before = region_bit(a.region);
    for (std::size_t i = 0; i < pack.blocs.size(); ++i) {
      const Bloc& b = pack.blocs[i];
      if (!(b.regions & region_bit(a.region))) continue;
      const Citation bloc = cite_pack(pack, pointer("/group/blocs", i, "/citation"), b.citation);
      if (b.from <= on) {
        before |= b.regions;
        main = bloc;
        out.step(indent,
                 say_in(x, M::regions_bloc,
                        {regions_text(b.regions, x.lang), region_of(x, a.region),
                         b.from.to_string()}),
                 {bloc});
      } else {
        out.step(indent,
                 say_in(x, M::regions_bloc_later,
                        {regions_text(b.regions, x.lang), b.from.to_string(), on.to_string()}),
                 {bloc});
      }
    }
    if (!main) {
      main = group(pack);
      out.step(indent, say_in(x, M::regions_own, {regions_text(before, x.lang)}), {*main});
    }
  }
  explain_mergers(x, before, g.regions, indent, out);
  return *main;
}

void explain_pack_group(const Context& x, std::size_t p, const Applicant& app, int indent,
                        Lines& out) {
  const RulePack& pack = *x.packs[p];
  const Program& prog = x.d.programs[p];
  if (const EducationGroup* g = pack_education(prog)) {
    const Citation regions = explain_pack_regions(x, pack, *g, indent, out);
    explain_education(x, app, *g, {group(pack), kinds(pack), membership(pack), regions}, indent,
                      out);
  }
  for (std::size_t i = 0; i < pack.also.size(); ++i) {
    const AttributeGroup& ag = pack.also[i].first;
    std::optional<std::string> value;
    for (const auto& [name, v] : app.attributes)
      if (name == ag.name && !value) value = v;
    out.step(indent,
             say_in(x, M::attribute,
                    {ag.name, value ? *value : say_in(x, M::attribute_missing), ag.equals,
                     say_in(x, attribute_matches(app, ag) ? M::in_it : M::not_in_it)}),
             {cite_pack(pack, pointer("/group/also", i, "/citation"), pack.also[i].second)});
  }
}

/// An inline program's group (SPEC §3.1), member by member for any_of.
void explain_inline_group(const Context& x, const Group& grp, const Applicant& app, int indent,
                          Lines& out) {
  const Citation spec = cite_spec(Rule::inline_group, x.lang);
  if (const auto* g = std::get_if<EducationGroup>(&grp)) {
    out.step(indent, say_in(x, M::regions_list, {regions_text(g->regions, x.lang)}), {spec});
    explain_mergers(x, g->regions, g->regions, indent, out);
    explain_education(x, app, *g, {spec, spec, spec, spec}, indent, out);
  } else if (const auto* ag = std::get_if<AttributeGroup>(&grp)) {
    std::optional<std::string> value;
    for (const auto& [name, v] : app.attributes)
      if (name == ag->name && !value) value = v;
    out.step(indent,
             say_in(x, M::attribute,
                    {ag->name, value ? *value : say_in(x, M::attribute_missing), ag->equals,
                     say_in(x, attribute_matches(app, *ag) ? M::in_it : M::not_in_it)}),
             {spec});
  } else if (const auto* any = std::get_if<AnyOfGroup>(&grp)) {
    out.step(indent, say_in(x, M::any_of), {spec});
    for (const GroupNode& member : any->any_of)
      explain_inline_group(x, member.group, app, indent + 1, out);
  }
}

/// The key that says who is in program p's group (for the verdict and "not a member").
std::vector<Citation> membership_citations(const Context& x, std::size_t p, const Applicant& app) {
  const RulePack* pack = x.packs[p];
  if (!pack) return {cite_spec(Rule::inline_group, x.lang)};
  std::vector<Citation> out{membership(*pack)};
  for (std::size_t i = 0; i < pack->also.size(); ++i)
    if (attribute_matches(app, pack->also[i].first))
      out.push_back(cite_pack(*pack, pointer("/group/also", i, "/citation"), pack->also[i].second));
  return out;
}

void explain_groups(const Context& x, const Applicant& app, std::uint32_t local, Lines& out) {
  out.heading(0, say_in(x, M::sec_group));
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const Program& prog = x.d.programs[p];
    const bool member = (local >> p) & 1u;
    out.step(1, say_in(x, member ? M::group_in : M::group_out, {prog.id}),
             membership_citations(x, p, app));
    if (x.packs[p])
      explain_pack_group(x, p, app, 2, out);
    else
      explain_inline_group(x, prog.group, app, 2, out);
  }
}

// ---- 3. Exemptions (SPEC §5, Decree §30-2④, 지방대육성법 시행령 §9①) ------------------------

/// Announced posts this year (the planned hires of this case's units and ledger.prior's posts),
/// in `field` or in every field (check_claim_v2's count).
std::pair<std::int64_t, std::int64_t> posts(const Case& c, const std::string* field) {
  std::int64_t in_case = 0, in_ledger = 0;
  for (const Unit& u : c.units)
    if (!field || u.field == *field) in_case += u.planned;
  for (const LedgerEntry& e : c.ledger)
    if (!field || e.field == *field) in_ledger += e.posts;
  return {in_case, in_ledger};
}

/// The fact of the unit that meets `claim` for program p (check_claim_v2 held it).
std::string claim_fact(const Context& x, std::size_t u, std::size_t p, passline::Claim claim) {
  const Unit& unit = x.c.units[u];
  const Program& prog = x.d.programs[p];
  switch (claim) {
    case passline::Claim::small_field: {
      const auto [in_case, in_ledger] = posts(x.c, &unit.field);
      return say_in(x, M::f_small_field,
                    {unit.field, num(in_case + in_ledger), num(in_case), num(in_ledger)});
    }
    case passline::Claim::small_hiring: {
      const auto [in_case, in_ledger] = posts(x.c, nullptr);
      return say_in(x, M::f_small_hiring, {num(in_case + in_ledger), num(in_case), num(in_ledger)});
    }
    case passline::Claim::experienced: return say_in(x, M::f_experienced);
    case passline::Claim::research_masters:
      return say_in(x, M::f_research_masters, {unit.min_degree.value_or("?")});
    case passline::Claim::doctorate:
      return say_in(x, unit.min_degree == std::optional<std::string>("doctorate")
                           ? M::f_doctorate
                           : M::f_masters_notified);
    case passline::Claim::regional_branch: {
      const std::string branch = unit.branch_region ? region_of(x, *unit.branch_region) : "?";
      const std::string inside = regions_text(education_regions(prog.group), x.lang);
      if (unit.branch_service_years)
        return say_in(x, M::f_branch_years, {branch, num(*unit.branch_service_years), inside});
      return say_in(x, M::f_branch, {branch, inside});
    }
    case passline::Claim::applicant_share: {
      const auto& local = x.d.units[u].local;
      std::int64_t members = 0;
      for (std::uint32_t mask : local) members += (mask >> p) & 1u;
      const auto total = static_cast<std::int64_t>(unit.applicants.size());
      return say_in(x, prog.strict_share ? M::f_share_under : M::f_share_at_most,
                    {num(members), num(total), percent(prog.ratio),
                     exact_product(total, prog.ratio)});
    }
  }
  return {};
}

/// The citations of a claim for program p: the pack's key for it (and the strict_share key with
/// applicant_share), or SPEC's catalogue for an inline program.
std::vector<Citation> claim_citations(const Context& x, std::size_t p, passline::Claim claim) {
  const RulePack* pack = x.packs[p];
  if (!pack) return {cite_spec(Rule::claims, x.lang)};
  std::vector<Citation> out;
  if (auto c = claim_citation(*pack, claim)) out.push_back(*c);
  if (claim == passline::Claim::applicant_share && !pack->strict_share_citation.empty())
    out.push_back(
        cite_pack(*pack, "/exemptions/strict_share/citation", pack->strict_share_citation));
  if (out.empty()) out.push_back(cite_spec(Rule::exemption, x.lang));
  return out;
}

std::vector<Citation> min_planned_citations(const Context& x, std::size_t p) {
  const RulePack* pack = x.packs[p];
  if (pack && !pack->min_planned_citation.empty())
    return {cite_pack(*pack, "/min_planned/citation", pack->min_planned_citation)};
  return {cite_spec(Rule::inline_program, x.lang)};
}

void explain_exemptions(const Context& x, std::size_t u, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  out.heading(0, say_in(x, M::sec_exempt));
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const Program& prog = x.d.programs[p];
    const std::optional<std::string>& claim = ud.exempt_from[p];
    const std::optional<passline::Claim> known = claim ? parse_claim_v2(*claim) : std::nullopt;
    if (claim && known) {
      std::vector<Citation> cites = claim_citations(x, p, *known);
      cites.push_back(cite_spec(Rule::exemption, x.lang));
      out.step(1, say_in(x, M::ex_holds, {prog.id, *claim, claim_fact(x, u, p, *known)}),
               std::move(cites));
      for (const ProgramClaims& pc : unit.claims) {
        if (pc.program != prog.id) continue;
        for (std::size_t j = 1; j < pc.claims.size(); ++j) {
          const auto further = parse_claim_v2(pc.claims[j]);
          if (!further) continue;
          std::vector<Citation> more = claim_citations(x, p, *further);
          more.push_back(cite_spec(Rule::exemption, x.lang));
          out.step(2,
                   say_in(x, M::ex_also, {prog.id, pc.claims[j], *claim}) + ": " +
                       claim_fact(x, u, p, *further),
                   std::move(more));
        }
      }
    } else {
      out.step(1, say_in(x, M::ex_none, {prog.id}), {cite_spec(Rule::exemption, x.lang)});
    }
    if (unit.planned < prog.min_planned)
      out.step(1, say_in(x, M::ex_min_planned, {prog.id, num(unit.planned), num(prog.min_planned)}),
               min_planned_citations(x, p));
  }
}

// ---- 4. Stages (SPEC §4) ------------------------------------------------------------------

bool considered(Outcome o) { return o != Outcome::not_reached && o != Outcome::fail_disqualified; }
bool regular_pass(Outcome o) { return o == Outcome::pass_rank || o == Outcome::pass_tie; }

std::optional<Decimal> score_at(const Applicant& a, std::size_t s) {
  return s < a.scores.size() ? a.scores[s] : std::nullopt;
}

/// The year so far for program p before unit u (SPEC §4 step 4): the ledger's obligated and
/// group hires, and this case's earlier units the program applied to (decide()'s running year).
struct YearSoFar {
  std::int64_t h_ledger = 0, l_ledger = 0, h_case = 0, l_case = 0;
};

YearSoFar year_so_far(const Context& x, std::size_t u, std::size_t p) {
  YearSoFar y;
  const std::string& id = x.d.programs[p].id;
  for (const LedgerEntry& e : x.c.ledger) {
    if (auto it = e.obligated.find(id); it != e.obligated.end()) y.h_ledger += it->second;
    if (auto it = e.group_hires.find(id); it != e.group_hires.end()) y.l_ledger += it->second;
  }
  for (std::size_t v = 0; v < u; ++v)
    if (program_applies(x.c.units[v], x.d.units[v], p, x.d.programs[p])) {
      y.h_case += x.d.units[v].hires;
      y.l_case += x.d.units[v].group_hires[p];
    }
  return y;
}

/// The passers of stage s when program p came to add (regular passers and the additional
/// passes of the programs before it), and the members of p's group among them.
std::pair<std::int64_t, std::int64_t> passers_before(const Context& x, std::size_t u, std::size_t s,
                                                     std::size_t p) {
  const UnitDecision& ud = x.d.units[u];
  std::int64_t passers = 0, have = 0;
  for (std::size_t a = 0; a < ud.local.size(); ++a) {
    const StageOutcome o = ud.outcome(a, s);
    const bool counted =
        regular_pass(o.outcome) || (o.outcome == Outcome::pass_additional && o.program < p);
    if (!counted) continue;
    ++passers;
    if ((ud.local[a] >> p) & 1u) ++have;
  }
  return {passers, have};
}

/// Citations of a target: the pack's ratio period, rounding and scope (or SPEC for inline).
std::vector<Citation> target_citations(const Context& x, std::size_t p) {
  const RulePack* pack = x.packs[p];
  if (!pack) return {cite_spec(Rule::inline_program, x.lang)};
  std::vector<Citation> out;
  if (auto r = ratio_citation(*pack, x.c.agency, x.c.recruitment.announced)) out.push_back(*r);
  out.push_back(rounding(*pack));
  out.push_back(scope(*pack));
  return out;
}

std::string year_split(const Context& x, std::int64_t ledger, std::int64_t in_case) {
  return say_in(x, M::tgt_year_split, {num(ledger), num(in_case)});
}

void explain_target(const Context& x, std::size_t u, std::size_t s, std::size_t p, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  const StageResult& st = ud.stages[s];
  const Program& prog = x.d.programs[p];
  const ProgramStageResult& pr = st.programs[p];
  const bool last = s + 1 == ud.stages.size();
  switch (target_basis(unit, prog, exempt_from(ud, p), last)) {
    case TargetBasis::exempt: {
      const std::string claim = ud.exempt_from[p].value_or("?");
      const auto known = parse_claim_v2(claim);
      out.step(1, say_in(x, M::tgt_exempt, {prog.id, claim}),
               known ? claim_citations(x, p, *known)
                     : std::vector<Citation>{cite_spec(Rule::exemption, x.lang)});
      return;
    }
    case TargetBasis::under_min_planned:
      out.step(1,
               say_in(x, M::tgt_min_planned, {prog.id, num(unit.planned), num(prog.min_planned)}),
               min_planned_citations(x, p));
      return;
    case TargetBasis::agency_year: {
      const YearSoFar y = year_so_far(x, u, p);
      const auto before = passers_before(x, u, s, p);
      const std::int64_t passers = before.first, have = before.second;
      const std::int64_t h = y.h_ledger + y.h_case, l = y.l_ledger + y.l_case, t = pr.target;
      std::vector<Citation> cites = target_citations(x, p);
      cites.push_back(cite_spec(Rule::agency_year, x.lang));
      out.step(1,
               say_in(x, M::tgt_year,
                      {prog.id, num(t), num(h), year_split(x, y.h_ledger, y.h_case), num(l),
                       year_split(x, y.l_ledger, y.l_case), num(passers), num(have)}),
               cites);
      auto at = [&](std::int64_t tt) {
        return rounded(h + passers + std::max<std::int64_t>(0, tt - have), prog.ratio,
                       prog.rounding, x.lang);
      };
      const std::string previous =
          t > 0 ? say_in(x, M::tgt_year_previous, {num(t - 1), num(l + t - 1), at(t - 1)}) : "";
      out.step(2, say_in(x, M::tgt_year_formula, {num(t), num(l), num(l + t), at(t), previous}),
               {cite_spec(Rule::agency_year, x.lang)});
      return;
    }
    case TargetBasis::stage: break;
  }
  if (prog.scope == Scope::agency_year) {
    std::vector<Citation> cites;
    if (x.packs[p]) cites.push_back(scope(*x.packs[p]));
    cites.push_back(cite_spec(Rule::agency_year, x.lang));
    out.step(1, say_in(x, M::tgt_year_early, {prog.id}), cites);
    return;
  }
  out.step(1,
           say_in(x, M::tgt_stage,
                  {prog.id, num(pr.target), rounded(st.planned, prog.ratio, prog.rounding, x.lang),
                   scope_words(prog.scope, x.lang)}),
           target_citations(x, p));
}

/// The group members program p added at stage s, highest first: `ID score, …`.
std::string added_list(const Context& x, std::size_t u, std::size_t s, std::size_t p,
                       std::int64_t& count) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  std::vector<std::size_t> added;
  for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
    const StageOutcome o = ud.outcome(a, s);
    if (o.outcome == Outcome::pass_additional && o.program == p) added.push_back(a);
  }
  std::sort(added.begin(), added.end(), [&](std::size_t i, std::size_t j) {
    const auto si = score_at(unit.applicants[i], s), sj = score_at(unit.applicants[j], s);
    if (si && sj && *si != *sj) return *si > *sj;
    return unit.applicants[i].id < unit.applicants[j].id;
  });
  count = static_cast<std::int64_t>(added.size());
  if (added.empty()) return {};
  constexpr std::size_t kShown = 10;
  std::string list;
  for (std::size_t k = 0; k < added.size() && k < kShown; ++k) {
    const Applicant& a = unit.applicants[added[k]];
    const auto sc = score_at(a, s);
    list += (k ? say_in(x, M::list_separator) : "") + a.id + " " + (sc ? sc->to_string() : "-");
  }
  if (added.size() > kShown)
    list += say_in(x, M::added_more, {num(static_cast<std::int64_t>(added.size() - kShown))});
  return say_in(x, M::added_list, {list});
}

/// The group member program p would have taken next at stage s: the highest-scoring considered
/// member who passed neither regularly nor by program p or one before it; and how many are
/// tied at that score.
std::optional<std::pair<std::size_t, std::int64_t>> next_member(const Context& x, std::size_t u,
                                                                std::size_t s, std::size_t p) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  std::optional<std::size_t> best;
  std::int64_t tied = 0;
  for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
    const StageOutcome o = ud.outcome(a, s);
    if (!considered(o.outcome) || regular_pass(o.outcome) || !((ud.local[a] >> p) & 1u)) continue;
    if (o.outcome == Outcome::pass_additional && o.program <= p) continue;
    const auto sc = score_at(unit.applicants[a], s);
    if (!sc) continue;
    const auto best_score = best ? score_at(unit.applicants[*best], s) : std::nullopt;
    if (!best || *sc > *best_score ||
        (*sc == *best_score && unit.applicants[a].id < unit.applicants[*best].id)) {
      tied = best && *sc == *best_score ? tied + 1 : 1;
      best = a;
    } else if (*sc == *best_score) {
      ++tied;
    }
  }
  if (!best) return std::nullopt;
  return std::pair{*best, tied};
}

std::vector<Citation> cap_citations(const Context& x, std::size_t p) {
  const RulePack* pack = x.packs[p];
  std::vector<Citation> out;
  if (pack && !pack->cap_citation.empty())
    out.push_back(cite_pack(*pack, "/cap/citation", pack->cap_citation));
  else if (!pack)
    out.push_back(cite_spec(Rule::inline_program, x.lang));
  out.push_back(cite_spec(Rule::additional, x.lang));
  return out;
}

/// Program p at stage s: its target, the group's regular passers, the additions and why they
/// stopped (SPEC §4 step 4).
void explain_program_at_stage(const Context& x, std::size_t u, std::size_t s, std::size_t p,
                              Lines& out) {
  const Unit& unit = x.c.units[u];
  const StageResult& st = x.d.units[u].stages[s];
  const Program& prog = x.d.programs[p];
  const ProgramStageResult& pr = st.programs[p];
  explain_target(x, u, s, p, out);
  const std::int64_t have = passers_before(x, u, s, p).second;
  const std::int64_t need = std::max<std::int64_t>(0, pr.target - have);
  const Citation loop = cite_spec(Rule::additional, x.lang);
  out.step(2,
           have != pr.regular
               ? say_in(x, M::counts_with_earlier, {prog.id, num(pr.regular), num(have), num(need)})
               : say_in(x, M::counts, {prog.id, num(pr.regular), num(need)}),
           {loop});
  if (need == 0) {
    if (pr.target > 0) out.step(2, say_in(x, M::add_none_needed, {prog.id}), {loop});
    return;
  }
  std::int64_t added = 0;
  const std::string list = added_list(x, u, s, p, added);
  switch (pr.stopped_by) {
    case StoppedBy::none: {
      std::vector<Citation> cites = target_citations(x, p);
      cites.push_back(loop);
      out.step(2, say_in(x, M::add_done, {prog.id, num(added), list}), std::move(cites));
      return;
    }
    case StoppedBy::threshold: {
      const auto next = next_member(x, u, s, p);
      const std::vector<Citation> cites{cite_spec(Rule::lawful_shortfall, x.lang), loop};
      if (next && st.threshold) {
        const Applicant& a = unit.applicants[next->first];
        out.step(2,
                 say_in(x, M::add_threshold,
                        {prog.id, num(added), list, a.id, score_at(a, s)->to_string(),
                         st.threshold->to_string(), num(pr.shortfall)}),
                 cites);
      } else {
        out.step(2,
                 say_in(x, M::add_threshold_none, {prog.id, num(added), list, num(pr.shortfall)}),
                 cites);
      }
      return;
    }
    case StoppedBy::pool:
      out.step(2, say_in(x, M::add_pool, {prog.id, num(added), list, num(pr.shortfall)}), {loop});
      return;
    case StoppedBy::cap: {
      const auto next = next_member(x, u, s, p);
      const std::string score =
          next ? score_at(unit.applicants[next->first], s)->to_string() : std::string("-");
      out.step(2,
               say_in(x, M::add_cap,
                      {prog.id, num(added), list, num(additional_cap(prog, st.planned)), score,
                       num(next ? next->second : 0), num(pr.shortfall)}),
               cap_citations(x, p));
      return;
    }
  }
}

/// Why a considered applicant below the cut was not added by program p.
void explain_not_added(const Context& x, std::size_t u, std::size_t s, std::size_t p, bool member,
                       std::optional<Decimal> score, const Applicant& app, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  const StageResult& st = ud.stages[s];
  const Program& prog = x.d.programs[p];
  const ProgramStageResult& pr = st.programs[p];
  const Citation loop = cite_spec(Rule::additional, x.lang);
  if (!member) {
    out.step(2, say_in(x, M::why_not_member, {prog.id}), membership_citations(x, p, app));
    return;
  }
  const bool last = s + 1 == ud.stages.size();
  switch (target_basis(unit, prog, exempt_from(ud, p), last)) {
    case TargetBasis::exempt: {
      const std::string claim = ud.exempt_from[p].value_or("?");
      const auto known = parse_claim_v2(claim);
      out.step(2, say_in(x, M::why_exempt, {prog.id, claim}),
               known ? claim_citations(x, p, *known)
                     : std::vector<Citation>{cite_spec(Rule::exemption, x.lang)});
      return;
    }
    case TargetBasis::under_min_planned:
      out.step(2,
               say_in(x, M::why_min_planned, {prog.id, num(unit.planned), num(prog.min_planned)}),
               min_planned_citations(x, p));
      return;
    case TargetBasis::stage:
      if (prog.scope == Scope::agency_year) {
        out.step(2, say_in(x, M::why_year_early, {prog.id}),
                 {cite_spec(Rule::agency_year, x.lang)});
        return;
      }
      break;
    case TargetBasis::agency_year: break;
  }
  if (pr.shortfall == 0 && pr.stopped_by == StoppedBy::none) {
    if (pr.additional == 0)
      out.step(2, say_in(x, M::why_met, {prog.id, num(pr.target)}), {loop});
    else
      out.step(2, say_in(x, M::why_met_by, {prog.id, num(pr.additional), num(pr.target)}), {loop});
    return;
  }
  if (score && st.threshold && *score < *st.threshold) {
    out.step(2,
             say_in(x, M::why_threshold,
                    {prog.id, score->to_string(), st.threshold->to_string(), num(pr.shortfall)}),
             {cite_spec(Rule::lawful_shortfall, x.lang), loop});
    return;
  }
  if (pr.stopped_by == StoppedBy::cap) {
    out.step(2,
             say_in(x, M::why_cap,
                    {prog.id, num(additional_cap(prog, st.planned)), num(pr.shortfall)}),
             cap_citations(x, p));
    return;
  }
  out.step(2, say_in(x, M::why_other, {prog.id, stopped_word(pr.stopped_by, x.lang)}), {loop});
}

/// The applicant's outcome at stage s and why (SPEC §4 steps 1, 2, 4, 5).
void explain_outcome(const Context& x, std::size_t u, std::size_t s, std::size_t a, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  const StageResult& st = ud.stages[s];
  const Applicant& app = unit.applicants[a];
  const StageOutcome so = ud.outcome(a, s);
  const std::optional<Decimal> score = score_at(app, s);
  switch (so.outcome) {
    case Outcome::pass_rank: {
      const std::int64_t rank = score ? rank_among_considered(unit, ud, s, *score) : 0;
      out.step(1, say_in(x, M::out_rank, {num(rank), num(st.planned)}),
               {cite_spec(Rule::cut, x.lang)});
      return;
    }
    case Outcome::pass_tie:
      out.step(1, say_in(x, M::out_tie, {st.cut ? st.cut->to_string() : "-", num(st.planned)}),
               {cite_spec(Rule::cut, x.lang)});
      return;
    case Outcome::pass_additional: {
      const std::size_t p = so.program;
      std::vector<Citation> cites = target_citations(x, p);
      cites.push_back(cite_spec(Rule::additional, x.lang));
      out.step(1,
               say_in(x, M::out_additional,
                      {x.d.programs[p].id, score ? score->to_string() : "-",
                       st.threshold ? st.threshold->to_string() : "-", num(st.programs[p].target),
                       num(st.planned)}),
               std::move(cites));
      return;
    }
    case Outcome::fail_disqualified: {
      const bool listed = s < kMaxStages && ((app.disqualified >> s) & 1u) != 0;
      out.step(1,
               say_in(x, !score   ? M::out_no_score
                         : listed ? M::out_listed
                                  : M::out_no_score),
               {cite_spec(Rule::considered, x.lang)});
      return;
    }
    case Outcome::fail_below_cut: {
      out.step(1,
               score && st.cut
                   ? say_in(x, M::out_below_cut, {score->to_string(), st.cut->to_string()})
                   : say_in(x, M::out_below_cut_plain),
               {cite_spec(Rule::below_cut, x.lang)});
      const std::uint32_t local = ud.local[a];
      for (std::size_t p = 0; p < x.d.programs.size(); ++p)
        explain_not_added(x, u, s, p, (local >> p) & 1u, score, app, out);
      return;
    }
    case Outcome::not_reached: break;
  }
}

/// The cut and the threshold of stage s (SPEC §4 steps 2–3).
void explain_cut_and_threshold(const Context& x, std::size_t u, std::size_t s, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  const StageResult& st = ud.stages[s];
  std::int64_t regular = 0, ties = 0;
  for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
    const Outcome o = ud.outcome(a, s).outcome;
    regular += regular_pass(o);
    ties += o == Outcome::pass_tie;
  }
  std::string cut;
  if (!st.cut)
    cut = say_in(x, st.considered == 0 ? M::cut_none : M::cut_no_planned);
  else if (all_considered_pass(st.considered, st.planned))
    cut = say_in(x, M::cut_all, {num(st.considered), num(st.planned), st.cut->to_string()});
  else
    cut = say_in(x, M::cut_nth,
                 {st.cut->to_string(), num(st.planned), num(regular),
                  ties ? say_in(x, M::cut_ties, {num(ties)}) : "", ordinal_suffix(st.planned)});
  out.step(1, std::move(cut), {cite_spec(Rule::cut, x.lang)});

  const Threshold& th = unit.stages[s].threshold;
  std::string text;
  switch (threshold_basis(th, st.cut.has_value())) {
    case ThresholdBasis::none: text = say_in(x, M::thr_none); break;
    case ThresholdBasis::min_score:
      text = say_in(x, M::thr_min, {th.min_score->to_string()});
      break;
    case ThresholdBasis::below_cut: {
      const std::optional<Decimal> diff = checked_sub(*st.cut, *th.below_cut);
      if (diff && diff->units() < 0) {
        const std::optional<Decimal> magnitude = checked_sub(*th.below_cut, *st.cut);
        text = say_in(x, M::thr_clamped,
                      {st.cut->to_string(), th.below_cut->to_string(),
                       magnitude ? magnitude->to_string() : "?"});
      } else {
        text = say_in(x, M::thr_below,
                      {st.threshold ? st.threshold->to_string() : "-", st.cut->to_string(),
                       th.below_cut->to_string()});
      }
      break;
    }
    case ThresholdBasis::higher: {
      const std::optional<Decimal> diff = checked_sub(*st.cut, *th.below_cut);
      text =
          say_in(x, M::thr_higher,
                 {st.threshold ? st.threshold->to_string() : "-", th.min_score->to_string(),
                  st.cut->to_string(), th.below_cut->to_string(), diff ? diff->to_string() : "?"});
      break;
    }
  }
  out.step(1, std::move(text), {cite_spec(Rule::threshold, x.lang)});
}

void explain_stage(const Context& x, std::size_t u, std::size_t s, std::size_t a, Lines& out) {
  const Unit& unit = x.c.units[u];
  const UnitDecision& ud = x.d.units[u];
  const StageResult& st = ud.stages[s];
  const Applicant& app = unit.applicants[a];
  out.heading(0, say_in(x, M::sec_stage,
                        {num(static_cast<std::int64_t>(s + 1)), st.name, num(st.planned),
                         num(st.considered), num(st.passed)}));
  const StageOutcome so = ud.outcome(a, s);
  if (so.outcome == Outcome::not_reached) {
    out.step(1, say_in(x, M::not_reached), {cite_spec(Rule::pool, x.lang)});
    return;
  }
  std::int64_t pool = 0;
  for (std::size_t b = 0; b < unit.applicants.size(); ++b)
    pool += ud.outcome(b, s).outcome != Outcome::not_reached;
  std::vector<Citation> pool_cites{cite_spec(Rule::considered, x.lang)};
  if (s > 0) pool_cites.insert(pool_cites.begin(), cite_spec(Rule::pool, x.lang));
  out.step(1, say_in(x, M::pool, {num(pool), num(st.considered), num(pool - st.considered)}),
           std::move(pool_cites));

  const std::optional<Decimal> score = score_at(app, s);
  if (so.outcome == Outcome::fail_disqualified) {
    out.step(1, score ? say_in(x, M::score_listed, {score->to_string()}) : say_in(x, M::score_none),
             {cite_spec(Rule::considered, x.lang)});
  } else if (score) {
    out.step(1,
             say_in(x, M::score_rank,
                    {score->to_string(), num(st.considered),
                     num(rank_among_considered(unit, ud, s, *score))}),
             {cite_spec(Rule::cut, x.lang)});
  }
  explain_cut_and_threshold(x, u, s, out);
  for (std::size_t p = 0; p < x.d.programs.size() && p < st.programs.size(); ++p)
    explain_program_at_stage(x, u, s, p, out);
  explain_outcome(x, u, s, a, out);
}

// ---- 5. The unit's hires in the ledger (SPEC §7) ----------------------------------------------

void explain_result(const Context& x, std::size_t u, Lines& out) {
  const UnitDecision& ud = x.d.units[u];
  const Citation ledger = cite_spec(Rule::ledger, x.lang);
  out.heading(0, say_in(x, M::sec_result));
  out.step(1, say_in(x, M::res_hires, {num(ud.hires)}), {ledger});
  for (std::size_t p = 0; p < x.d.programs.size(); ++p) {
    const Program& prog = x.d.programs[p];
    const std::int64_t group_hires = p < ud.group_hires.size() ? ud.group_hires[p] : 0;
    if (program_applies(x.c.units[u], ud, p, prog))
      out.step(1, say_in(x, M::res_applied, {prog.id, num(group_hires), num(ud.hires)}), {ledger});
    else
      out.step(1, say_in(x, M::res_not_applied, {prog.id, num(group_hires)}), {ledger});
  }
}

void explain_unit(const Context& x, std::size_t u, std::size_t a, Lines& out) {
  const Unit& unit = x.c.units[u];
  const Applicant& app = unit.applicants[a];
  out.heading(0, say_in(x, M::header,
                        {app.id, x.c.recruitment.id, x.c.recruitment.announced.to_string(), unit.id,
                         unit.field, num(unit.planned)}));
  out.blank();
  explain_programs(x, out);
  if (!x.d.programs.empty()) {  // with no program in force there is no group nor exemption
    out.blank();
    explain_groups(x, app, x.d.units[u].local[a], out);
    out.blank();
    explain_exemptions(x, u, out);
  }
  for (std::size_t s = 0; s < x.d.units[u].stages.size(); ++s) {
    out.blank();
    explain_stage(x, u, s, a, out);
  }
  out.blank();
  explain_result(x, u, out);
}

/// The decision is a quota-case/2 decision of this case, with the shapes the sections index.
bool fits(const Case& c, const Decision& d) {
  if (d.spec != Spec::v2 || d.units.size() != c.units.size() || d.programs.size() > kMaxPrograms)
    return false;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const UnitDecision& ud = d.units[u];
    if (ud.stages.size() != unit.stages.size() || ud.local.size() != unit.applicants.size() ||
        ud.outcomes.size() != unit.applicants.size() * unit.stages.size() ||
        ud.exempt_from.size() != d.programs.size() || ud.group_hires.size() != d.programs.size())
      return false;
    for (const StageResult& st : ud.stages)
      if (st.programs.size() != d.programs.size()) return false;
    for (const StageOutcome& o : ud.outcomes)
      if (o.outcome == Outcome::pass_additional && o.program >= d.programs.size()) return false;
  }
  return true;
}

}  // namespace

Result<Explanation> explain_v2(const Case& c, const Decision& d, const RuleRegistry& rules,
                               std::string_view applicant_id, const ExplainOptions& options) {
  if (!fits(c, d))
    return make_error("invalid_value", "decision",
                      "the decision is not this quota-case/2 case's (decide() it again)");
  Context x{c, d, rules, options, options.lang, {}};
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const Program& prog = d.programs[p];
    const RulePack* pack =
        prog.pack_digest.empty() ? nullptr : rules.find_by_digest(prog.pack_digest);
    if (!pack && (!prog.pack_digest.empty() || prog.source == ProgramSource::law))
      return make_error("unknown_rule_digest", path("programs", p),
                        "no rule pack with the digest '" + prog.pack_digest + "' of '" + prog.id +
                            "' is known: explain with the rules that decided");
    x.packs.push_back(pack);
  }
  Lines out(options.lang);
  bool found = false;
  for (std::size_t u = 0; u < c.units.size(); ++u)
    for (std::size_t a = 0; a < c.units[u].applicants.size(); ++a) {
      if (c.units[u].applicants[a].id != applicant_id) continue;
      if (found) out.blank();
      found = true;
      explain_unit(x, u, a, out);
    }
  if (!found)
    return make_error("unknown_applicant", "applicant",
                      "no unit of the case has applicant '" + std::string(applicant_id) + "'");
  return std::move(out).finish();
}

}  // namespace passline::detail
