// RFC 9162 §2.1 Merkle tree hashing, proofs and their verification, SHA-256 through OpenSSL EVP.
#include "passline/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <memory>
#include <stdexcept>

namespace passline {
namespace {

/// The SHA-256 implementation, fetched once (OpenSSL 3 caches nothing for EVP_sha256()
/// lookups made through a fresh context each time).
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!m) throw std::runtime_error("OpenSSL: SHA-256 is unavailable");
    return m;
  }();
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

/// SHA-256 over the concatenation of `parts`. One context per thread, reused.
Hash sha256(std::initializer_list<std::string_view> parts) {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 init failed");
  for (std::string_view p : parts)
    if (EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 update failed");
  Hash out;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size())
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  return out;
}

std::string_view bytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

/// The largest power of two strictly less than n (n >= 2): RFC 9162's k.
std::uint64_t split(std::uint64_t n) { return std::uint64_t{1} << (std::bit_width(n - 1) - 1); }

/// MTH(D[a : a+n]), n >= 1; reads each leaf of the range once.
Hash subtree(const LeafHashes& leaves, std::uint64_t a, std::uint64_t n) {
  if (n == 1) return leaves(a);
  const std::uint64_t k = split(n);
  const Hash left = subtree(leaves, a, k);
  return node_hash(left, subtree(leaves, a + k, n - k));
}

/// PATH(m, D[a : a+n]) appended nearest-leaf first; `sub(a, n)` gives MTH(D[a : a+n]).
template <class Sub>
void path(const Sub& sub, std::uint64_t m, std::uint64_t a, std::uint64_t n,
          std::vector<Hash>& out) {
  if (n <= 1) return;
  const std::uint64_t k = split(n);
  if (m < k) {
    path(sub, m, a, k, out);
    out.push_back(sub(a + k, n - k));
  } else {
    path(sub, m - k, a + k, n - k, out);
    out.push_back(sub(a, k));
  }
}

/// SUBPROOF(m, D[a : a+n], b).
template <class Sub>
void subproof(const Sub& sub, std::uint64_t m, std::uint64_t a, std::uint64_t n, bool b,
              std::vector<Hash>& out) {
  if (m == n) {
    if (!b) out.push_back(sub(a, n));
    return;
  }
  const std::uint64_t k = split(n);
  if (m <= k) {
    subproof(sub, m, a, k, b, out);
    out.push_back(sub(a + k, n - k));
  } else {
    subproof(sub, m - k, a + k, n - k, false, out);
    out.push_back(sub(a, k));
  }
}

/// The subtree function over leaf hashes.
auto over_leaves(const LeafHashes& leaves) {
  return [&leaves](std::uint64_t a, std::uint64_t n) { return subtree(leaves, a, n); };
}

/// MTH(D[a : a+n]) from perfect subtrees: an aligned power-of-two range is one node.
template <class Node>
Hash node_range(const Node& node, std::uint64_t a, std::uint64_t n) {
  if (std::has_single_bit(n) && a % n == 0)
    return node(TreeNode{static_cast<std::uint8_t>(std::countr_zero(n)), a >> std::countr_zero(n)});
  const std::uint64_t k = split(n);
  const Hash left = node_range(node, a, k);
  return node_hash(left, node_range(node, a + k, n - k));
}

/// A subtree function that only records the nodes node_range would read.
auto recording(std::vector<TreeNode>& out) {
  return [&out](std::uint64_t a, std::uint64_t n) {
    return node_range(
        [&out](const TreeNode& t) {
          out.push_back(t);
          return Hash{};
        },
        a, n);
  };
}

auto over_nodes(const NodeHashes& nodes) {
  return [&nodes](std::uint64_t a, std::uint64_t n) { return node_range(nodes, a, n); };
}

LeafHashes from_span(std::span<const Hash> leaves, std::uint64_t size) {
  if (leaves.size() < size) throw std::invalid_argument("fewer leaf hashes than the tree size");
  return [leaves](std::uint64_t i) { return leaves[i]; };
}

}  // namespace

Hash leaf_hash(std::string_view entry) { return sha256({std::string_view("\x00", 1), entry}); }

Hash node_hash(const Hash& left, const Hash& right) {
  return sha256({std::string_view("\x01", 1), bytes(left), bytes(right)});
}

Hash empty_root() { return sha256({}); }

Hash root_of(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_root();
  return subtree([leaves](std::uint64_t i) { return leaves[i]; }, 0, leaves.size());
}

void CompactRange::append(const Hash& leaf) {
  // Each trailing set bit of size_ is a perfect subtree that now pairs with the new one.
  Hash h = leaf;
  for (std::uint64_t s = size_; s & 1; s >>= 1) {
    h = node_hash(hashes_.back(), h);
    hashes_.pop_back();
  }
  hashes_.push_back(h);
  ++size_;
}

