// Proofs and receipts from the stored decision log.
#include "passline/app/audit.h"

#include <algorithm>
#include <map>
#include <span>

#include <nlohmann/json.hpp>

#include "passline/app/openings.h"
#include "passline/app/recruitments.h"
#include "passline/receipt.h"

namespace passline::app {
namespace {

Status check_size(Store& store, std::uint64_t size) {
  auto tail = store.log_tail();
  if (!tail) return tail.error();
  if (size > tail->size)
    return make_error("invalid_value", "tree_size",
                      "the log has " + std::to_string(tail->size) + " entries, not " +
                          std::to_string(size));
  return {};
}

/// The hashes of `nodes` (any order, repeats allowed) through one store read.
class NodeReader {
 public:
  explicit NodeReader(Store& store) : store_(store) {}

  /// Reads every node of the lists given; then hashes() looks them up.
  Status read(std::vector<TreeNode> nodes) {
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    auto got = store_.tree_hashes(nodes);
    if (!got) return got.error();
    if (got->size() != nodes.size())
      return make_error("storage", "log", "the store gave the wrong number of tree hashes");
    for (std::size_t i = 0; i < nodes.size(); ++i) hashes_[nodes[i]] = (*got)[i];
    return {};
  }
  NodeHashes hashes() const {
    return [this](const TreeNode& n) { return hashes_.at(n); };
  }

 private:
  Store& store_;
  std::map<TreeNode, Hash> hashes_;
};

/// True for a passline-log/3 applicant entry (it holds a commitment to its opening).
bool commits(const std::string& entry) {
  const auto j = nlohmann::json::parse(entry, nullptr, false);
  return j.is_object() && j.contains("commitment");
}

void append(std::vector<TreeNode>& to, const std::vector<TreeNode>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

Result<InclusionProof> prove_inclusion(Store& store, std::uint64_t index, std::uint64_t tree_size) {
  if (auto s = check_size(store, tree_size); !s) return std::move(s).error();
  if (index >= tree_size)
    return make_error("invalid_value", "index", "index must be below the tree size");
  std::vector<TreeNode> need = inclusion_proof_nodes(index, tree_size);
  append(need, range_nodes(0, tree_size));
  need.push_back(TreeNode{0, index});
  NodeReader reader(store);
  if (auto s = reader.read(std::move(need)); !s) return std::move(s).error();
  const NodeHashes h = reader.hashes();
  return InclusionProof{index, tree_size, h(TreeNode{0, index}), range_root(0, tree_size, h),
                        inclusion_proof_from_nodes(index, tree_size, h)};
}

Result<ConsistencyProof> prove_consistency(Store& store, std::uint64_t first,
                                           std::uint64_t second) {
  if (auto s = check_size(store, second); !s) return std::move(s).error();
  if (first > second) return make_error("invalid_value", "first", "first must not be above second");
  std::vector<TreeNode> need = consistency_proof_nodes(first, second);
  if (first > 0) append(need, range_nodes(0, first));
  if (second > 0) append(need, range_nodes(0, second));
  NodeReader reader(store);
  if (auto s = reader.read(std::move(need)); !s) return std::move(s).error();
  const NodeHashes h = reader.hashes();
  return ConsistencyProof{first, second, first ? range_root(0, first, h) : empty_root(),
                          second ? range_root(0, second, h) : empty_root(),
                          consistency_proof_from_nodes(first, second, h)};
}

Result<std::string> applicant_receipt(Store& store, std::string_view recruitment,
                                      std::string_view applicant,
                                      const CoveringCheckpoint& covering) {
  auto indices = log_indices(store, recruitment, applicant);
  if (!indices) return indices.error();
  auto cp = covering(indices->back() + 1);
  if (!cp) return cp.error();
  std::vector<TreeNode> need;
  for (std::uint64_t i : *indices) append(need, inclusion_proof_nodes(i, cp->size));
  NodeReader reader(store);
  if (auto s = reader.read(std::move(need)); !s) return std::move(s).error();
  const NodeHashes h = reader.hashes();
  std::vector<ReceiptEntry> entries;
  std::optional<std::string> opening;
  for (std::uint64_t i : *indices) {
    ReceiptEntry e;
    e.index = i;
    auto r = store.read_log(i, i + 1, [&](std::uint64_t, std::string_view text) {
      e.entry = std::string(text);
    });
    if (!r) return r.error();
    e.inclusion_proof = inclusion_proof_from_nodes(i, cp->size, h);
    if (i != indices->front() && commits(e.entry)) {
      // passline-log/3: the receipt carries the applicant's opening, while it is kept.
      auto o = read_opening(store, i);
      if (!o) return o.error();
      if (!*o) {
        auto kept = store.read_retention(recruitment);
        if (!kept) return kept.error();
        return make_error("erased", "applicant",
                          "the personal inputs of applicant '" + std::string(applicant) + "' in '" +
                              std::string(recruitment) + "' were erased" +
                              (*kept && (*kept)->erased_at ? " at " + *(*kept)->erased_at : "") +
                              " (retention ended " +
                              (*kept ? (*kept)->retain_until : std::string("?")) +
                              "): no receipt with its opening can be issued");
      }
      opening = std::move(*o);
    }
    entries.push_back(std::move(e));
  }
  if (opening) return make_receipt(cp->note, cp->verifier_key, entries, *opening);
  return make_receipt(cp->note, cp->verifier_key, entries);
}

Result<std::string> read_tile(Store& store, const TileRef& t, std::uint64_t tree_size) {
  if (auto s = check_size(store, tree_size); !s) return std::move(s).error();
  if (!tile_within(t, tree_size))
    return make_error("not_found", tile_path(t),
                      "the log's tree of " + std::to_string(tree_size) + " entries has no tile " +
                          tile_path(t));
  const std::uint64_t first = t.index * kTileWidth;
  if (t.entries) {
    std::vector<std::string> entries;
    entries.reserve(t.width);
    auto r = store.read_log(first, first + t.width,
                            [&](std::uint64_t, std::string_view e) { entries.emplace_back(e); });
    if (!r) return r.error();
    if (entries.size() != t.width)
      return make_error("storage", "log", "the store gave the wrong number of entries");
    return entry_bundle_bytes(entries);
  }
  std::vector<TreeNode> nodes;
  nodes.reserve(t.width);
  for (std::uint64_t i = 0; i < t.width; ++i)
    nodes.push_back(TreeNode{static_cast<std::uint8_t>(8 * t.level), first + i});
  auto hashes = store.tree_hashes(nodes);
  if (!hashes) return hashes.error();
  if (hashes->size() != t.width)
    return make_error("storage", "log", "the store gave the wrong number of tree hashes");
  return hash_tile_bytes(*hashes);
}

Status for_each_tile(Store& store, std::uint64_t tree_size,
                     const std::function<Status(const TileRef&, std::string_view bytes)>& sink) {
  for (const TileRef& t : tiles_of(tree_size)) {
    auto bytes = read_tile(store, t, tree_size);
    if (!bytes) return bytes.error();
    if (auto s = sink(t, *bytes); !s) return s;
  }
  return {};
}

}  // namespace passline::app
