// passline: verifying an exported decision log (docs/AUDIT_LOG.md) without trusting the
// database it came from: recompute the RFC 6962 root, check every entry's place in the chain,
// and compare with a signed checkpoint.
//
// Every entry carries `log_index` (its position) and `prev` (the hex leaf hash of the entry
// before it). A single altered entry k breaks the link k → k+1 (and, if its `prev` was the
// altered part, k−1 → k as well); a dropped, reordered or duplicated entry shows a wrong
// `log_index`. The first entry found wrong is named. What the chain cannot show (the last
// entry altered, or a consistently rewritten suffix) the checkpoint's root does.
//
// For speed, each entry's position is first read from its last `,"log_index":` and
// `,"prev":"` (in a passline entry every member that can hold caller-chosen keys sorts before
// them); only when that reading disagrees with the expected index or chain is the entry scanned
// in full (entry_position). A line that is not a passline entry at all but ends like one can
// therefore pass the chain check; it cannot pass the checkpoint's root, nor replay, which reads
// every entry strictly.
//
// Thread-safety: a LogVerifier is a value; use one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "passline/checkpoint.h"
#include "passline/merkle.h"

namespace passline {

/// The verdict on a log.
struct LogVerification {
  std::uint64_t size = 0;                  ///< entries read
  Hash root{};                             ///< RFC 9162 root of all of them
  std::optional<std::uint64_t> first_bad;  ///< the first entry found wrong
  std::string problem;                     ///< what is wrong with it, for people
  bool ok() const { return !first_bad && problem.empty(); }
};

/// Reads a log entry by entry (streaming: O(log n) memory).
class LogVerifier {
 public:
  /// `checkpoint`: a signed checkpoint already verified (verify_checkpoint()); the log must
  /// have exactly its size's first entries with its root, and nothing after them.
  explicit LogVerifier(std::optional<Checkpoint> checkpoint = std::nullopt);

  /// The next entry's canonical bytes (one JSONL line without its newline).
  void add(std::string_view entry);

  /// The verdict after the last entry.
  LogVerification finish();

 private:
  std::optional<Checkpoint> checkpoint_;
  CompactRange tree_;
  std::uint64_t size_ = 0;
  Hash prev_leaf_{};  // the leaf hash of the entry before the next one
  std::optional<Hash> root_at_checkpoint_;
  std::optional<std::uint64_t> first_structural_;  // bad index or unreadable
  std::string structural_problem_;
  std::optional<std::uint64_t> first_broken_link_;  // k: link k-1 -> k is broken
  bool next_link_broken_ = false;                   // is link k -> k+1 broken too?
};

/// The top-level `log_index` and `prev` members of a log entry, found by one pass over the
/// text (no allocation); nullopt when the entry has not both in the expected form.
struct EntryPosition {
  std::uint64_t log_index = 0;
  std::string_view prev;
};
std::optional<EntryPosition> entry_position(std::string_view entry) noexcept;

}  // namespace passline
