// The decision log's Merkle tree in tiles (C2SP tlog-tiles; migration 0010): kept up to date
// by every append, read by proofs.
#include <map>

#include "detail/audit_log.h"
#include "detail/db.h"
#include "detail/rows.h"

namespace passline::sql {
namespace detail {
namespace {

constexpr std::size_t kTileWidth = 256;

std::string hex_of(const std::vector<Hash>& hashes) {
  std::string out;
  out.reserve(hashes.size() * 64);
  for (const Hash& h : hashes) out += to_hex(h);
  return out;
}

std::vector<Hash> hashes_of(std::string_view hex, std::string_view what) {
  if (hex.size() % 64) throw std::runtime_error(std::string(what) + " is not a list of hashes");
  std::vector<Hash> out;
  out.reserve(hex.size() / 64);
  for (std::size_t i = 0; i < hex.size(); i += 64) {
    auto h = hash_from_hex(hex.substr(i, 64));
    if (!h) throw std::runtime_error(std::string(what) + " holds a value that is not a hash");
    out.push_back(*h);
  }
  return out;
}

/// The leaf hashes of entries [begin, end) (fewer when the log ends before `end`).
std::vector<Hash> stored_leaves(Db& db, std::uint64_t begin, std::uint64_t end) {
  std::vector<Hash> out;
  const long long b = static_cast<long long>(begin), e = static_cast<long long>(end);
  std::vector<std::string> hex(kTileWidth);
  soci::statement st = (db.sql.prepare << "SELECT leaf_hash FROM log_entries WHERE idx >= :b "
                                          "AND idx < :e ORDER BY idx",
                        soci::use(b), soci::use(e), soci::into(hex));
  st.execute();
  while (st.fetch()) {
    for (const std::string& h : hex) {
      auto parsed = hash_from_hex(h);
      if (!parsed)
        throw std::runtime_error("log_entries.leaf_hash holds a value that is not a hash");
      out.push_back(*parsed);
    }
    hex.resize(kTileWidth);
  }
  return out;
}

/// The stored tile (level >= 1, index), or an empty list when there is none.
std::vector<Hash> stored_tile(Db& db, std::uint64_t level, std::uint64_t index) {
  const long long l = static_cast<long long>(level), i = static_cast<long long>(index);
  std::string hex;
  long long width = 0;
  db.sql << "SELECT width, hashes FROM log_tiles WHERE level = :l AND idx = :i", soci::use(l),
      soci::use(i), soci::into(width), soci::into(hex);
  if (!db.sql.got_data()) return {};
  std::vector<Hash> out = hashes_of(hex, "log_tiles.hashes");
  if (out.size() != static_cast<std::size_t>(width))
    throw std::runtime_error("log_tiles.width does not match its hashes");
  return out;
}

}  // namespace

TileWriter::TileWriter(Db& db, std::uint64_t size) : db_(db), size_(size) {
  // The rightmost partial tile of each level: the hashes at height 8L from the last full tile.
  std::uint64_t count = size;  // hashes at height 8L
  for (std::uint64_t level = 0; count > 0; ++level, count /= kTileWidth) {
    Level& l = levels_.emplace_back();
    l.count = count;
    const std::uint64_t width = count % kTileWidth;
    if (width == 0) continue;
    if (level == 0) {
      l.tile = stored_leaves(db_, count - width, count);
    } else {
      l.tile = stored_tile(db_, level, count / kTileWidth);
      if (l.tile.size() < width) throw std::runtime_error("log_tiles misses hashes of the log");
      l.tile.resize(width);
    }
    if (l.tile.size() != width) throw std::runtime_error("log_entries misses entries of the log");
  }
}

void TileWriter::append(const Hash& leaf) {
  ++size_;
  Hash h = leaf;
  for (std::size_t level = 0;; ++level) {
    if (level == levels_.size()) levels_.emplace_back();
    Level& l = levels_[level];
    l.tile.push_back(h);
    ++l.count;
    l.dirty = true;
    if (l.tile.size() < kTileWidth) return;
    h = root_of(l.tile);  // the node at height 8(L+1)
    if (level > 0) write(level, l);
    l.tile.clear();
    l.dirty = false;
  }
}

void TileWriter::finish() {
  for (std::size_t level = 1; level < levels_.size(); ++level)
    if (levels_[level].dirty && !levels_[level].tile.empty()) write(level, levels_[level]);
}

void TileWriter::write(std::size_t level, const Level& l) {
  const long long lv = static_cast<long long>(level);
  const long long idx = static_cast<long long>((l.count - 1) / kTileWidth);
  const long long width = static_cast<long long>(l.tile.size());
  const std::string hex = hex_of(l.tile);
  db_.sql << "INSERT INTO log_tiles (level, idx, width, hashes) VALUES (:l, :i, :w, :h) "
             "ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, "
             "hashes = excluded.hashes",
      soci::use(lv), soci::use(idx), soci::use(width), soci::use(hex);
}

void backfill_log_tiles(Db& db) {
  TileWriter tiles(db, 0);
  constexpr std::size_t kBatch = 20000;
  std::vector<std::string> hex(kBatch);
  soci::statement st =
      (db.sql.prepare << "SELECT leaf_hash FROM log_entries ORDER BY idx", soci::into(hex));
  st.execute();
  while (st.fetch()) {
    for (const std::string& h : hex) {
      auto parsed = hash_from_hex(h);
      if (!parsed)
        throw std::runtime_error("log_entries.leaf_hash holds a value that is not a hash");
      tiles.append(*parsed);
    }
    hex.resize(kBatch);
  }
  tiles.finish();
}

}  // namespace detail

Result<std::vector<Hash>> Store::tree_hashes(std::span<const TreeNode> nodes) {
  return detail::guarded("reading the log's tree", [&]() -> Result<std::vector<Hash>> {
    detail::Db& db = impl_->db;
    // Each node is a run of 2^(h mod 8) hashes of one tile at level h / 8; tiles read once.
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<Hash>> tiles;
    std::vector<Hash> out;
    out.reserve(nodes.size());
    for (const TreeNode& n : nodes) {
      const std::uint64_t level = n.height / 8, run = std::uint64_t{1} << (n.height % 8);
      if (n.height >= 64 || n.index > (~std::uint64_t{0} >> n.height))
        return make_error("invalid_value", "node", "the node reaches past the log's end");
      const std::uint64_t first = n.index * run;  // position at height 8 * level
      const std::uint64_t tile = first / detail::kTileWidth, offset = first % detail::kTileWidth;
      auto it = tiles.find({level, tile});
      if (it == tiles.end()) {
        std::vector<Hash> hashes = level == 0
                                       ? detail::stored_leaves(db, tile * detail::kTileWidth,
                                                               (tile + 1) * detail::kTileWidth)
                                       : detail::stored_tile(db, level, tile);
        it = tiles.emplace(std::make_pair(level, tile), std::move(hashes)).first;
      }
      if (offset + run > it->second.size())
        return make_error("invalid_value", "node", "the node reaches past the log's end");
      out.push_back(root_of(std::span<const Hash>(it->second).subspan(offset, run)));
    }
    return out;
  });
}

}  // namespace passline::sql
