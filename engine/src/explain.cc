// passline: a plain-language account of one applicant's outcome (explain.h), quota-case/1; the
// public entry points, which send a quota-case/2 decision to explain_v2.cc.
//
// Everything here is read back from the Decision that decide() produced; nothing is decided
// again. The words follow SPEC.md §4: the cut (the N-th score, ties at the cut pass), the
// threshold (합격하한선, the floor for additional passes), a program's target (채용목표) and its
// additional passes (추가합격) for group members (지역인재) at or above the threshold. Which rule
// set a target or a threshold is asked of the same steps decide() runs (detail/steps.h).
// Every sentence, in Korean and in English, is one row of kMessages; fill() puts the numbers in.
// Numbers are printed with Decimal::to_string and integer arithmetic only.
#include "passline/explain.h"

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "detail/explain_v2.h"
#include "detail/explain_words.h"
#include "detail/steps.h"

namespace passline {
namespace {

using detail::Claim;
using detail::TargetBasis;
using detail::ThresholdBasis;

// ---- The message table ----------------------------------------------------------------------

/// One sentence or phrase of an explanation. `{0}`…`{9}` are filled by fill(), in both languages
/// from the same arguments (a language may leave one out).
enum class Msg : std::uint8_t {
  claim_small_field,
  claim_experienced,
  claim_research_masters,
  claim_regional_branch,
  claim_applicant_share,
  claim_with_words,
  no_final_education,
  final_education,
  attribute,
  attribute_missing,
  no_threshold,
  threshold,
  threshold_higher,
  threshold_below_cut,
  threshold_min_score,
  target_exempt,
  target_under_min_planned,
  target_agency_year,
  target_stage,
  not_added,
  not_added_not_member,
  not_added_exempt,
  not_added_target_met,
  not_added_met_by_one,
  not_added_met_by_many,
  not_added_below_threshold,
  cap_amount,
  not_added_cap,
  header,
  unit_exempt,
  member_in,
  member_out,
  stage_header,
  not_reached,
  score_rank,
  score_not_considered,
  no_score,
  no_cut,
  cut_all_pass,
  cut_nth,
  cut_line,
  program_counts,
  parenthesized,
  applicant_in_group,
  applicant_not_in_group,
  outcome_rank,
  outcome_tie,
  outcome_additional,
  outcome_no_score,
  outcome_listed,
  outcome_disqualified,
  outcome_below_cut,
  outcome_below_cut_plain,
  count_
};

struct MessageRow {
  Msg id;
  std::string_view ko, en;
};

constexpr MessageRow kMessages[] = {
    {Msg::claim_small_field, "해당 분야 연간 채용 5명 이하",
     "5 or fewer hires in the field this year"},
    {Msg::claim_experienced, "경력직 채용", "a post requiring experience"},
    {Msg::claim_research_masters, "석사 이상 연구직",
     "a research post requiring a master's degree or more"},
    {Msg::claim_regional_branch, "지역본부·지사 채용",
     "a regional branch outside the programs' regions"},
    {Msg::claim_applicant_share, "지역인재 지원자 비율이 채용목표 비율 이하",
     "group members among the applicants at most the program's ratio"},
    {Msg::claim_with_words, "{0} ({1})", "{0} ({1})"},
    {Msg::no_final_education, "인정되는 최종학력 없음", "no education record that counts"},
    // {0} region, {1} level, {2} status, {3} the group's regions
    {Msg::final_education, "최종학력 {0} {1} {2}; 인정 지역 {3}",
     "final education: {1} in {0}, {2}; the group's regions: {3}"},
    // {0} attribute name, {1} the applicant's value, {2} the required value
    {Msg::attribute, "속성 {0} = {1}, 요건 {2}", "attribute {0} = {1}, required {2}"},
    {Msg::attribute_missing, "(없음)", "(none)"},
    {Msg::no_threshold, "합격하한선 없음", "no threshold"},
    {Msg::threshold, "합격하한선 {0}점", "threshold {0}"},
    // {0} min_score, {1} below_cut, {2} "cut − below_cut"
    {Msg::threshold_higher, " (최저점수 {0}점과 합격선−{1}점 = {2} 중 높은 값)",
     " (the higher of min_score {0} and cut − below_cut = {2})"},
    {Msg::threshold_below_cut, " (합격선 {0})", " (cut − below_cut = {0})"},
    {Msg::threshold_min_score, " (최저점수)", " (min_score)"},
    {Msg::target_exempt, "채용목표 0명 (적용 제외 단위)", "target 0 (the unit is exempt)"},
    // {0} the unit's planned hires, {1} min_planned
    {Msg::target_under_min_planned, "채용목표 0명 (채용단위 채용예정 {0}명 < 최소 {1}명)",
     "target 0 (the unit's {0} planned hires are under min_planned {1})"},
    // {0} target, {1} ratio, {2} rounding
    {Msg::target_agency_year,
     "채용목표 {0}명 (기관 연간 기준: 올해 채용 누계의 {1}, {2}, 기채용 지역인재 차감)",
     "target {0} (agency-year scope: {1} of this year's hires, {2}, less the group's prior hires)"},
    // {0} target, {1} planned, {2} ratio, {3} rounding
    {Msg::target_stage, "채용목표 {0}명 (선발예정 {1}명 × {2}, {3})",
     "target {0} ({2} of {1} planned, {3})"},
    {Msg::not_added, "  {0} 추가합격 안 됨: ", "  Not added by {0}: "},
    {Msg::not_added_not_member, "지역인재(대상 그룹)에 해당하지 않음", "not a member of its group"},
    {Msg::not_added_exempt, "적용 제외 단위라 채용목표가 0명",
     "the unit is exempt, so the target is 0"},
    {Msg::not_added_target_met, "채용목표 {0}명이 이미 충족됨",
     "its target of {0} was already met"},
    // {0} added, {1} target
    {Msg::not_added_met_by_one,
     "더 높은 점수의 지역인재 {0}명을 추가합격시켜 채용목표 {1}명을 충족함",
     "its target of {1} was met by adding {0} higher-scoring group member"},
    {Msg::not_added_met_by_many,
     "더 높은 점수의 지역인재 {0}명을 추가합격시켜 채용목표 {1}명을 충족함",
     "its target of {1} was met by adding {0} higher-scoring group members"},
    // {0} score, {1} threshold, {2} shortfall
    {Msg::not_added_below_threshold, "점수 {0}점이 합격하한선 {1}점 미만 (채용목표 미달 {2}명)",
     "the score {0} is below the threshold {1} (the target is short by {2})"},
    {Msg::cap_amount, " {0}명", " ({0})"},
    // {0} cap_amount or nothing, {1} shortfall
    {Msg::not_added_cap,
     "추가합격 상한{0}에 도달하여 이 점수 전에 추가합격이 중단됨 (채용목표 미달 {1}명)",
     "the program stopped at its cap on additional passes{0} before reaching this score; the "
     "target is short by {1}"},
    // {0} applicant, {1} recruitment, {2} unit, {3} field, {4} planned hires
    {Msg::header, "지원자 {0} — 채용공고 {1}, 채용단위 {2} (시험분야 {3}, 채용예정 {4}명)\n",
     "Applicant {0}, recruitment {1}, unit {2} (field {3}, {4} planned hires)\n"},
    {Msg::unit_exempt,
     "이 채용단위는 채용목표제 적용 제외입니다: {0}. 모든 채용목표가 0명이며 순위로만 "
     "선발합니다.\n",
     "The unit is exempt: {0}. Every target is 0; the unit is decided on rank alone.\n"},
    // {0} program, {1} the basis
    {Msg::member_in, "{0}: 지역인재 해당 ({1})\n", "{0}: in the group ({1})\n"},
    {Msg::member_out, "{0}: 지역인재 비해당 ({1})\n", "{0}: not in the group ({1})\n"},
    // {0} stage number, {1} name, {2} planned, {3} considered, {4} passed
    {Msg::stage_header, "[{0}단계 {1}] 선발예정 {2}명, 평가대상 {3}명, 합격 {4}명\n",
     "Stage {0} \"{1}\": {2} planned, {3} considered, {4} passed\n"},
    {Msg::not_reached, "  결과: 이전 단계에서 불합격하여 이 단계 대상이 아님\n",
     "  Not reached: the applicant did not pass an earlier stage.\n"},
    // {0} score, {1} considered, {2} rank
    {Msg::score_rank, "  점수 {0}점, 평가대상 {1}명 중 {2}위\n",
     "  Score {0}, rank {2} of {1} considered\n"},
    {Msg::score_not_considered, "  점수 {0}점 (평가대상 아님)\n", "  Score {0} (not considered)\n"},
    {Msg::no_score, "  점수 없음\n", "  No score\n"},
    {Msg::no_cut, "합격선 없음 (평가대상 없음)", "No cut (nobody was considered)"},
    {Msg::cut_all_pass, "합격선 {0}점 (평가대상이 선발예정 이하라 전원 합격)",
     "Cut {0} (no more considered than planned: all pass, the cut is the lowest score)"},
    // {0} cut, {1} planned, {2} its English ordinal suffix
    {Msg::cut_nth, "합격선 {0}점 ({1}번째 점수)", "Cut {0} (the {1}{2} score)"},
    {Msg::cut_line, "  {0}; {1}\n", "  {0}; {1}\n"},
    // {0} regular group passers, {1} added, {2} shortfall
    {Msg::program_counts, ", 정규 합격 지역인재 {0}명, 추가합격 {1}명, 미달 {2}명",
     "; regular passers in the group {0}, added {1}, shortfall {2}"},
    {Msg::parenthesized, " ({0})", " ({0})"},
    {Msg::applicant_in_group, "; 이 지원자는 지역인재\n", "; the applicant is in the group\n"},
    {Msg::applicant_not_in_group, "; 이 지원자는 지역인재 아님\n",
     "; the applicant is not in the group\n"},
    {Msg::outcome_rank, "  결과: 합격 — 순위로 선발예정 {0}명 이내\n",
     "  Outcome: passed on rank, within the {0} planned.\n"},
    // {0} cut, {1} planned
    {Msg::outcome_tie,
     "  결과: 합격 — 합격선 {0}점 동점자 (동점자는 선발예정인원을 넘어도 모두 합격)\n",
     "  Outcome: passed, tied at the cut {0} (everyone tied at the cut passes, even beyond the "
     "planned {1}).\n"},
    // {0} program, {1} target, {2} threshold, {3} score, {4} planned
    {Msg::outcome_additional,
     "  결과: 추가합격 ({0}) — 합격자 중 지역인재가 채용목표 {1}명에 미달하여, 합격하한선 {2}점 "
     "이상({3}점)인 지역인재로서 선발예정인원을 초과하여 합격\n",
     "  Outcome: passed as an additional pass (beyond the planned {4}) by {0}: a group member "
     "scoring {3}, at or above the threshold {2}, while the group's passers were short of the "
     "target of {1}.\n"},
    {Msg::outcome_no_score, "  결과: 불합격(결격) — 이 단계의 점수가 없음\n",
     "  Outcome: failed, disqualified: no score for this stage.\n"},
    {Msg::outcome_listed, "  결과: 불합격(결격) — 이 단계에서 결격자로 지정됨\n",
     "  Outcome: failed, disqualified: listed as disqualified at this stage.\n"},
    {Msg::outcome_disqualified, "  결과: 불합격(결격)\n", "  Outcome: failed, disqualified.\n"},
    // {0} score, {1} cut
    {Msg::outcome_below_cut, "  결과: 불합격 — 점수 {0}점이 합격선 {1}점 미만\n",
     "  Outcome: failed, below the cut: {0} < {1}.\n"},
    {Msg::outcome_below_cut_plain, "  결과: 불합격 — 합격선 미만\n",
     "  Outcome: failed, below the cut.\n"},
};

constexpr bool rows_in_order() {
  for (std::size_t i = 0; i < std::size(kMessages); ++i)
    if (static_cast<std::size_t>(kMessages[i].id) != i) return false;
  return std::size(kMessages) == static_cast<std::size_t>(Msg::count_);
}
static_assert(rows_in_order(), "kMessages must list every Msg once, in the enum's order");

/// The message in `lang` with `{i}` replaced by args[i].
std::string fill(Msg id, Language lang, std::initializer_list<std::string_view> args = {}) {
  const MessageRow& row = kMessages[static_cast<std::size_t>(id)];
  return detail::fill_text(lang == Language::ko ? row.ko : row.en, args);
}

// ---- Words ------------------------------------------------------------------------------------

std::string num(std::int64_t n) { return std::to_string(n); }

using detail::level_word;
using detail::ordinal_suffix;
using detail::percent;
using detail::region_name;
using detail::regions_text;
using detail::rounding_word;
using detail::status_word;
using detail::stopped_word;

// The claim with its words (`small_field (해당 분야 연간 채용 5명 이하)`), as SPEC §5 names it.
std::string exemption_words(const std::string& claim, Language lang) {
  const std::optional<Claim> known = detail::parse_claim(claim);
  if (!known) return claim;
  constexpr Msg kClaims[] = {Msg::claim_small_field, Msg::claim_experienced,
                             Msg::claim_research_masters, Msg::claim_regional_branch,
                             Msg::claim_applicant_share};
  return fill(Msg::claim_with_words, lang, {claim, fill(kClaims[static_cast<int>(*known)], lang)});
}

// ---- Group membership, threshold, target ---------------------------------------------------

// The record to show for an education group: the final education, or with two records of the
// highest level, the one that qualifies when the applicant is a member.
const EducationRecord& shown_record(const Applicant& a, const EducationGroup& g,
                                    std::size_t final_index, bool member) {
  const EducationRecord& final = a.education[final_index];
  if (!member) return final;
  for (const EducationRecord& r : a.education) {
    if (r.level == final.level && (g.statuses & status_bit(r.status)) != 0 &&
        (g.levels & level_bit(r.level)) != 0 && (g.regions & region_bit(r.region)) != 0)
      return r;
  }
  return final;
}

// Why the applicant is or is not in program p's group, from the education records or the
// attribute the program looks at. Membership itself is read from the decision.
std::string group_basis(const Applicant& a, const Program& p, bool member, Language lang) {
  if (const auto* g = std::get_if<EducationGroup>(&p.group)) {
    const auto idx = final_education(a.education, g->statuses);
    if (!idx) return fill(Msg::no_final_education, lang);
    const EducationRecord& shown = shown_record(a, *g, *idx, member);
    return fill(Msg::final_education, lang,
                {region_name(shown.region, lang), level_word(shown.level, lang),
                 status_word(shown.status, lang), regions_text(g->regions, lang)});
  }
  const auto& g = std::get<AttributeGroup>(p.group);
  std::optional<std::string> value;
  for (const auto& [name, v] : a.attributes) {
    if (name == g.name) value = v;
  }
  return fill(Msg::attribute, lang,
              {g.name, value ? *value : fill(Msg::attribute_missing, lang), g.equals});
}

// The threshold in force and where it comes from (SPEC §4 step 3, as stage_threshold sets it).
std::string threshold_text(const Stage& stage, const StageResult& st, Language lang) {
  if (!st.threshold) return fill(Msg::no_threshold, lang);
  std::string t = fill(Msg::threshold, lang, {st.threshold->to_string()});
  const auto& th = stage.threshold;
  switch (detail::threshold_basis(th, st.cut.has_value())) {
    case ThresholdBasis::higher:
      return t + fill(Msg::threshold_higher, lang,
                      {th.min_score->to_string(), th.below_cut->to_string(),
                       st.cut->to_string() + " − " + th.below_cut->to_string()});
    case ThresholdBasis::below_cut:
      return t + fill(Msg::threshold_below_cut, lang,
                      {st.cut->to_string() + " − " + th.below_cut->to_string()});
    case ThresholdBasis::min_score: return t + fill(Msg::threshold_min_score, lang);
    case ThresholdBasis::none: break;
  }
  return t;
}

// How program p's target at stage s came about (SPEC §4 step 4, as program_target sets it).
std::string target_text(const Unit& unit, const UnitDecision& ud, std::size_t s, const Program& p,
                        const ProgramStageResult& pr, std::int64_t planned, Language lang) {
  const bool last_stage = s + 1 == ud.stages.size();
  switch (detail::target_basis(unit, p, ud.exempt.has_value(), last_stage)) {
    case TargetBasis::exempt: return fill(Msg::target_exempt, lang);
    case TargetBasis::under_min_planned:
      return fill(Msg::target_under_min_planned, lang, {num(unit.planned), num(p.min_planned)});
    case TargetBasis::agency_year:
      return fill(Msg::target_agency_year, lang,
                  {num(pr.target), percent(p.ratio), rounding_word(p.rounding, lang)});
    case TargetBasis::stage: break;
  }
  return fill(Msg::target_stage, lang,
              {num(pr.target), num(planned), percent(p.ratio), rounding_word(p.rounding, lang)});
}

// Why a considered applicant who did not pass was not added by program p.
std::string not_added_reason(const UnitDecision& ud, const StageResult& st, const Program& p,
                             const ProgramStageResult& pr, bool member,
                             std::optional<Decimal> score, Language lang) {
  const std::string head = fill(Msg::not_added, lang, {p.id});
  if (!member) return head + fill(Msg::not_added_not_member, lang);
  if (ud.exempt) return head + fill(Msg::not_added_exempt, lang);
  if (pr.shortfall == 0 && pr.stopped_by == StoppedBy::none) {
    if (pr.additional == 0) return head + fill(Msg::not_added_target_met, lang, {num(pr.target)});
    return head + fill(pr.additional == 1 ? Msg::not_added_met_by_one : Msg::not_added_met_by_many,
                       lang, {num(pr.additional), num(pr.target)});
  }
  if (score && st.threshold && *score < *st.threshold) {
    return head + fill(Msg::not_added_below_threshold, lang,
                       {score->to_string(), st.threshold->to_string(), num(pr.shortfall)});
  }
  if (pr.stopped_by == StoppedBy::cap) {
    const std::string cap =
        p.cap ? fill(Msg::cap_amount, lang, {num(detail::additional_cap(p, st.planned))}) : "";
    return head + fill(Msg::not_added_cap, lang, {cap, num(pr.shortfall)});
  }
  return head + std::string(stopped_word(pr.stopped_by, lang));
}

// ---- One unit, stage by stage ----------------------------------------------------------------

// The applicant's score and rank among the considered (SPEC §4 steps 1–2).
std::string score_line(const Unit& unit, const UnitDecision& ud, std::size_t s,
                       const StageOutcome so, std::optional<Decimal> score, Language lang) {
  if (!score) return fill(Msg::no_score, lang);
  if (so.outcome == Outcome::fail_disqualified)
    return fill(Msg::score_not_considered, lang, {score->to_string()});
  const std::int64_t rank = detail::rank_among_considered(unit, ud, s, *score);
  return fill(Msg::score_rank, lang, {score->to_string(), num(ud.stages[s].considered), num(rank)});
}

// The cut and how it was found (SPEC §4 step 2), then the threshold (step 3).
std::string cut_line(const Stage& stage, const StageResult& st, Language lang) {
  std::string cut;
  if (!st.cut) {
    cut = fill(Msg::no_cut, lang);
  } else if (detail::all_considered_pass(st.considered, st.planned)) {
    cut = fill(Msg::cut_all_pass, lang, {st.cut->to_string()});
  } else {
    cut = fill(Msg::cut_nth, lang,
               {st.cut->to_string(), num(st.planned), ordinal_suffix(st.planned)});
  }
  return fill(Msg::cut_line, lang, {cut, threshold_text(stage, st, lang)});
}

// Each program's account at the stage (SPEC §4 step 4).
std::string program_lines(const Unit& unit, const Decision& d, const UnitDecision& ud,
                          std::size_t s, std::uint32_t local, Language lang) {
  const StageResult& st = ud.stages[s];
  std::string out;
  for (std::size_t p = 0; p < d.programs.size() && p < st.programs.size(); ++p) {
    const ProgramStageResult& pr = st.programs[p];
    const bool member = (local >> p) & 1u;
    out +=
        "  " + d.programs[p].id + ": " +
        target_text(unit, ud, s, d.programs[p], pr, st.planned, lang) +
        fill(Msg::program_counts, lang, {num(pr.regular), num(pr.additional), num(pr.shortfall)});
    if (pr.stopped_by != StoppedBy::none)
      out += fill(Msg::parenthesized, lang, {stopped_word(pr.stopped_by, lang)});
    out += fill(member ? Msg::applicant_in_group : Msg::applicant_not_in_group, lang);
  }
  return out;
}

std::string additional_outcome(const Decision& d, const StageResult& st, const StageOutcome so,
                               std::optional<Decimal> score, Language lang) {
  const std::size_t q = so.program;
  const std::string pid = q < d.programs.size() ? d.programs[q].id : "?";
  const std::int64_t target = q < st.programs.size() ? st.programs[q].target : 0;
  return fill(Msg::outcome_additional, lang,
              {pid, num(target), st.threshold ? st.threshold->to_string() : "-",
               score ? score->to_string() : "-", num(st.planned)});
}

std::string disqualified_outcome(const Applicant& app, std::size_t s, std::optional<Decimal> score,
                                 Language lang) {
  const bool listed = s < kMaxStages && ((app.disqualified >> s) & 1u) != 0;
  if (!score) return fill(Msg::outcome_no_score, lang);
  return fill(listed ? Msg::outcome_listed : Msg::outcome_disqualified, lang);
}

std::string below_cut_outcome(const Decision& d, const UnitDecision& ud, const StageResult& st,
                              std::uint32_t local, std::optional<Decimal> score, Language lang) {
  std::string out = score && st.cut ? fill(Msg::outcome_below_cut, lang,
                                           {score->to_string(), st.cut->to_string()})
                                    : fill(Msg::outcome_below_cut_plain, lang);
  for (std::size_t p = 0; p < d.programs.size() && p < st.programs.size(); ++p) {
    const bool member = (local >> p) & 1u;
    out += not_added_reason(ud, st, d.programs[p], st.programs[p], member, score, lang) + "\n";
  }
  return out;
}

// The outcome at one stage and why (SPEC §4 steps 1, 2, 4, 5).
std::string outcome_line(const Applicant& app, const Decision& d, const UnitDecision& ud,
                         std::size_t s, const StageOutcome so, std::uint32_t local,
                         std::optional<Decimal> score, Language lang) {
  const StageResult& st = ud.stages[s];
  switch (so.outcome) {
    case Outcome::pass_rank: return fill(Msg::outcome_rank, lang, {num(st.planned)});
    case Outcome::pass_tie:
      return fill(Msg::outcome_tie, lang, {st.cut->to_string(), num(st.planned)});
    case Outcome::pass_additional: return additional_outcome(d, st, so, score, lang);
    case Outcome::fail_disqualified: return disqualified_outcome(app, s, score, lang);
    case Outcome::fail_below_cut: return below_cut_outcome(d, ud, st, local, score, lang);
    case Outcome::not_reached: break;
  }
  return {};
}

// The header, the group lines, then every stage of the unit for applicant a.
void explain_unit(std::string& out, const Case& c, const Decision& d, std::size_t u, std::size_t a,
                  Language lang) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  const Applicant& app = unit.applicants[a];

