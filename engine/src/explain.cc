// passline: a plain-language account of one applicant's outcome (explain.h).
//
// Everything here is read back from the Decision that decide() produced; nothing is decided
// again. The words follow SPEC.md §4: the cut (the N-th score, ties at the cut pass), the
// threshold (합격하한선, the floor for additional passes), a program's target (채용목표) and its
// additional passes (추가합격) for group members (지역인재) at or above the threshold.
// Numbers are printed with Decimal::to_string and integer arithmetic only.
#include "passline/explain.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace passline {
namespace {

bool ko(Language lang) { return lang == Language::ko; }

std::string num(std::int64_t n) { return std::to_string(n); }

std::string people(std::int64_t n, Language lang) {
  return ko(lang) ? num(n) + "명" : num(n) + (n == 1 ? " person" : " people");
}

std::string score_text(Decimal d, Language lang) {
  return ko(lang) ? d.to_string() + "점" : d.to_string();
}

// A ratio p / 10^k as a percentage (`30%`, `12.5%`), exactly.
std::string percent(const Ratio& r) {
  int k = 0;
  for (std::int64_t den = r.denominator(); den > 1; den /= 10) ++k;
  std::string digits = std::to_string(r.numerator());
  const int shift = k - 2;  // percentage = numerator / 10^shift
  if (shift <= 0) {
    if (r.numerator() != 0) digits.append(static_cast<std::size_t>(-shift), '0');
    return digits + "%";
  }
  if (static_cast<int>(digits.size()) <= shift) {
    digits.insert(0, static_cast<std::size_t>(shift + 1) - digits.size(), '0');
  }
  std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(shift));
  std::string frac = digits.substr(digits.size() - static_cast<std::size_t>(shift));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole + "%" : whole + "." + frac + "%";
}

std::string_view rounding_words(Rounding r, Language lang) {
  switch (r) {
    case Rounding::ceil: return ko(lang) ? "올림" : "rounded up";
    case Rounding::floor: return ko(lang) ? "내림" : "rounded down";
    case Rounding::half_up: return ko(lang) ? "반올림" : "rounded half up";
  }
  return {};
}

std::string_view region_ko(Region r) {
  static constexpr std::string_view kNames[kRegionCount] = {
      "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
      "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주"};
  return kNames[static_cast<int>(r)];
}

std::string_view level_words(EducationLevel l, Language lang) {
  switch (l) {
    case EducationLevel::high_school: return ko(lang) ? "고등학교" : "high school";
    case EducationLevel::college: return ko(lang) ? "전문대학" : "college";
    case EducationLevel::university: return ko(lang) ? "대학교" : "university";
    case EducationLevel::graduate: return ko(lang) ? "대학원" : "graduate school";
  }
  return {};
}

std::string_view status_words(EducationStatus s, Language lang) {
  switch (s) {
    case EducationStatus::graduated: return ko(lang) ? "졸업" : "graduated";
    case EducationStatus::expected: return ko(lang) ? "졸업예정" : "graduation expected";
    case EducationStatus::enrolled: return ko(lang) ? "재학" : "enrolled";
    case EducationStatus::dropped: return ko(lang) ? "중퇴" : "dropped out";
  }
  return {};
}

std::string exemption_words(const std::string& claim, Language lang) {
  struct Row {
    std::string_view claim, ko, en;
  };
  static constexpr Row kRows[] = {
      {"small_field", "해당 분야 연간 채용 5명 이하", "5 or fewer hires in the field this year"},
      {"experienced", "경력직 채용", "a post requiring experience"},
      {"research_masters", "석사 이상 연구직", "a research post requiring a master's degree or more"},
      {"regional_branch", "지역본부·지사 채용", "a regional branch outside the programs' regions"},
      {"applicant_share", "지역인재 지원자 비율이 채용목표 비율 이하",
       "group members among the applicants at most the program's ratio"},
  };
  for (const Row& r : kRows) {
    if (r.claim == claim) return claim + " (" + std::string(ko(lang) ? r.ko : r.en) + ")";
  }
  return claim;
}

// The regions a group accepts, in the reader's language (`ulsan+gyeongnam`, `울산·경남`).
std::string regions_text(RegionSet regions, Language lang) {
  std::string out;
  for (int i = 0; i < kRegionCount; ++i) {
    const auto r = static_cast<Region>(i);
    if (!(regions & region_bit(r))) continue;
    if (!out.empty()) out += ko(lang) ? "·" : "+";
    out += ko(lang) ? std::string(region_ko(r)) : std::string(to_string(r));
  }
  return out;
}

