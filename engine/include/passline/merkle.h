// passline: the RFC 6962 / RFC 9162 Merkle tree over the decision log (SPEC.md §7).
//
// A leaf is one log entry's canonical JSON bytes. Hashes are SHA-256 through OpenSSL's EVP
// interface (CONVENTIONS.md: not Poco's portable SHA-2). The tree, its roots and proofs are
// exactly those of RFC 9162 §2.1 (the same as RFC 6962 §2.1), so any RFC 6962 verifier (Go's
// transparency-dev/merkle, Python in docs/AUDIT_LOG.md) checks them.
//
// Thread-safety: free functions are pure and re-entrant. CompactRange is a value type; a
// const CompactRange may be read concurrently.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "passline/result.h"

namespace passline {

/// A SHA-256 digest.
using Hash = std::array<std::uint8_t, 32>;

/// SHA-256(0x00 || entry): the hash of a leaf (RFC 9162 §2.1.1).
Hash leaf_hash(std::string_view entry);
/// SHA-256(0x01 || left || right): the hash of an interior node.
Hash node_hash(const Hash& left, const Hash& right);
/// SHA-256 of the empty string: the root of the empty tree.
Hash empty_root();

/// The leaf hashes of a tree, by 0-based index. Called only with indices below the tree size
/// the proof function was given, each at most once per call. Storage can back it by a table.
using LeafHashes = std::function<Hash(std::uint64_t)>;

/// The RFC 9162 root (MTH) of `leaves`; empty_root() for no leaves. O(n) hashes.
Hash root_of(std::span<const Hash> leaves);

/// The incremental tree: append leaf hashes one at a time, read the root at any size. Keeps one
/// hash per set bit of size() (the perfect subtrees covering [0, size), largest first), so
/// storage persists a log of any length as size() plus hashes() and resumes with restore().
class CompactRange {
 public:
  CompactRange() = default;

  /// Appends the next leaf hash (leaf_hash(entry)). Amortised O(1), worst O(log n).
  void append(const Hash& leaf);
  /// The root of the tree of size() leaves (empty_root() when empty). O(log n).
  Hash root() const;
  std::uint64_t size() const noexcept { return size_; }
  /// The subtree hashes, largest (leftmost) subtree first; one per set bit of size().
  const std::vector<Hash>& hashes() const noexcept { return hashes_; }

  /// Rebuilds a range from size() and hashes(). Error `bad_compact_range` when the number of
  /// hashes is not the number of set bits of `size`.
  static Result<CompactRange> restore(std::uint64_t size, std::vector<Hash> hashes);

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

/// The inclusion proof (audit path) of leaf `index` in the tree of the first `size` leaves,
/// RFC 9162 §2.1.3.1, nearest sibling first. Precondition index < size, else
/// std::invalid_argument. Reads each of the `size` leaves once; O(size) hashes.
std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                  const LeafHashes& leaves);
std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                  std::span<const Hash> leaves);

/// The consistency proof between the trees of the first `m` and first `n` leaves, RFC 9162
/// §2.1.4.1. Empty when m == 0 or m == n. Precondition m <= n, else std::invalid_argument.
/// O(n) hashes.
std::vector<Hash> consistency_proof(std::uint64_t m, std::uint64_t n, const LeafHashes& leaves);
std::vector<Hash> consistency_proof(std::uint64_t m, std::uint64_t n, std::span<const Hash> leaves);

/// RFC 9162 §2.1.3.2: true when `proof` proves that `leaf` (a leaf hash) is leaf `index` of
/// the tree of `size` leaves whose root is `root`. False for index >= size.
bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                      std::span<const Hash> proof, const Hash& root);

/// RFC 9162 §2.1.4.2: true when `proof` proves that the tree of size m with root `root_m` is a
/// prefix of the tree of size n with root `root_n`. Edge cases as transparency-dev/merkle:
/// m == n needs an empty proof and equal roots; m == 0 < n needs an empty proof; m > n is false.
bool verify_consistency(std::uint64_t m, std::uint64_t n, const Hash& root_m, const Hash& root_n,
                        std::span<const Hash> proof);

/// A perfect subtree of the tree: the 2^height leaves from leaf index << height. Its hash is
/// the RFC 9162 MTH of those leaves (height 0: the leaf hash). Storage keeps such hashes (the
/// log's tiles, C2SP tlog-tiles) so that proofs read O(log n) of them instead of every leaf.
struct TreeNode {
  std::uint8_t height = 0;
  std::uint64_t index = 0;
  friend auto operator<=>(const TreeNode&, const TreeNode&) = default;
};

/// Gives the hash of a perfect subtree; called only with nodes the *_nodes function below
/// listed for the same arguments.
using NodeHashes = std::function<Hash(const TreeNode&)>;

/// The perfect subtrees whose hashes give MTH(D[begin:end)) (range_root): the RFC 9162 split,
/// each range that is a perfect aligned subtree taken whole. begin < end.
std::vector<TreeNode> range_nodes(std::uint64_t begin, std::uint64_t end);
/// MTH(D[begin:end)) from the hashes of range_nodes(begin, end). O(log n) hashes.
Hash range_root(std::uint64_t begin, std::uint64_t end, const NodeHashes& nodes);

/// The nodes inclusion_proof_from_nodes(index, size, …) reads: O(log size) of them.
/// Precondition index < size, else std::invalid_argument.
std::vector<TreeNode> inclusion_proof_nodes(std::uint64_t index, std::uint64_t size);
/// inclusion_proof(index, size, leaves), from the hashes of perfect subtrees.
std::vector<Hash> inclusion_proof_from_nodes(std::uint64_t index, std::uint64_t size,
                                             const NodeHashes& nodes);
/// The nodes consistency_proof_from_nodes(m, n, …) reads. Precondition m <= n.
std::vector<TreeNode> consistency_proof_nodes(std::uint64_t m, std::uint64_t n);
/// consistency_proof(m, n, leaves), from the hashes of perfect subtrees.
std::vector<Hash> consistency_proof_from_nodes(std::uint64_t m, std::uint64_t n,
                                               const NodeHashes& nodes);

/// Lower-case hex of bytes.
std::string to_hex(std::span<const std::uint8_t> bytes);
std::string to_hex(std::string_view bytes);
/// The bytes of hex text (either case, even length); nullopt otherwise.
std::optional<std::string> from_hex(std::string_view hex);
/// A 32-byte hash from 64 hex digits; nullopt otherwise.
std::optional<Hash> hash_from_hex(std::string_view hex);

/// Standard base64 (RFC 4648 §4) with padding.
std::string base64_encode(std::string_view bytes);
/// Strict standard base64 with padding (length a multiple of 4, no whitespace, zero pad bits);
/// nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace passline
