// Proofs and receipts from the stored decision log.
#include "passline/app/audit.h"

#include <span>

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

}  // namespace

Result<InclusionProof> prove_inclusion(Store& store, std::uint64_t index, std::uint64_t tree_size) {
  if (auto s = check_size(store, tree_size); !s) return std::move(s).error();
  if (index >= tree_size)
    return make_error("invalid_value", "index", "index must be below the tree size");
  auto leaves = store.leaf_hashes(tree_size);
  if (!leaves) return leaves.error();
  const std::span<const Hash> all(*leaves);
  return InclusionProof{index, tree_size, all[index], root_of(all),
                        passline::inclusion_proof(index, tree_size, all)};
}

Result<ConsistencyProof> prove_consistency(Store& store, std::uint64_t first,
                                           std::uint64_t second) {
  if (auto s = check_size(store, second); !s) return std::move(s).error();
  if (first > second) return make_error("invalid_value", "first", "first must not be above second");
  auto leaves = store.leaf_hashes(second);
  if (!leaves) return leaves.error();
  const std::span<const Hash> all(*leaves);
  return ConsistencyProof{first, second, root_of(all.first(first)), root_of(all),
                          passline::consistency_proof(first, second, all)};
}

Result<std::string> applicant_receipt(Store& store, std::string_view recruitment,
                                      std::string_view applicant,
                                      const CoveringCheckpoint& covering) {
  auto indices = log_indices(store, recruitment, applicant);
  if (!indices) return indices.error();
  auto cp = covering(indices->back() + 1);
  if (!cp) return cp.error();
  auto leaves = store.leaf_hashes(cp->size);
  if (!leaves) return leaves.error();
  std::vector<ReceiptEntry> entries;
  for (std::uint64_t i : *indices) {
    ReceiptEntry e;
    e.index = i;
    auto r = store.read_log(i, i + 1, [&](std::uint64_t, std::string_view text) {
      e.entry = std::string(text);
    });
    if (!r) return r.error();
    e.inclusion_proof = passline::inclusion_proof(i, cp->size, std::span<const Hash>(*leaves));
    entries.push_back(std::move(e));
  }
  return make_receipt(cp->note, cp->verifier_key, entries);
}

}  // namespace passline::app