// Why the applicant is or is not in program p's group, from the education records or the
// attribute the program looks at. Membership itself is read from the decision.
std::string group_basis(const Applicant& a, const Program& p, bool member, Language lang) {
  if (const auto* g = std::get_if<EducationGroup>(&p.group)) {
    auto idx = final_education(a.education, g->statuses);
    if (!idx) {
      return ko(lang) ? "인정되는 최종학력 없음" : "no education record that counts";
    }
    const EducationRecord* shown = &a.education[*idx];
    if (member) {  // with two records of the highest level, show the one that qualifies
      for (const EducationRecord& r : a.education) {
        if (r.level == shown->level && (g->statuses & status_bit(r.status)) != 0 &&
            (g->levels & level_bit(r.level)) != 0 && (g->regions & region_bit(r.region)) != 0) {
          shown = &r;
          break;
        }
      }
    }
    if (ko(lang)) {
      return "최종학력 " + std::string(region_ko(shown->region)) + " " +
             std::string(level_words(shown->level, lang)) + " " +
             std::string(status_words(shown->status, lang)) + "; 인정 지역 " +
             regions_text(g->regions, lang);
    }
    return "final education: " + std::string(level_words(shown->level, lang)) + " in " +
           std::string(to_string(shown->region)) + ", " +
           std::string(status_words(shown->status, lang)) + "; the group's regions: " +
           regions_text(g->regions, lang);
  }
  const auto& g = std::get<AttributeGroup>(p.group);
  std::optional<std::string> value;
  for (const auto& [name, v] : a.attributes) {
    if (name == g.name) value = v;
  }
  if (ko(lang)) {
    return "속성 " + g.name + " = " + (value ? *value : "(없음)") + ", 요건 " + g.equals;
  }
  return "attribute " + g.name + " = " + (value ? *value : "(none)") + ", required " + g.equals;
}

// The threshold in force and where it comes from.
std::string threshold_text(const Stage& stage, const StageResult& st, Language lang) {
  if (!st.threshold) return ko(lang) ? "합격하한선 없음" : "no threshold";
  std::string t = (ko(lang) ? "합격하한선 " : "threshold ") + score_text(*st.threshold, lang);
  const auto& th = stage.threshold;
  if (th.below_cut && st.cut) {
    const std::string from_cut = st.cut->to_string() + " − " + th.below_cut->to_string();
    if (th.min_score) {
      t += ko(lang) ? " (최저점수 " + th.min_score->to_string() + "점과 합격선−" +
                          th.below_cut->to_string() + "점 = " + from_cut + " 중 높은 값)"
                    : " (the higher of min_score " + th.min_score->to_string() +
                          " and cut − below_cut = " + from_cut + ")";
    } else {
      t += ko(lang) ? " (합격선 " + from_cut + ")" : " (cut − below_cut = " + from_cut + ")";
    }
  } else if (th.min_score) {
    t += ko(lang) ? " (최저점수)" : " (min_score)";
  }
  return t;
}

// How program p's target at this stage came about.
std::string target_text(const Unit& unit, const UnitDecision& ud, std::size_t s,
                        const Program& p, const ProgramStageResult& pr, std::int64_t planned,
                        Language lang) {
  // The same order of rules as decide.cc's program_target.
  const std::string target = people(pr.target, lang);
  if (ud.exempt) {
    return ko(lang) ? "채용목표 0명 (적용 제외 단위)" : "target 0 (the unit is exempt)";
  }
  if (unit.planned < p.min_planned) {
    return ko(lang) ? "채용목표 0명 (채용단위 채용예정 " + num(unit.planned) + "명 < 최소 " +
                          num(p.min_planned) + "명)"
                    : "target 0 (the unit's " + num(unit.planned) +
                          " planned hires are under min_planned " + num(p.min_planned) + ")";
  }
  if (p.scope == Scope::agency_year && s + 1 == ud.stages.size()) {
    return ko(lang) ? "채용목표 " + target + " (기관 연간 기준: 올해 채용 누계의 " + percent(p.ratio) +
                          ", " + std::string(rounding_words(p.rounding, lang)) +
                          ", 기채용 지역인재 차감)"
                    : "target " + num(pr.target) + " (agency-year scope: " + percent(p.ratio) +
                          " of this year's hires, " +
                          std::string(rounding_words(p.rounding, lang)) +
                          ", less the group's prior hires)";
  }
  return ko(lang) ? "채용목표 " + target + " (선발예정 " + num(planned) + "명 × " + percent(p.ratio) +
                        ", " + std::string(rounding_words(p.rounding, lang)) + ")"
                  : "target " + num(pr.target) + " (" + percent(p.ratio) + " of " + num(planned) +
                        " planned, " + std::string(rounding_words(p.rounding, lang)) + ")";
}

