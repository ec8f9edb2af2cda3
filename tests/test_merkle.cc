// The RFC 6962 / RFC 9162 Merkle tree: published test vectors and properties.
#include <doctest/doctest.h>

#include <bit>
#include <random>
#include <string>
#include <vector>

#include "passline/merkle.h"

using namespace passline;

namespace {

Hash H(std::string_view hex) {
  auto h = hash_from_hex(hex);
  REQUIRE(h);
  return *h;
}

std::vector<Hash> Hs(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash> out;
  for (auto h : hexes) out.push_back(H(h));
  return out;
}

// Test vectors from transparency-dev/merkle (https://github.com/transparency-dev/merkle):
// testonly/constants.go (LeafInputs, NodeHashes, RootHashes, CompactTrees) and
// proof/verify_test.go (inclusionProofs, consistencyProofs). They are the RFC 6962 vectors
// first published in google/certificate-transparency's merkle_tree_test.cc.
const std::vector<std::string> kLeafInputsHex = {"",
                                                 "00",
                                                 "10",
                                                 "2021",
                                                 "3031",
                                                 "40414243",
                                                 "5051525354555657",
                                                 "606162636465666768696a6b6c6d6e6f"};

const std::vector<std::string_view> kRootsHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // size 0
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// NodeHashes()[0]: the leaf hashes.
const std::vector<std::string_view> kLeafHashesHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

std::vector<Hash> vector_leaves() {
  std::vector<Hash> out;
  for (const auto& hex : kLeafInputsHex) out.push_back(leaf_hash(*from_hex(hex)));
  return out;
}

struct ProofVector {
  std::uint64_t a;  // inclusion: the 1-based leaf number as in verify_test.go; consistency: size1
  std::uint64_t b;  // tree size / size2
  std::vector<Hash> proof;
};

std::vector<ProofVector> inclusion_vectors() {
  return {
      {1, 1, {}},
      {1, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {3, 3, Hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {2, 5,
       Hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
}

std::vector<ProofVector> consistency_vectors() {
  return {
      {1, 1, {}},
      {1, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
}

}  // namespace

TEST_CASE("RFC 6962 vectors: leaf hashes and the roots of sizes 0 to 8") {
  const auto leaves = vector_leaves();
  for (std::size_t i = 0; i < leaves.size(); ++i) CHECK(to_hex(leaves[i]) == kLeafHashesHex[i]);
  CHECK(to_hex(empty_root()) == kRootsHex[0]);
  CompactRange range;
  CHECK(range.root() == empty_root());
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    CAPTURE(n);
    CHECK(to_hex(root_of(std::span(leaves).first(n))) == kRootsHex[n]);
    if (n > 0) {
      range.append(leaves[n - 1]);
      CHECK(range.size() == n);
      CHECK(to_hex(range.root()) == kRootsHex[n]);
    }
  }
  // CompactTrees()[7] of testonly/constants.go: {nh[2][0], nh[1][2], nh[0][6]}.
  CompactRange seven;
  for (std::size_t i = 0; i < 7; ++i) seven.append(leaves[i]);
  REQUIRE(seven.hashes().size() == 3);
  CHECK(to_hex(seven.hashes()[0]) == kRootsHex[4]);
  CHECK(to_hex(seven.hashes()[1]) ==
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
  CHECK(to_hex(seven.hashes()[2]) == kLeafHashesHex[6]);
}

TEST_CASE("RFC 6962 vectors: inclusion proofs are generated and verified") {
  const auto leaves = vector_leaves();
  for (const auto& v : inclusion_vectors()) {
    const std::uint64_t index = v.a - 1;
    CAPTURE(index);
    CAPTURE(v.b);
    const auto proof = inclusion_proof(index, v.b, leaves);
    CHECK(proof == v.proof);
    const Hash root = H(kRootsHex[v.b]);
    CHECK(verify_inclusion(index, v.b, leaves[index], v.proof, root));
    // The corruptions of verify_test.go's corruptInclusionProof.
    CHECK_FALSE(verify_inclusion(index + 1, v.b, leaves[index], v.proof, root));
    CHECK_FALSE(verify_inclusion(index ^ 2, v.b, leaves[index], v.proof, root));
    CHECK_FALSE(verify_inclusion(index, v.b * 2, leaves[index], v.proof, root));
    CHECK_FALSE(verify_inclusion(index, v.b / 2, leaves[index], v.proof, root));
    CHECK_FALSE(verify_inclusion(index, v.b, leaf_hash("WrongLeaf"), v.proof, root));
    CHECK_FALSE(verify_inclusion(index, v.b, leaves[index], v.proof, empty_root()));
    auto longer = v.proof;
    longer.push_back(root);
    CHECK_FALSE(verify_inclusion(index, v.b, leaves[index], longer, root));
    longer.insert(longer.begin(), root);
    longer.pop_back();
    CHECK_FALSE(verify_inclusion(index, v.b, leaves[index], longer, root));
    for (std::size_t k = 0; k < v.proof.size(); ++k) {
      auto wrong = v.proof;
      wrong[k][0] ^= 8;
      CHECK_FALSE(verify_inclusion(index, v.b, leaves[index], wrong, root));
    }
    if (!v.proof.empty()) {
      auto shorter = v.proof;
      shorter.pop_back();
      CHECK_FALSE(verify_inclusion(index, v.b, leaves[index], shorter, root));
    }
  }
  CHECK_FALSE(verify_inclusion(0, 0, leaves[0], {}, empty_root()));
  CHECK_FALSE(verify_inclusion(2, 1, leaves[0], {}, leaves[0]));
}

TEST_CASE("RFC 6962 vectors: consistency proofs are generated and verified") {
  const auto leaves = vector_leaves();
  for (const auto& v : consistency_vectors()) {
    CAPTURE(v.a);
    CAPTURE(v.b);
    CHECK(consistency_proof(v.a, v.b, leaves) == v.proof);
    const Hash r1 = H(kRootsHex[v.a]), r2 = H(kRootsHex[v.b]);
    CHECK(verify_consistency(v.a, v.b, r1, r2, v.proof));
    if (v.proof.empty()) continue;
    CHECK_FALSE(verify_consistency(v.a - 1, v.b, r1, r2, v.proof));
    CHECK_FALSE(verify_consistency(v.a + 1, v.b, r1, r2, v.proof));
    CHECK_FALSE(verify_consistency(v.a, v.b * 2, r1, r2, v.proof));
    CHECK_FALSE(verify_consistency(v.a, v.b / 2, r1, r2, v.proof));
    CHECK_FALSE(verify_consistency(v.a, v.b, r2, r1, v.proof));
    CHECK_FALSE(verify_consistency(v.a, v.b, r1, r2, {}));
    auto longer = v.proof;
    longer.push_back(r2);
    CHECK_FALSE(verify_consistency(v.a, v.b, r1, r2, longer));
    auto shorter = v.proof;
    shorter.pop_back();
    CHECK_FALSE(verify_consistency(v.a, v.b, r1, r2, shorter));
    for (std::size_t k = 0; k < v.proof.size(); ++k) {
      auto wrong = v.proof;
      wrong[k][0] ^= 16;
      CHECK_FALSE(verify_consistency(v.a, v.b, r1, r2, wrong));
    }
  }
  // Edge cases as verify_test.go's TestVerifyConsistency.
  const Hash some = leaf_hash("x");
  CHECK(verify_consistency(0, 0, some, some, {}));
  CHECK_FALSE(verify_consistency(0, 0, some, empty_root(), {}));
  CHECK(verify_consistency(0, 1, some, empty_root(), {}));
  CHECK_FALSE(verify_consistency(1, 0, some, some, {}));
  CHECK_FALSE(verify_consistency(1, 2, some, some, {}));
  const std::vector<Hash> one = {empty_root()};
  CHECK_FALSE(verify_consistency(0, 1, empty_root(), empty_root(), one));
  CHECK_FALSE(verify_consistency(1, 1, empty_root(), empty_root(), one));
}

TEST_CASE("property: every inclusion and consistency proof verifies, a flipped bit fails") {
  std::mt19937_64 rng(20261124);
  std::vector<std::uint64_t> sizes = {1, 2, 3, 64, 255, 256, 257, 300};
  for (int k = 0; k < 4; ++k) sizes.push_back(1 + rng() % 300);
  for (std::uint64_t n : sizes) {
    CAPTURE(n);
    std::vector<Hash> leaves;
    CompactRange range;
    std::vector<Hash> roots = {empty_root()};
    for (std::uint64_t i = 0; i < n; ++i) {
      leaves.push_back(leaf_hash("entry " + std::to_string(i)));
      range.append(leaves.back());
      roots.push_back(range.root());
    }
    CHECK(roots[n] == root_of(leaves));
    int failures = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      auto proof = inclusion_proof(i, n, leaves);
      if (!verify_inclusion(i, n, leaves[i], proof, roots[n])) ++failures;
      Hash leaf = leaves[i];
      leaf[rng() % 32] ^= std::uint8_t(1u << (rng() % 8));
      if (verify_inclusion(i, n, leaf, proof, roots[n])) ++failures;
      if (!proof.empty()) {
        proof[rng() % proof.size()][rng() % 32] ^= std::uint8_t(1u << (rng() % 8));
        if (verify_inclusion(i, n, leaves[i], proof, roots[n])) ++failures;
      }
    }
    for (std::uint64_t m = 0; m <= n; ++m) {
      auto proof = consistency_proof(m, n, leaves);
      if (!verify_consistency(m, n, roots[m], roots[n], proof)) ++failures;
      if (m > 0 && m < n) {
        auto wrong = proof;
        wrong[rng() % wrong.size()][rng() % 32] ^= std::uint8_t(1u << (rng() % 8));
        if (verify_consistency(m, n, roots[m], roots[n], wrong)) ++failures;
        Hash r = roots[m];
        r[0] ^= 1;
        if (verify_consistency(m, n, r, roots[n], proof)) ++failures;
      }
    }
    CHECK(failures == 0);
  }
}

TEST_CASE("proofs read each leaf once through a LeafHashes function") {
  std::vector<Hash> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back(leaf_hash(std::to_string(i)));
  std::uint64_t reads = 0;
  LeafHashes counted = [&](std::uint64_t i) {
    ++reads;
    return leaves[i];
  };
  (void)inclusion_proof(617, 1000, counted);
  CHECK(reads == 999);  // every leaf but the one proven
  reads = 0;
  (void)consistency_proof(617, 1000, counted);
  CHECK(reads <= 1000);
}

TEST_CASE("a compact range survives being persisted and restored") {
  CompactRange a;
  for (int i = 0; i < 13; ++i) a.append(leaf_hash(std::to_string(i)));
  auto b = CompactRange::restore(a.size(), a.hashes());
  REQUIRE(b.ok());
  for (int i = 13; i < 40; ++i) {
    a.append(leaf_hash(std::to_string(i)));
    b->append(leaf_hash(std::to_string(i)));
  }
  CHECK(a.root() == b->root());
  CHECK(b->size() == 40);
  auto bad = CompactRange::restore(13, {leaf_hash("x")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "bad_compact_range");
}

TEST_CASE("hex and base64 helpers") {
  // RFC 4648 §10 vectors.
  const std::pair<const char*, const char*> b64[] = {{"", ""},
                                                     {"f", "Zg=="},
                                                     {"fo", "Zm8="},
                                                     {"foo", "Zm9v"},
                                                     {"foob", "Zm9vYg=="},
                                                     {"fooba", "Zm9vYmE="},
                                                     {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : b64) {
    CHECK(base64_encode(plain) == enc);
    CHECK(base64_decode(enc) == std::string(plain));
  }
  for (const char* bad : {"Zg=", "Zg", "Zh==", "Z===", "Zm9v\n", "Zm 9", "=Zm9", "Zg==Zg=="})
    CHECK_FALSE(base64_decode(bad));
  CHECK(to_hex(std::string_view("\x00\xff\x10", 3)) == "00ff10");
  CHECK(from_hex("00FF10") == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(from_hex("0"));
  CHECK_FALSE(from_hex("zz"));
  CHECK_FALSE(hash_from_hex("00"));
}

namespace {

/// The hash of a perfect subtree, straight from the leaves.
Hash perfect(const std::vector<Hash>& leaves, const TreeNode& n) {
  const std::uint64_t width = std::uint64_t{1} << n.height;
  REQUIRE((n.index + 1) * width <= leaves.size());
  return root_of(std::span<const Hash>(leaves).subspan(n.index * width, width));
}

}  // namespace

TEST_CASE("proofs from perfect subtrees equal the proofs from leaves, and read O(log n) nodes") {
  std::vector<Hash> leaves;
  for (std::uint64_t i = 0; i < 1100; ++i) leaves.push_back(leaf_hash(std::to_string(i * 7919)));
  std::mt19937_64 rng(12);
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t n = 1; n <= 70; ++n) sizes.push_back(n);
  for (std::uint64_t n : {127u, 128u, 129u, 255u, 256u, 257u, 511u, 512u, 513u, 1024u, 1100u})
    sizes.push_back(n);
  for (int k = 0; k < 20; ++k) sizes.push_back(1 + rng() % 1100);
  for (std::uint64_t n : sizes) {
    CAPTURE(n);
    std::size_t reads = 0;
    const NodeHashes nodes = [&](const TreeNode& t) {
      ++reads;
      return perfect(leaves, t);
    };
    const std::span<const Hash> first(leaves.data(), n);
    CHECK(range_root(0, n, nodes) == root_of(first));
    CHECK(range_nodes(0, n).size() == static_cast<std::size_t>(std::popcount(n)));
    std::vector<std::uint64_t> indices = {0, n - 1, n / 2};
    for (int k = 0; k < 8; ++k) indices.push_back(rng() % n);
    for (std::uint64_t i : indices) {
      CAPTURE(i);
      const std::vector<TreeNode> listed = inclusion_proof_nodes(i, n);
      reads = 0;
      const std::vector<Hash> proof = inclusion_proof_from_nodes(i, n, nodes);
      CHECK(proof == inclusion_proof(i, n, first));
      CHECK(reads == listed.size());
      CHECK(listed.size() <= 2 * static_cast<std::size_t>(std::bit_width(n)));
      CHECK(verify_inclusion(i, n, leaves[i], proof, root_of(first)));
    }
    std::vector<std::uint64_t> ms = {0, 1, n / 2, n - 1, n};
    for (int k = 0; k < 6; ++k) ms.push_back(rng() % (n + 1));
    for (std::uint64_t m : ms) {
      CAPTURE(m);
      const std::vector<TreeNode> listed = consistency_proof_nodes(m, n);
      reads = 0;
      const std::vector<Hash> proof = consistency_proof_from_nodes(m, n, nodes);
      CHECK(proof == consistency_proof(m, n, first));
      CHECK(reads == listed.size());
      CHECK(listed.size() <= 2 * static_cast<std::size_t>(std::bit_width(n)) + 1);
    }
  }
  CHECK_THROWS_AS(inclusion_proof_nodes(5, 5), std::invalid_argument);
  CHECK_THROWS_AS(consistency_proof_nodes(6, 5), std::invalid_argument);
}
