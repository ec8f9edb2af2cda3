// passline's application layer: what auditors and applicants ask of the stored decision log —
// inclusion and consistency proofs (RFC 9162) and an applicant's self-contained receipt.
// Thread-safety: as the Store passed in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/app/store.h"
#include "passline/tiles.h"

namespace passline::app {

/// Leaf `index` is in the tree of the log's first `tree_size` entries, whose root is `root`.
struct InclusionProof {
  std::uint64_t index = 0;
  std::uint64_t tree_size = 0;
  Hash leaf_hash{};
  Hash root{};
  std::vector<Hash> proof;  ///< nearest sibling first
};

/// The tree of the first `first` entries is a prefix of the tree of the first `second`.
struct ConsistencyProof {
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  Hash first_root{};
  Hash second_root{};
  std::vector<Hash> proof;
};

/// The inclusion proof of entry `index` in the tree of the first `tree_size` entries.
/// Precondition (the adapter checks it and names its own parameter): index < tree_size <= the
/// log's size; `invalid_value` otherwise.
Result<InclusionProof> prove_inclusion(Store& store, std::uint64_t index, std::uint64_t tree_size);

/// The consistency proof between the trees of the first `first` and `second` entries.
/// Precondition: first <= second <= the log's size; `invalid_value` otherwise.
Result<ConsistencyProof> prove_consistency(Store& store, std::uint64_t first, std::uint64_t second);

/// Gives a signed checkpoint whose tree has at least `min_size` entries (the CLI: the newest
/// stored one, or one signed with the key file; the service: one signed with its key).
using CoveringCheckpoint = std::function<Result<StoredCheckpoint>(std::uint64_t min_size)>;

/// An applicant's receipt (receipt.h): the recruitment's header entry and the applicant's
/// entries, each with its inclusion proof in the tree of a checkpoint `covering` gives.
/// `unknown_recruitment`, `not_decided`, `unknown_applicant`; errors of `covering`.
Result<std::string> applicant_receipt(Store& store, std::string_view recruitment,
                                      std::string_view applicant,
                                      const CoveringCheckpoint& covering);

/// The bytes of tile `t` (C2SP tlog-tiles, tiles.h): a hash tile's hashes or an entry bundle,
/// as every tree of at least its extent has it. `not_found` when `t` is not a tile of the tree
/// of the first `tree_size` entries (tile_within); `invalid_value` when tree_size exceeds the
/// log; `entry_too_large`; storage errors.
Result<std::string> read_tile(Store& store, const TileRef& t, std::uint64_t tree_size);

/// Calls `sink` with every tile and entry bundle of the tree of the first `tree_size` entries
/// (tiles_of), reading each entry and leaf hash once. Stops at the first error, its own or the
/// sink's.
Status for_each_tile(Store& store, std::uint64_t tree_size,
                     const std::function<Status(const TileRef&, std::string_view bytes)>& sink);

}  // namespace passline::app