std::string_view stopped_words(StoppedBy s, Language lang) {
  switch (s) {
    case StoppedBy::threshold: return ko(lang) ? "합격하한선에서 중단" : "stopped at the threshold";
    case StoppedBy::pool: return ko(lang) ? "추가할 지역인재 없음" : "no group member left";
    case StoppedBy::cap: return ko(lang) ? "추가합격 상한 도달" : "stopped by the cap";
    case StoppedBy::none: break;
  }
  return {};
}

// Why a considered applicant who did not pass was not added by program p.
std::string not_added_reason(const UnitDecision& ud, const StageResult& st, const Program& p,
                             const ProgramStageResult& pr, bool member, std::optional<Decimal> score,
                             Language lang) {
  const std::string head = (ko(lang) ? "  " + p.id + " 추가합격 안 됨: " : "  Not added by " + p.id + ": ");
  if (!member) {
    return head + (ko(lang) ? "지역인재(대상 그룹)에 해당하지 않음" : "not a member of its group");
  }
  if (ud.exempt) {
    return head + (ko(lang) ? "적용 제외 단위라 채용목표가 0명" : "the unit is exempt, so the target is 0");
  }
  if (pr.shortfall == 0 && pr.stopped_by == StoppedBy::none) {
    if (pr.additional == 0) {
      return head + (ko(lang) ? "채용목표 " + people(pr.target, lang) + "이 이미 충족됨"
                              : "its target of " + num(pr.target) + " was already met");
    }
    return head + (ko(lang) ? "더 높은 점수의 지역인재 " + people(pr.additional, lang) +
                                  "을 추가합격시켜 채용목표 " + people(pr.target, lang) + "을 충족함"
                            : "its target of " + num(pr.target) + " was met by adding " +
                                  num(pr.additional) + " higher-scoring group member" +
                                  (pr.additional == 1 ? "" : "s"));
  }
  if (score && st.threshold && *score < *st.threshold) {
    return head + (ko(lang) ? "점수 " + score_text(*score, lang) + "이 합격하한선 " +
                                  score_text(*st.threshold, lang) + " 미만 (채용목표 미달 " +
                                  people(pr.shortfall, lang) + ")"
                            : "the score " + score->to_string() + " is below the threshold " +
                                  st.threshold->to_string() + " (the target is short by " +
                                  num(pr.shortfall) + ")");
  }
  if (pr.stopped_by == StoppedBy::cap) {
    std::string cap;
    if (p.cap) cap = num(p.cap->ratio.apply(st.planned, p.cap->rounding));
    return head + (ko(lang) ? "추가합격 상한" + (cap.empty() ? std::string() : " " + cap + "명") +
                                  "에 도달하여 이 점수 전에 추가합격이 중단됨 (채용목표 미달 " +
                                  people(pr.shortfall, lang) + ")"
                            : "the program stopped at its cap on additional passes" +
                                  (cap.empty() ? std::string() : " (" + cap + ")") +
                                  " before reaching this score; the target is short by " +
                                  num(pr.shortfall));
  }
  return head + std::string(stopped_words(pr.stopped_by, lang));
}

