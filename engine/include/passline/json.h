// passline: the JSON forms of the case and the decision (SPEC.md §6).
//
// Parsing is strict about types and formats (bad_decimal, unknown_region, ...) and reports the
// JSON path of the offending value. Serialisation is deterministic: keys sorted bytewise,
// applicants sorted by id, decimals canonical; the same decision always yields the same bytes.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/result.h"

namespace passline {

/// Parses a `quota-case/2` (SPEC.md §6) or `quota-case/1` (SPEC-v1.md §6) document, by its
/// `format`. Malformed JSON gives code `malformed_json` with path
/// `line L, column C`; otherwise the SPEC §6 codes with the path of the offending value.
Result<Case> parse_case_json(std::string_view text);

/// Writes `c` as a `quota-case/1` document that parse_case_json() reads back to an equal case:
/// nlohmann::json's dump(1) layout (keys sorted bytewise, one-space indent) plus a trailing
/// newline; every optional part written explicitly (exemptions, requires_experience,
/// thresholds, a score per stage, null when absent; disqualified; attributes; ledger.prior),
/// decimals and ratios in canonical text, attribute values as strings (the text decide()
/// compares), a repeated attribute name once (its first value, the one decide() uses). The
/// same case always yields the same bytes; the log's input digest is its SHA-256 (SPEC §7).
/// Throws std::invalid_argument when a text field is not valid UTF-8 (parse_case_json never
/// yields such a case).
std::string case_to_json(const Case& c);

/// The `programs` array of a case (pack ids, and inline programs in full) as compact JSON text,
/// as case_to_json() writes it; parse_programs_json() reads it back to equal programs (errors
/// as parse_case_json(), paths under `programs`).
std::string programs_to_json(const std::vector<ProgramRef>& programs);
Result<std::vector<ProgramRef>> parse_programs_json(std::string_view text);

/// Receives a decision document piece by piece, in order.
using DecisionSink = std::function<void(std::string_view)>;

/// Writes the `quota-decision/1` document for `d`, decided from `c`, to `sink` in pieces of
/// about 64 KiB: pretty-printed with a one-space indent (nlohmann::json's dump(1) layout, keys
/// sorted bytewise), applicants sorted by id, a trailing newline. Memory beyond the output
/// buffer is one index per applicant. Exceptions thrown by the sink propagate (no byte is
/// written twice). Precondition: `d` was decided from `c`; std::invalid_argument otherwise.
void write_decision_json(const Case& c, const Decision& d, const DecisionSink& sink);

/// The same document as one string.
std::string decision_to_json(const Case& c, const Decision& d);

/// One decided applicant as the decision document prints it (write_decision_json_paged).
struct DecidedApplicant {
  std::string_view id;
  std::uint32_t local = 0;  ///< bit p: in the group of program p (the decision's program order)
  std::span<const StageOutcome> outcomes;  ///< the stages reached, in stage order
};

/// Hands the applicants of unit `unit` (index into the decision's units), in bytewise id order,
/// to `each`, one at a time; an error stops the document.
using DecidedApplicants =
    std::function<Status(std::size_t unit,
                         const std::function<void(const DecidedApplicant&)>& each)>;

/// Writes the same document as write_decision_json(), byte for byte, from `figures` (a decision
/// without its applicants, as a store reads it in rows that do not grow with the applicants:
/// programs, units and their stages' figures) and the applicants `applicants` hands over unit by
/// unit, so a reader of pages holds one page at a time. The error of `applicants`, or
/// `corrupt_row` when it breaks the id order, stops the document where it is: what the sink got
/// is then a cut document, and the caller must not present it as whole.
Status write_decision_json_paged(const Decision& figures, const DecidedApplicants& applicants,
                                 const DecisionSink& sink);

/// Writes the `passline-decision-units/1` document for `d` (docs/HTTP.md, `GET …/units`): the
/// decision document without the applicants, in the same layout. `decision_format` (the
/// `quota-decision/N` it abridges), `programs` (as quota-decision/2 lists them, for either
/// version), `recruitment`, and `units`, each unit object exactly as the decision document
/// prints it less its `applicants` member. `d` needs no `local` nor `outcomes`.
void write_decision_units_json(const Decision& d, const DecisionSink& sink);

/// The same document as one string.
std::string decision_units_to_json(const Decision& d);

/// `{"format": "quota-decision/N", "error": {"code", "path", "message"}}` plus a trailing
/// newline, N being the version of the case that failed.
std::string error_to_json(const Error& e, Spec spec = Spec::v1);

/// The case version a document declares (`"format": "quota-case/2"`), v1 when it says anything
/// else or cannot be read: which `quota-decision/N` its error document takes.
Spec declared_spec(std::string_view case_text);

}  // namespace passline
