// passline's application layer: the account of one applicant of a decided recruitment
// (explain.h), told from what the decision log recorded.
// Thread-safety: as the Store passed in.
#pragma once

#include <string_view>

#include "passline/app/store.h"
#include "passline/explain.h"
#include "passline/rule_pack.h"

namespace passline::app {

/// Explains applicant `applicant` of decided recruitment `recruitment_id` in `lang`.
///
/// The account is of the decision as logged, never of a decision made again on today's data:
/// the recruitment's log entries are read (its header and one entry per applicant), the case
/// is rebuilt from them (quota-case/2: with the agency's facts and the ledger.prior it was
/// decided with, which the rows of a quota-case/2 recruitment do not keep whole), decided again
/// with the pack versions the log names by digest (log.h's logged_rules over `rules`), and the
/// entries that gives must be the logged ones byte for byte. The explanation then cites those
/// packs (`rules` must hold them) and, for quota-case/2, names the agency registry's record as
/// the source of the agency's facts.
///
/// Errors: `unknown_recruitment`; `not_decided`; `unknown_applicant` (path `applicant`);
/// `unknown_rule_digest` when `rules` lacks a logged pack version; `replay_differs` when the
/// logged case decided again does not give the logged entries (the log or the rules changed);
/// the log reader's codes (`bad_log_entry`, `truncated_log`, ...) for an unreadable log.
Result<Explanation> explain_applicant(Store& store, std::string_view recruitment_id,
                                      std::string_view applicant, const RuleRegistry& rules,
                                      Language lang);

}  // namespace passline::app