void explain_unit(std::string& out, const Case& c, const Decision& d, std::size_t u,
                  std::size_t a, Language lang) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  const Applicant& app = unit.applicants[a];
  const std::size_t nstages = ud.stages.size();

  if (ko(lang)) {
    out += "지원자 " + app.id + " — 채용공고 " + d.recruitment + ", 채용단위 " + unit.id +
           " (시험분야 " + unit.field + ", 채용예정 " + people(unit.planned, lang) + ")\n";
  } else {
    out += "Applicant " + app.id + ", recruitment " + d.recruitment + ", unit " + unit.id +
           " (field " + unit.field + ", " + num(unit.planned) + " planned hires)\n";
  }
  if (ud.exempt) {
    out += ko(lang) ? "이 채용단위는 채용목표제 적용 제외입니다: " + exemption_words(*ud.exempt, lang) +
                          ". 모든 채용목표가 0명이며 순위로만 선발합니다.\n"
                    : "The unit is exempt: " + exemption_words(*ud.exempt, lang) +
                          ". Every target is 0; the unit is decided on rank alone.\n";
  }
  const std::uint32_t local = a < ud.local.size() ? ud.local[a] : 0;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const bool member = (local >> p) & 1u;
    const Program& prog = d.programs[p];
    out += ko(lang) ? prog.id + ": 지역인재 " + (member ? "해당" : "비해당") + " (" +
                          group_basis(app, prog, member, lang) + ")\n"
                    : prog.id + ": " + (member ? "in the group" : "not in the group") + " (" +
                          group_basis(app, prog, member, lang) + ")\n";
  }

  for (std::size_t s = 0; s < nstages; ++s) {
    const StageResult& st = ud.stages[s];
    const Stage& stage = unit.stages[s];
    const StageOutcome so = ud.outcome(a, s);
    out += "\n";
    out += ko(lang) ? "[" + num(static_cast<std::int64_t>(s + 1)) + "단계 " + st.name + "] 선발예정 " +
                          people(st.planned, lang) + ", 평가대상 " + people(st.considered, lang) +
                          ", 합격 " + people(st.passed, lang) + "\n"
                    : "Stage " + num(static_cast<std::int64_t>(s + 1)) + " \"" + st.name +
                          "\": " + num(st.planned) + " planned, " + num(st.considered) +
                          " considered, " + num(st.passed) + " passed\n";
    if (so.outcome == Outcome::not_reached) {
      out += ko(lang) ? "  결과: 이전 단계에서 불합격하여 이 단계 대상이 아님\n"
                      : "  Not reached: the applicant did not pass an earlier stage.\n";
      continue;
    }

    // Score and rank among the considered: 1 + those scoring strictly higher.
    const std::optional<Decimal> score = s < app.scores.size() ? app.scores[s] : std::nullopt;
    const bool considered = so.outcome != Outcome::fail_disqualified;
    if (considered && score) {
      std::int64_t higher = 0;
      for (std::size_t b = 0; b < unit.applicants.size(); ++b) {
        const Outcome ob = ud.outcome(b, s).outcome;
        if (ob == Outcome::not_reached || ob == Outcome::fail_disqualified) continue;
        const auto& other = unit.applicants[b].scores;
        if (s < other.size() && other[s] && *other[s] > *score) ++higher;
      }
      out += ko(lang) ? "  점수 " + score_text(*score, lang) + ", 평가대상 " + people(st.considered, lang) +
                            " 중 " + num(higher + 1) + "위\n"
                      : "  Score " + score->to_string() + ", rank " + num(higher + 1) + " of " +
                            num(st.considered) + " considered\n";
    } else if (score) {
      out += ko(lang) ? "  점수 " + score_text(*score, lang) + " (평가대상 아님)\n"
                      : "  Score " + score->to_string() + " (not considered)\n";
    } else {
      out += ko(lang) ? "  점수 없음\n" : "  No score\n";
    }

    std::string cut;
    if (!st.cut) {
      cut = ko(lang) ? "합격선 없음 (평가대상 없음)" : "No cut (nobody was considered)";
    } else if (st.considered <= st.planned) {
      cut = ko(lang) ? "합격선 " + score_text(*st.cut, lang) + " (평가대상이 선발예정 이하라 전원 합격)"
                     : "Cut " + st.cut->to_string() +
                           " (no more considered than planned: all pass, the cut is the lowest score)";
    } else {
      cut = ko(lang) ? "합격선 " + score_text(*st.cut, lang) + " (" + num(st.planned) + "번째 점수)"
                     : "Cut " + st.cut->to_string() + " (the " + num(st.planned) +
                           (st.planned % 10 == 1 && st.planned % 100 != 11   ? "st"
                            : st.planned % 10 == 2 && st.planned % 100 != 12 ? "nd"
                            : st.planned % 10 == 3 && st.planned % 100 != 13 ? "rd"
                                                                              : "th") +
                           " score)";
    }
    out += "  " + cut + "; " + threshold_text(stage, st, lang) + "\n";

    for (std::size_t p = 0; p < d.programs.size() && p < st.programs.size(); ++p) {
      const ProgramStageResult& pr = st.programs[p];
      const bool member = (local >> p) & 1u;
      std::string line = "  " + d.programs[p].id + ": " +
                         target_text(unit, ud, s, d.programs[p], pr, st.planned, lang);
      if (ko(lang)) {
        line += ", 정규 합격 지역인재 " + people(pr.regular, lang) + ", 추가합격 " +
                people(pr.additional, lang) + ", 미달 " + people(pr.shortfall, lang);
        if (pr.stopped_by != StoppedBy::none) line += " (" + std::string(stopped_words(pr.stopped_by, lang)) + ")";
        line += member ? "; 이 지원자는 지역인재\n" : "; 이 지원자는 지역인재 아님\n";
      } else {
        line += "; regular passers in the group " + num(pr.regular) + ", added " +
                num(pr.additional) + ", shortfall " + num(pr.shortfall);
        if (pr.stopped_by != StoppedBy::none) line += " (" + std::string(stopped_words(pr.stopped_by, lang)) + ")";
        line += member ? "; the applicant is in the group\n" : "; the applicant is not in the group\n";
      }
      out += line;
    }

    switch (so.outcome) {
      case Outcome::pass_rank:
        out += ko(lang) ? "  결과: 합격 — 순위로 선발예정 " + people(st.planned, lang) + " 이내\n"
                        : "  Outcome: passed on rank, within the " + num(st.planned) + " planned.\n";
        break;
      case Outcome::pass_tie:
        out += ko(lang) ? "  결과: 합격 — 합격선 " + score_text(*st.cut, lang) +
                              " 동점자 (동점자는 선발예정인원을 넘어도 모두 합격)\n"
                        : "  Outcome: passed, tied at the cut " + st.cut->to_string() +
                              " (everyone tied at the cut passes, even beyond the planned " +
                              num(st.planned) + ").\n";
        break;
      case Outcome::pass_additional: {
        const std::size_t q = so.program;
        const std::string pid = q < d.programs.size() ? d.programs[q].id : "?";
        const std::int64_t target = q < st.programs.size() ? st.programs[q].target : 0;
        const std::string th = st.threshold ? st.threshold->to_string() : "-";
        const std::string sc = score ? score->to_string() : "-";
        out += ko(lang)
                   ? "  결과: 추가합격 (" + pid + ") — 합격자 중 지역인재가 채용목표 " +
                         people(target, lang) + "에 미달하여, 합격하한선 " + th + "점 이상(" + sc +
                         "점)인 지역인재로서 선발예정인원을 초과하여 합격\n"
                   : "  Outcome: passed as an additional pass (beyond the planned " +
                         num(st.planned) + ") by " + pid + ": a group member scoring " + sc +
                         ", at or above the threshold " + th +
                         ", while the group's passers were short of the target of " +
                         num(target) + ".\n";
        break;
      }
      case Outcome::fail_disqualified: {
        const bool listed = s < kMaxStages && ((app.disqualified >> s) & 1u) != 0;
        if (!score) {
          out += ko(lang) ? "  결과: 불합격(결격) — 이 단계의 점수가 없음\n"
                          : "  Outcome: failed, disqualified: no score for this stage.\n";
        } else if (listed) {
          out += ko(lang) ? "  결과: 불합격(결격) — 이 단계에서 결격자로 지정됨\n"
                          : "  Outcome: failed, disqualified: listed as disqualified at this stage.\n";
        } else {
          out += ko(lang) ? "  결과: 불합격(결격)\n" : "  Outcome: failed, disqualified.\n";
        }
        break;
      }
      case Outcome::fail_below_cut: {
        if (score && st.cut) {
          out += ko(lang) ? "  결과: 불합격 — 점수 " + score_text(*score, lang) + "이 합격선 " +
                                score_text(*st.cut, lang) + " 미만\n"
                          : "  Outcome: failed, below the cut: " + score->to_string() + " < " +
                                st.cut->to_string() + ".\n";
        } else {
          out += ko(lang) ? "  결과: 불합격 — 합격선 미만\n" : "  Outcome: failed, below the cut.\n";
        }
        for (std::size_t p = 0; p < d.programs.size() && p < st.programs.size(); ++p) {
          const bool member = (local >> p) & 1u;
          out += not_added_reason(ud, st, d.programs[p], st.programs[p], member, score, lang) + "\n";
        }
        break;
      }
      case Outcome::not_reached:
        break;
    }
  }
}

}  // namespace

Result<std::string> explain(const Case& c, const Decision& d, std::string_view applicant_id,
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

}  // namespace passline
