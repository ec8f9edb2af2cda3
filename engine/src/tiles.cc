// C2SP tlog-tiles: paths, tile bytes, and proofs from fetched tiles (tiles.h).
#include "passline/tiles.h"

#include <algorithm>

namespace passline {
namespace {

std::string three(std::uint64_t v) {
  std::string s = std::to_string(v);
  return std::string(3 - s.size(), '0') + s;
}

Error bad_path(std::size_t segment, const std::string& why) {
  return make_error("bad_tile_path", "segment " + std::to_string(segment), why);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A decimal in [lo, hi] without leading zeros.
std::optional<unsigned> small_decimal(std::string_view s, unsigned lo, unsigned hi) {
  if (!all_digits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned v = 0;
  for (char c : s) v = v * 10 + static_cast<unsigned>(c - '0');
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

}  // namespace

std::string tile_path(const TileRef& t) {
  std::string n = three(t.index % 1000);
  for (std::uint64_t rest = t.index / 1000; rest > 0; rest /= 1000)
    n = "x" + three(rest % 1000) + "/" + n;
  std::string out = t.entries ? "tile/entries/" : "tile/" + std::to_string(t.level) + "/";
  out += n;
  if (t.width < kTileWidth) out += ".p/" + std::to_string(t.width);
  return out;
}

Result<TileRef> parse_tile_path(std::span<const std::string> s) {
  if (s.empty() || s[0] != "tile") return bad_path(0, "a tile path begins with tile/");
  if (s.size() < 3)
    return bad_path(s.size(), "a tile path is tile/L/N[.p/W] or tile/entries/N[.p/W]");
  TileRef t;
  if (s[1] == "entries") {
    t.entries = true;
  } else {
    auto level = small_decimal(s[1], 0, 63);
    if (!level)
      return bad_path(1, "the level is `entries` or a decimal from 0 to 63 without leading zeros");
    t.level = *level;
  }
  std::size_t end = s.size();  // the index groups are s[2, end)
  std::string last;
  if (s.size() >= 4 && s[s.size() - 2].ends_with(".p")) {
    auto width = small_decimal(s.back(), 1, 255);
    if (!width)
      return bad_path(s.size() - 1,
                      "a partial tile's width is a decimal from 1 to 255 without leading zeros");
    t.width = *width;
    end = s.size() - 1;
    last = s[end - 1].substr(0, s[end - 1].size() - 2);
  } else {
    last = s[end - 1];
  }
  const std::size_t groups = end - 2;
  if (groups > 7) return bad_path(2, "the tile index does not fit in 64 bits");
  std::uint64_t n = 0;
  for (std::size_t i = 2; i < end; ++i) {
    const bool is_last = i + 1 == end;
    std::string_view g = is_last ? std::string_view(last) : std::string_view(s[i]);
    if (!is_last) {
      if (!g.starts_with('x'))
        return bad_path(i, "every group of the tile index but the last begins with x (x001)");
      g.remove_prefix(1);
    }
    if (g.size() != 3 || !all_digits(g))
      return bad_path(i, "a group of the tile index is three digits (x001/234)");
    const unsigned v = static_cast<unsigned>((g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0'));
    if (i == 2 && groups > 1 && v == 0)
      return bad_path(i, "the tile index has a leading group x000");
    if (n > (~std::uint64_t{0} - v) / 1000)
      return bad_path(2, "the tile index does not fit in 64 bits");
    n = n * 1000 + v;
  }
  t.index = n;
  return t;
}

std::uint64_t level_count(std::uint64_t size, unsigned level) {
  if (level >= 8) return 0;
  return size >> (8 * level);
}

std::optional<TileRef> tile_of(std::uint64_t size, unsigned level, std::uint64_t index,
                               bool entries) {
  if (entries && level != 0) return std::nullopt;
  const std::uint64_t count = level_count(size, level);
  if (index >= (count + kTileWidth - 1) / kTileWidth) return std::nullopt;
  const std::uint64_t left = count - index * kTileWidth;
  return TileRef{entries, level, index, static_cast<unsigned>(std::min(left, kTileWidth))};
}

bool tile_within(const TileRef& t, std::uint64_t size) {
  if (t.entries && t.level != 0) return false;
  if (t.width < 1 || t.width > kTileWidth) return false;
  const std::uint64_t count = level_count(size, t.level);
  if (t.index > count / kTileWidth) return false;
  return t.index * kTileWidth + t.width <= count;
}

std::vector<TileRef> tiles_of(std::uint64_t size) {
  std::vector<TileRef> out;
  for (unsigned level = 0; level_count(size, level) > 0; ++level) {
    const std::uint64_t count = level_count(size, level);
    for (std::uint64_t n = 0; n * kTileWidth < count; ++n) {
      const TileRef t = *tile_of(size, level, n);
      out.push_back(t);
      if (level == 0) out.push_back(TileRef{true, 0, n, t.width});
    }
  }
  return out;
}

std::string hash_tile_bytes(std::span<const Hash> hashes) {
  std::string out;
  out.reserve(hashes.size() * 32);
  for (const Hash& h : hashes) out.append(reinterpret_cast<const char*>(h.data()), h.size());
  return out;
}

Result<std::vector<Hash>> read_hash_tile(std::string_view bytes, unsigned width) {
  if (bytes.size() != std::size_t{width} * 32)
    return make_error("bad_tile", "tile",
                      "a hash tile of width " + std::to_string(width) + " has " +
                          std::to_string(width * 32) + " bytes, not " +
                          std::to_string(bytes.size()));
  std::vector<Hash> out(width);
  for (unsigned i = 0; i < width; ++i)
    std::copy_n(reinterpret_cast<const std::uint8_t*>(bytes.data()) + i * 32, 32, out[i].begin());
  return out;
}

Result<std::string> entry_bundle_bytes(std::span<const std::string> entries) {
  std::string out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& e = entries[i];
    if (e.size() > 0xFFFF)
      return make_error("entry_too_large", "entries[" + std::to_string(i) + "]",
                        "the entry has " + std::to_string(e.size()) +
                            " bytes; an entry bundle holds entries of at most 65535 bytes");
    out += static_cast<char>(e.size() >> 8);
    out += static_cast<char>(e.size() & 0xFF);
    out += e;
  }
  return out;
}

Result<std::vector<std::string>> read_entry_bundle(std::string_view bytes, unsigned width) {
  std::vector<std::string> out;
  while (!bytes.empty()) {
    if (bytes.size() < 2 || out.size() == width) break;
    const std::size_t n = std::size_t{static_cast<unsigned char>(bytes[0])} << 8 |
                          static_cast<unsigned char>(bytes[1]);
    if (bytes.size() < 2 + n) break;
    out.emplace_back(bytes.substr(2, n));
    bytes.remove_prefix(2 + n);
  }
  if (!bytes.empty() || out.size() != width)
    return make_error("bad_tile", "entries",
                      "the entry bundle is not " + std::to_string(width) +
                          " length-prefixed entries");
  return out;
}

Result<const std::vector<Hash>*> TileReader::tile(unsigned level, std::uint64_t index) {
  auto it = tiles_.find({level, index});
  if (it != tiles_.end()) return &it->second;
  auto ref = tile_of(size_, level, index);
  if (!ref) return make_error("invalid_value", "node", "the node lies outside the tree");
  auto bytes = fetch_(*ref);
  if (!bytes) return bytes.error();
  auto hashes = read_hash_tile(*bytes, ref->width);
  if (!hashes) {
    Error e = hashes.error();
    e.path = tile_path(*ref);
    return e;
  }
  return &tiles_.emplace(std::make_pair(level, index), std::move(*hashes)).first->second;
}

Result<std::vector<Hash>> TileReader::node_hashes(std::span<const TreeNode> nodes) {
  std::vector<Hash> out;
  out.reserve(nodes.size());
  for (const TreeNode& n : nodes) {
    if (n.height >= 64) return make_error("invalid_value", "node", "the node is too high");
    const unsigned level = n.height / 8;
    const std::uint64_t run = std::uint64_t{1} << (n.height % 8);
    const std::uint64_t first = n.index * run;
    auto t = tile(level, first / kTileWidth);
    if (!t) return t.error();
    const std::uint64_t offset = first % kTileWidth;
    if (offset + run > (*t)->size())
      return make_error("invalid_value", "node", "the node lies outside the tree");
    out.push_back(root_of(std::span<const Hash>(**t).subspan(offset, run)));
  }
  return out;
}

Result<std::vector<Hash>> TileReader::consistency_proof(std::uint64_t m) {
  if (m > size_) return make_error("invalid_value", "first", "the first tree is the larger");
  const std::vector<TreeNode> nodes = consistency_proof_nodes(m, size_);
  auto hashes = node_hashes(nodes);
  if (!hashes) return hashes.error();
  std::map<TreeNode, Hash> by_node;
  for (std::size_t i = 0; i < nodes.size(); ++i) by_node[nodes[i]] = (*hashes)[i];
  return consistency_proof_from_nodes(m, size_, [&](const TreeNode& n) { return by_node.at(n); });
}

Result<Hash> TileReader::root() {
  if (size_ == 0) return empty_root();
  const std::vector<TreeNode> nodes = range_nodes(0, size_);
  auto hashes = node_hashes(nodes);
  if (!hashes) return hashes.error();
  std::map<TreeNode, Hash> by_node;
  for (std::size_t i = 0; i < nodes.size(); ++i) by_node[nodes[i]] = (*hashes)[i];
  return range_root(0, size_, [&](const TreeNode& n) { return by_node.at(n); });
}

}  // namespace passline