  out += fill(Msg::header, lang, {app.id, d.recruitment, unit.id, unit.field, num(unit.planned)});
  if (ud.exempt) out += fill(Msg::unit_exempt, lang, {exemption_words(*ud.exempt, lang)});
  const std::uint32_t local = a < ud.local.size() ? ud.local[a] : 0;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const bool member = (local >> p) & 1u;
    const Program& prog = d.programs[p];
    out += fill(member ? Msg::member_in : Msg::member_out, lang,
                {prog.id, group_basis(app, prog, member, lang)});
  }

  for (std::size_t s = 0; s < ud.stages.size(); ++s) {
    const StageResult& st = ud.stages[s];
    const StageOutcome so = ud.outcome(a, s);
    out += "\n";
    out += fill(Msg::stage_header, lang,
                {num(static_cast<std::int64_t>(s + 1)), st.name, num(st.planned),
                 num(st.considered), num(st.passed)});
    if (so.outcome == Outcome::not_reached) {
      out += fill(Msg::not_reached, lang);
      continue;
    }
    const std::optional<Decimal> score = s < app.scores.size() ? app.scores[s] : std::nullopt;
    out += score_line(unit, ud, s, so, score, lang);
    out += cut_line(unit.stages[s], st, lang);
    out += program_lines(unit, d, ud, s, local, lang);
    out += outcome_line(app, d, ud, s, so, local, score, lang);
  }
}

