// passline: a plain-language account of one applicant's outcome, for the recruiter who must
// answer the applicant ("why was I not added?").
//
// A quota-case/1 decision is told as SPEC-v1 reads (the text of explain(c, d, id, lang), which
// does not change). A quota-case/2 decision is told as a list of lines: headings, and steps,
// every step with the citations it rests on — a key of the rule pack that decided (found in the
// registry by the digest the decision records), a key of the region calendar, or, where no pack
// key states the rule, the SPEC section, marked as such (docs/DECISIONS.md, "Explanations").
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline {

enum class Language { ko, en };

/// What one step of a quota-case/2 explanation rests on.
struct Citation {
  enum class Source : std::uint8_t {
    pack,     ///< a key of the rule pack version that decided
    regions,  ///< a key of the region calendar (rules/regions.yaml)
    spec,     ///< SPEC.md itself: a rule no pack key states (an inline program's, ranking, ...)
  };
  Source source = Source::spec;
  std::string pack;     ///< source pack: the pack id
  std::string version;  ///< source pack: the pack version (file stem)
  std::string digest;   ///< source pack / regions: the content digest of what is cited
  /// source pack / regions: the RFC 6901 JSON pointer of the citation in the canonical JSON the
  /// digest is computed over (`/exemptions/claims/0/citation`); source spec: the SPEC section
  /// (`§4 step 2`, `§3.1`).
  std::string key;
  /// source pack / regions: the citation text exactly as the pack or calendar holds it; source
  /// spec: SPEC's rule in the reader's language.
  std::string text;
  friend bool operator==(const Citation&, const Citation&) = default;
};

/// One line of an explanation: a heading (no citation) or a step (at least one citation).
struct ExplanationLine {
  int indent = 0;  ///< nesting depth (two spaces each when rendered)
  std::string text;
  std::vector<Citation> citations;
  bool is_step() const { return !citations.empty(); }
};

/// An explanation as lines, and rendered as text (each step followed by one line per citation:
/// `근거: [kr-innovation-city 2018-01-25.v2 · exemptions.claims[0]] 혁신도시법 시행령 …`).
struct Explanation {
  std::vector<ExplanationLine> lines;  ///< quota-case/1: the text's lines, without citations
  std::string text;
};

struct ExplainOptions {
  Language lang = Language::ko;
  /// quota-case/2: where the agency's facts come from when they are the agency registry's record
  /// (its `source`); empty when the case file states them.
  std::string agency_source{};
};

/// Explains, unit by unit and stage by stage, what happened to applicant `applicant_id` (searched
/// in every unit) of case `c` decided as `d`.
///
/// quota-case/2: which programs bind the agency and why (each law pack's `binds` against the
/// agency's facts; the case's further programs), the group's regions (이전지역, blocs by date, the
/// joint city, region mergers) and the applicant's records against the group, the unit's
/// exemption per program with the fact that met its claim, then per stage the considered, the
/// rank, the cut, the threshold (clamped at 0), each program's target (scope stage or the
/// agency-year least t with the year's obligated hires so far), its additional passes and why
/// they stopped, the applicant's outcome, and the unit's hires in the ledger. Pack citations are
/// taken from `rules.find_by_digest(program.pack_digest)`: `rules` must hold the pack versions
/// that decided (error `unknown_rule_digest`, path `programs[p]`, otherwise).
/// quota-case/1: the lines of explain(c, d, id, lang) (no citations; `rules` is not used).
/// Error `unknown_applicant` (path `applicant`) when no unit has that id.
Result<Explanation> explain_steps(const Case& c, const Decision& d, const RuleRegistry& rules,
                                  std::string_view applicant_id, const ExplainOptions& options);

/// explain_steps(...).text.
Result<std::string> explain(const Case& c, const Decision& d, const RuleRegistry& rules,
                            std::string_view applicant_id, const ExplainOptions& options);

/// The account of applicant `applicant_id`: for a quota-case/1 decision, score and rank among
/// the considered, the cut, the threshold, each program's target and whether the applicant is in
/// its group, and why the applicant passed, was added, or was not; for a quota-case/2 decision,
/// explain() above with bundled_rules(). Error `unknown_applicant` (path `applicant`) when no
/// unit has that id.
Result<std::string> explain(const Case& c, const Decision& d, std::string_view applicant_id,
                            Language lang);

}  // namespace passline
