// Internals of the decision log in the database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "passline/merkle.h"

namespace passline::sql::detail {

/// The log head's compact range, stored as comma-separated hex hashes. Throws on a value that
/// is not a hash.
std::vector<Hash> parse_hashes(const std::string& text);

}  // namespace passline::sql::detail

namespace passline::sql::detail {

struct Db;

/// Keeps the log's tiles (migration 0010) as leaves are appended: the rightmost partial tile of
/// each level in memory (at most 255 hashes a level), full tiles written as they fill, the
/// partial ones by finish(). Level 0 is log_entries.leaf_hash and is never written here.
/// Throws soci::soci_error or std::runtime_error (a log whose stored tiles do not match it).
class TileWriter {
 public:
  /// Resumes after the first `size` leaves of the stored log (reads its partial tiles).
  TileWriter(Db& db, std::uint64_t size);
  void append(const Hash& leaf);
  /// Writes the partial tiles that changed. Call before the transaction commits.
  void finish();
  std::uint64_t size() const noexcept { return size_; }

  static constexpr std::size_t kTileWidth = 256;

 private:
  struct Level {
    std::vector<Hash> tile;   ///< the rightmost tile's hashes (fewer than 256)
    std::uint64_t count = 0;  ///< hashes at this level's height in the whole tree
    bool dirty = false;
  };
  void write(std::size_t level, const Level& l);

  Db& db_;
  std::uint64_t size_ = 0;
  std::vector<Level> levels_;
};

/// Version 10's data step: the tiles of the stored log.
void backfill_log_tiles(Db& db);

}  // namespace passline::sql::detail
