// passline: an applicant's receipt, a self-contained proof that the log holds their outcome
// (SPEC.md §7, docs/AUDIT_LOG.md).
//
// A receipt is a JSON document `passline-receipt/1`: the log's signed checkpoint, the verifier
// key, and the recruitment's header entry and the applicant's entry, each with its index and
// its RFC 9162 inclusion proof under the checkpoint's root. Anyone can check it offline.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/result.h"

namespace passline {

inline constexpr std::string_view kReceiptFormat = "passline-receipt/1";

/// One log entry in a receipt: its absolute index, its canonical text, its inclusion proof
/// (inclusion_proof(index, tree size, ...)) under the checkpoint's tree.
struct ReceiptEntry {
  std::uint64_t index = 0;
  std::string entry;
  std::vector<Hash> inclusion_proof;
};

/// The receipt document, RFC 8785 canonical JSON: {"format": "passline-receipt/1",
/// "log_origin", "tree_size", "checkpoint": the signed note text, "verifier_key",
/// "entries": [{"index", "entry", "inclusion_proof": [hex, ...]}]} with `entries` in the order
/// given (the header entry, then the applicant's). The checkpoint is verified with
/// `verifier_key` first and gives log_origin and tree_size; errors as verify_checkpoint().
/// The entries themselves are checked only by verify_receipt().
/// With `opening` (passline-log/3: the applicant entry holds a commitment to it, log.h), the
/// receipt also carries `"opening": "<its canonical text>"`, so the applicant can check the inputs
/// the decision used.
Result<std::string> make_receipt(std::string_view signed_checkpoint, std::string_view verifier_key,
                                 const std::vector<ReceiptEntry>& entries,
                                 std::optional<std::string_view> opening = std::nullopt);

/// One stage outcome of the applicant, as logged.
struct ReceiptOutcome {
  std::string stage;
  std::string outcome;  ///< pass_rank | pass_tie | pass_additional | fail_* | not_reached
  std::string program;  ///< with pass_additional, the program that added the pass
  friend bool operator==(const ReceiptOutcome&, const ReceiptOutcome&) = default;
};

/// What a verified receipt proves.
struct ReceiptSummary {
  std::string verifier_key;  ///< the key whose signature verified (name+key id+key)
  std::string log_origin;
  std::uint64_t tree_size = 0;
  std::string checkpoint_time;
  std::string recruitment;
  std::string decided_at;
  std::string unit;
  std::string applicant;
  std::vector<std::string> local;  ///< programs whose group the applicant is in
  std::vector<ReceiptOutcome> outcomes;
  /// passline-log/3: the opening the receipt carries (checked against the entry's commitment);
  /// the applicant id above then comes from it. Empty for /1 and /2 entries.
  std::string opening;
};

/// Verifies a receipt: the checkpoint's signature (with `pinned_verifier_key` when given,
/// which must then equal the embedded key; otherwise with the embedded key, the offline
/// trust-on-first-use mode), log_origin and tree_size equal to the checkpoint's, each entry
/// canonical and included at its index under the checkpoint's root, exactly one header and one
/// applicant entry, the applicant entry naming the header's recruitment and one of its units and
/// lying within the header's block (header index < its index <= header index + applicants), and
/// its values allowed by the header: one outcome per stage of its unit, in order and naming the
/// stage, each a known outcome; a pass only at a stage that passed someone; pass_additional
/// naming a program with an additional pass at that stage (and no other outcome a program);
/// `local` programs among the header's. A passline-log/3 applicant entry (it holds `commitment`)
/// needs the receipt's `opening`: canonical, hashing to the entry's commitment, naming an
/// applicant and a salt (`bad_opening` otherwise, also when it is missing).
/// Without a pinned key the receipt vouches for itself: whoever can sign with a key of the log's
/// name makes one that verifies. Callers should pin the log's key (the CLI asks for --pubkey or
/// an explicit --trust-receipt-key).
/// Returns the summary, or the first failure: `bad_receipt` (not JSON, wrong format, a field
/// missing or mistyped), `key_mismatch`, `bad_verifier_key`, `malformed_note`, `bad_signature`,
/// `bad_checkpoint`, `receipt_mismatch` (origin or size differs from the checkpoint),
/// `not_canonical`, `bad_inclusion_proof`, `wrong_recruitment`, `bad_outcome`, `bad_opening`;
/// path locates the value
/// (`entries[1].inclusion_proof`).
Result<ReceiptSummary> verify_receipt(
    std::string_view receipt_json,
    std::optional<std::string_view> pinned_verifier_key = std::nullopt);

}  // namespace passline
