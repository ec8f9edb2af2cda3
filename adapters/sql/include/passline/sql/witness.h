// passline: the witnesses' cosignatures of the log's checkpoints, kept beside them
// (adapters/sql/migrations/0012_witness_cosignatures.sql, docs/AUDIT_LOG.md §8). The caller
// verifies a cosignature (passline/witness.h) before saving it; these functions hold rows only.
// Thread-safety: as the Store passed in (one thread at a time).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "passline/result.h"
#include "passline/sql/store.h"

namespace passline::sql {

/// One witness's cosignature of one stored checkpoint.
struct StoredCosignature {
  std::uint64_t size = 0;    ///< the checkpoint's tree size
  std::string verifier_key;  ///< the log key that signed the checkpoint
  std::string witness_key;   ///< the witness's type-0x04 verifier key
  std::string witness;       ///< its name
  std::uint64_t timestamp = 0;
  std::string line;  ///< the signature line, without its newline
  std::string received_at;
};

/// Stores `c`, replacing an earlier cosignature of the same checkpoint by the same witness key.
/// Error `storage`.
Status save_cosignature(Store& store, const StoredCosignature& c);

/// The cosignatures stored for the checkpoint (size, verifier_key), by witness key.
Result<std::vector<StoredCosignature>> cosignatures_of(Store& store, std::uint64_t size,
                                                       std::string_view verifier_key);

/// The largest tree size of the log key `verifier_key` that `witness_key` cosigned, 0 if none:
/// the `old` size to submit the next checkpoint with.
Result<std::uint64_t> witnessed_size(Store& store, std::string_view verifier_key,
                                     std::string_view witness_key);

/// The checkpoint's note with the stored cosignature lines added after the log's signature
/// (what GET /checkpoint, GET /v1/audit/checkpoint and receipts carry). Errors `storage`, and
/// `malformed_note` when a stored line is not a signature line.
Result<std::string> witnessed_note(Store& store, const StoredCheckpoint& checkpoint);

}  // namespace passline::sql