// quota-case/1: the account as SPEC-v1 reads, one text.
Result<std::string> explain_v1(const Case& c, const Decision& d, std::string_view applicant_id,
                               Language lang) {
  std::string out;
  for (std::size_t u = 0; u < c.units.size() && u < d.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const UnitDecision& ud = d.units[u];
    if (ud.outcomes.size() != unit.applicants.size() * ud.stages.size() ||
        unit.stages.size() != ud.stages.size()) {
      continue;  // not this case's decision; nothing sound to say about the unit
    }
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      if (unit.applicants[a].id != applicant_id) continue;
      if (!out.empty()) out += "\n";
      explain_unit(out, c, d, u, a, lang);
    }
  }
  if (out.empty()) {
    return make_error("unknown_applicant", "applicant",
                      "no unit of the case has applicant '" + std::string(applicant_id) + "'");
  }
  return out;
}

}  // namespace

Result<Explanation> explain_steps(const Case& c, const Decision& d, const RuleRegistry& rules,
                                  std::string_view applicant_id, const ExplainOptions& options) {
  if (c.spec == Spec::v2) return detail::explain_v2(c, d, rules, applicant_id, options);
  auto text = explain_v1(c, d, applicant_id, options.lang);
  if (!text.ok()) return std::move(text).error();
  Explanation out;
  out.text = std::move(text).value();
  std::size_t from = 0;
  while (from < out.text.size()) {
    const std::size_t end = out.text.find('\n', from);
    const std::size_t stop = end == std::string::npos ? out.text.size() : end;
    std::size_t indent = from;
    while (indent < stop && out.text[indent] == ' ') ++indent;
    out.lines.push_back(ExplanationLine{static_cast<int>((indent - from) / 2),
                                        out.text.substr(indent, stop - indent),
                                        {}});
    from = stop + 1;
  }
  return out;
}

Result<std::string> explain(const Case& c, const Decision& d, const RuleRegistry& rules,
                            std::string_view applicant_id, const ExplainOptions& options) {
  auto steps = explain_steps(c, d, rules, applicant_id, options);
  if (!steps.ok()) return std::move(steps).error();
  return std::move(steps).value().text;
}

Result<std::string> explain(const Case& c, const Decision& d, std::string_view applicant_id,
                            Language lang) {
  if (c.spec == Spec::v2) return explain(c, d, bundled_rules(), applicant_id, ExplainOptions{lang});
  return explain_v1(c, d, applicant_id, lang);
}

}  // namespace passline