Hash CompactRange::root() const {
  if (hashes_.empty()) return empty_root();
  Hash r = hashes_.back();
  for (std::size_t i = hashes_.size() - 1; i-- > 0;) r = node_hash(hashes_[i], r);
  return r;
}

Result<CompactRange> CompactRange::restore(std::uint64_t size, std::vector<Hash> hashes) {
  if (static_cast<std::size_t>(std::popcount(size)) != hashes.size())
    return make_error("bad_compact_range", "hashes",
                      "a range of size " + std::to_string(size) + " has " +
                          std::to_string(std::popcount(size)) + " subtree hashes, not " +
                          std::to_string(hashes.size()));
  CompactRange r;
  r.size_ = size;
  r.hashes_ = std::move(hashes);
  return r;
}

std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                  const LeafHashes& leaves) {
  if (index >= size) throw std::invalid_argument("inclusion_proof: index must be below size");
  std::vector<Hash> out;
  path(over_leaves(leaves), index, 0, size, out);
  return out;
}

std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                  std::span<const Hash> leaves) {
  return inclusion_proof(index, size, from_span(leaves, size));
}

std::vector<Hash> consistency_proof(std::uint64_t m, std::uint64_t n, const LeafHashes& leaves) {
  if (m > n) throw std::invalid_argument("consistency_proof: m must not exceed n");
  std::vector<Hash> out;
  if (m == 0 || m == n) return out;
  subproof(over_leaves(leaves), m, 0, n, true, out);
  return out;
}

std::vector<Hash> consistency_proof(std::uint64_t m, std::uint64_t n,
                                    std::span<const Hash> leaves) {
  return consistency_proof(m, n, from_span(leaves, n));
}

std::vector<TreeNode> range_nodes(std::uint64_t begin, std::uint64_t end) {
  if (begin >= end) throw std::invalid_argument("range_nodes: begin must be below end");
  std::vector<TreeNode> out;
  recording(out)(begin, end - begin);
  return out;
}

Hash range_root(std::uint64_t begin, std::uint64_t end, const NodeHashes& nodes) {
  if (begin >= end) throw std::invalid_argument("range_root: begin must be below end");
  return node_range(nodes, begin, end - begin);
}

std::vector<TreeNode> inclusion_proof_nodes(std::uint64_t index, std::uint64_t size) {
  if (index >= size) throw std::invalid_argument("inclusion_proof: index must be below size");
  std::vector<TreeNode> out;
  std::vector<Hash> ignored;
  path(recording(out), index, 0, size, ignored);
  return out;
}

std::vector<Hash> inclusion_proof_from_nodes(std::uint64_t index, std::uint64_t size,
                                             const NodeHashes& nodes) {
  if (index >= size) throw std::invalid_argument("inclusion_proof: index must be below size");
  std::vector<Hash> out;
  path(over_nodes(nodes), index, 0, size, out);
  return out;
}

std::vector<TreeNode> consistency_proof_nodes(std::uint64_t m, std::uint64_t n) {
  if (m > n) throw std::invalid_argument("consistency_proof: m must not exceed n");
  std::vector<TreeNode> out;
  std::vector<Hash> ignored;
  if (m == 0 || m == n) return out;
  subproof(recording(out), m, 0, n, true, ignored);
  return out;
}

std::vector<Hash> consistency_proof_from_nodes(std::uint64_t m, std::uint64_t n,
                                               const NodeHashes& nodes) {
  if (m > n) throw std::invalid_argument("consistency_proof: m must not exceed n");
  std::vector<Hash> out;
  if (m == 0 || m == n) return out;
  subproof(over_nodes(nodes), m, 0, n, true, out);
  return out;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                      std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t m, std::uint64_t n, const Hash& root_m, const Hash& root_n,
                        std::span<const Hash> proof) {
  if (m > n) return false;
  if (m == n) return proof.empty() && root_m == root_n;
  if (m == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path(proof.begin(), proof.end());
  if (std::has_single_bit(m)) path.insert(path.begin(), root_m);
  std::uint64_t fn = m - 1, sn = n - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == root_m && sr == root_n && sn == 0;
}

std::string to_hex(std::span<const std::uint8_t> data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * data.size());
  for (std::uint8_t b : data) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0f];
  }
  return out;
}

std::string to_hex(std::string_view data) {
  return to_hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()),
                                              data.size()));
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto raw = from_hex(hex);
  if (!raw) return std::nullopt;
  Hash h;
  std::copy(raw->begin(), raw->end(), h.begin());
  return h;
}

std::string base64_encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      int d;
      if (k >= 4 - pad) {
        d = 0;
      } else {
        d = value(c);
        if (d < 0) return std::nullopt;
      }
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    // Pad bits must be zero (canonical encoding).
    if (pad == 1 && (v & 0xFF)) return std::nullopt;
    if (pad == 2 && (v & 0xFFFF)) return std::nullopt;
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(v & 0xFF);
  }
  return out;
}

}  // namespace passline
