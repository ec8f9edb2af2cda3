// passline: the decision log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles, docs/AUDIT_LOG.md
// §7): tile paths, the bytes of hash tiles and entry bundles, which tiles a tree of a given size
// has, and the client side that computes hashes and proofs from fetched tiles.
//
// A hash tile (level L, index N) holds the hashes of the nodes at height 8L at positions
// 256N … 256N + W − 1 (W = 256: a full tile; 1 … 255: the partial tile `.p/W`), each 32 bytes,
// concatenated. An entry bundle (`tile/entries/N`) holds entries 256N … 256N + W − 1, each a
// big-endian uint16 length followed by the entry's bytes. The paths encode N in 3-digit groups,
// every group but the last prefixed by `x` (1234067: `x001/x234/067`).
//
// Thread-safety: pure functions; a TileReader is a value used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "passline/merkle.h"
#include "passline/result.h"

namespace passline {

inline constexpr std::uint64_t kTileWidth = 256;

/// One tile of the log: a hash tile or an entry bundle.
struct TileRef {
  bool entries = false;     ///< an entry bundle (`tile/entries/…`) rather than hashes
  unsigned level = 0;       ///< 0 … 63 (an entry bundle: 0)
  std::uint64_t index = 0;  ///< N
  unsigned width = 256;     ///< 1 … 256; below 256 a partial tile (`.p/W`)
  friend bool operator==(const TileRef&, const TileRef&) = default;
  friend auto operator<=>(const TileRef&, const TileRef&) = default;
};

/// The tile's path under the log's prefix: `tile/L/N[.p/W]` or `tile/entries/N[.p/W]`.
std::string tile_path(const TileRef& t);

/// Reads a tile path from its segments, `tile` first (`{"tile", "0", "x001", "234.p", "7"}`).
/// Exactly the canonical spelling is accepted: L 0 … 63 and W 1 … 255 in decimal without leading
/// zeros, N in groups of three digits, all but the last `x`-prefixed, no leading `x000` group,
/// N below 2^64. Error `bad_tile_path` naming the segment (`segment 3`).
Result<TileRef> parse_tile_path(std::span<const std::string> segments);

/// How many hashes the tree of `size` leaves has at height 8·level: ⌊size / 256^level⌋.
std::uint64_t level_count(std::uint64_t size, unsigned level);

/// The tile (level, index) as the tree of `size` leaves has it (width 256, or its partial
/// width), or nullopt when that tree has no such tile (an empty tile is never served).
std::optional<TileRef> tile_of(std::uint64_t size, unsigned level, std::uint64_t index,
                               bool entries = false);

/// True when `t` is a tile of some tree of at most `size` leaves: its hashes (or entries) lie
/// within that tree (index·256 + width ≤ level_count(size, level)). Such a tile's bytes never
/// change as the log grows.
bool tile_within(const TileRef& t, std::uint64_t size);

/// Every tile and entry bundle of the tree of `size` leaves, full and partial, by level.
std::vector<TileRef> tiles_of(std::uint64_t size);

/// The bytes of a hash tile: the hashes concatenated.
std::string hash_tile_bytes(std::span<const Hash> hashes);
/// The hashes of a hash tile of `width` hashes. Error `bad_tile` when the bytes are not exactly
/// width × 32.
Result<std::vector<Hash>> read_hash_tile(std::string_view bytes, unsigned width);

/// The bytes of an entry bundle. Error `entry_too_large` naming the entry's position in the
/// bundle when one is longer than 65535 bytes.
Result<std::string> entry_bundle_bytes(std::span<const std::string> entries);
/// The entries of a bundle of `width` entries. Error `bad_tile` when the bytes are not exactly
/// `width` length-prefixed entries.
Result<std::vector<std::string>> read_entry_bundle(std::string_view bytes, unsigned width);

/// Fetches a tile's bytes (a file, an HTTP GET). Errors are passed on as they are.
using TileFetch = std::function<Result<std::string>(const TileRef&)>;

/// The client side: hashes of perfect subtrees of the tree of `size` leaves, read from its hash
/// tiles (each fetched at most once, at the width that tree has).
class TileReader {
 public:
  TileReader(std::uint64_t size, TileFetch fetch) : size_(size), fetch_(std::move(fetch)) {}

  /// The hashes of `nodes` (each within the tree). Errors of the fetch; `bad_tile` when a tile
  /// has the wrong length; `invalid_value` for a node outside the tree.
  Result<std::vector<Hash>> node_hashes(std::span<const TreeNode> nodes);

  /// The RFC 9162 consistency proof between the trees of m and size leaves (m ≤ size), computed
  /// from the tiles: verify it with verify_consistency() against roots you trust.
  Result<std::vector<Hash>> consistency_proof(std::uint64_t m);
  /// The root of the tree computed from the tiles.
  Result<Hash> root();

 private:
  Result<const std::vector<Hash>*> tile(unsigned level, std::uint64_t index);
  std::uint64_t size_;
  TileFetch fetch_;
  std::map<std::pair<unsigned, std::uint64_t>, std::vector<Hash>> tiles_;
};

}  // namespace passline
