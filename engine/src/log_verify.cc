// Verifying an exported decision log (log_verify.h).
#include "passline/log_verify.h"

#include <cstring>

namespace passline {

namespace {

// Bytes the top-level scan stops at; everything else is skipped in a tight loop.
struct Specials {
  bool table[256] = {};
  constexpr Specials() {
    for (unsigned char c : {'"', '{', '}', '[', ']', ','}) table[c] = true;
  }
};
constexpr Specials kSpecial;

bool hex_equals(std::string_view hex, const Hash& h) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  if (hex.size() != 64) return false;
  for (std::size_t i = 0; i < 32; ++i)
    if (hex[2 * i] != kHex[h[i] >> 4] || hex[2 * i + 1] != kHex[h[i] & 15]) return false;
  return true;
}

}  // namespace

std::optional<EntryPosition> entry_position(std::string_view s) noexcept {
  // A single pass at depth 1 of the top-level object: skip strings (with escapes) and nested
  // values; look only at top-level member names.
  if (s.empty() || s.front() != '{') return std::nullopt;
  std::optional<std::uint64_t> index;
  std::optional<std::string_view> prev;
  int depth = 0;
  std::size_t i = 0;
  const std::size_t n = s.size();
  bool expect_key = false;
  while (i < n) {
    while (i < n && !kSpecial.table[static_cast<unsigned char>(s[i])]) ++i;
    if (i >= n) break;
    const char c = s[i];
    if (c == '"') {
      const std::size_t start = ++i;
      for (;;) {
        const void* q = std::memchr(s.data() + i, '"', n - i);
        if (!q) return std::nullopt;
        i = static_cast<std::size_t>(static_cast<const char*>(q) - s.data());
        std::size_t backslashes = 0;
        while (i - backslashes > start && s[i - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) break;
        ++i;
      }
      const std::string_view str = s.substr(start, i - start);
      ++i;
      if (depth == 1 && expect_key && i < n && s[i] == ':') {
        ++i;
        expect_key = false;
        if (str == "log_index") {
          std::uint64_t v = 0;
          std::size_t digits = 0;
          while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 19) {
            v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
            ++i;
            ++digits;
          }
          if (digits == 0) return std::nullopt;
          index = v;
        } else if (str == "prev") {
          if (i >= n || s[i] != '"') return std::nullopt;
          const std::size_t p = ++i;
          while (i < n && s[i] != '"') ++i;
          if (i >= n) return std::nullopt;
          prev = s.substr(p, i - p);
          ++i;
        }
      }
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
      expect_key = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
    ++i;
  }
  if (depth != 0 || !index || !prev) return std::nullopt;
  return EntryPosition{*index, *prev};
}

LogVerifier::LogVerifier(std::optional<Checkpoint> checkpoint)
    : checkpoint_(std::move(checkpoint)) {
  if (checkpoint_ && checkpoint_->tree_size == 0) root_at_checkpoint_ = empty_root();
}

namespace {

// The fast path: in a passline entry every member whose value may hold caller-chosen keys
// (attributes, ledger_prior, agency) sorts before `log_index` and `prev`, and the members after
// them have fixed keys, so the last `,"log_index":` and `,"prev":"` are the top-level ones.
// The answer is only used when it agrees with the expected index and chain; anything else is
// looked at again with the full scan (entry_position).
std::size_t last_of(std::string_view s, std::string_view needle, std::size_t before) noexcept {
  if (needle.size() > before) return std::string_view::npos;
  for (std::size_t i = before - needle.size() + 1; i-- > 0;)
    if (s[i] == needle[0] && std::memcmp(s.data() + i, needle.data(), needle.size()) == 0) return i;
  return std::string_view::npos;
}

std::optional<EntryPosition> quick_position(std::string_view s) noexcept {
  const auto p = last_of(s, ",\"prev\":\"", s.size());
  if (p == std::string_view::npos || p + 9 + 64 >= s.size() || s[p + 9 + 64] != '"')
    return std::nullopt;
  const auto l = last_of(s, ",\"log_index\":", p);
  if (l == std::string_view::npos) return std::nullopt;
  std::uint64_t v = 0;
  std::size_t i = l + 13, digits = 0;
  while (i < p && s[i] >= '0' && s[i] <= '9' && digits < 19) {
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || i >= s.size() || (s[i] != ',' && s[i] != '}')) return std::nullopt;
  return EntryPosition{v, s.substr(p + 9, 64)};
}

}  // namespace

void LogVerifier::add(std::string_view entry) {
  const std::uint64_t k = size_++;
  const Hash leaf = leaf_hash(entry);
  tree_.append(leaf);
  if (checkpoint_ && size_ == checkpoint_->tree_size) root_at_checkpoint_ = tree_.root();
  auto pos = quick_position(entry);
  if (!pos || pos->log_index != k || !hex_equals(pos->prev, size_ == 1 ? Hash{} : prev_leaf_))
    pos = entry_position(entry);
  if (!first_structural_) {
    if (!pos) {
      first_structural_ = k;
      structural_problem_ = "not a passline log entry: no top-level log_index and prev";
    } else if (pos->log_index != k) {
      first_structural_ = k;
      structural_problem_ = "entry " + std::to_string(k) + " says it is entry " +
                            std::to_string(pos->log_index) +
                            ": an entry was dropped, reordered or duplicated here";
    }
  }
  if (pos) {
    // Entry 0's prev is 64 zeros: the all-zero hash.
    const bool broken = !hex_equals(pos->prev, size_ == 1 ? Hash{} : prev_leaf_);
    if (first_broken_link_ && *first_broken_link_ + 1 == k) next_link_broken_ = broken;
    if (broken && !first_broken_link_) first_broken_link_ = k;
  }
  prev_leaf_ = leaf;
}

LogVerification LogVerifier::finish() {
  LogVerification v;
  v.size = size_;
  v.root = tree_.root();
  auto consider = [&](std::uint64_t index, std::string problem) {
    if (!v.first_bad || index < *v.first_bad) {
      v.first_bad = index;
      v.problem = std::move(problem);
    }
  };
  if (first_structural_) consider(*first_structural_, structural_problem_);
  // A broken link at or after a misplaced entry is that entry's doing: name the misplaced one.
  const bool explained =
      first_structural_ && first_broken_link_ && *first_broken_link_ >= *first_structural_;
  if (first_broken_link_ && !explained) {
    const std::uint64_t k = *first_broken_link_;
    if (k == 0 || next_link_broken_)
      consider(k, "entry " + std::to_string(k) + " was altered: its prev does not match entry " +
                      (k == 0 ? std::string("-1 (64 zeros)") : std::to_string(k - 1)));
    else
      consider(k - 1, "entry " + std::to_string(k - 1) +
                          " was altered: its hash no longer matches the prev that entry " +
                          std::to_string(k) + " recorded");
  }
  if (checkpoint_) {
    const std::uint64_t n = checkpoint_->tree_size;
    if (size_ < n) {
      consider(size_, "the log ends after " + std::to_string(size_) +
                          " entries but the checkpoint covers " + std::to_string(n) +
                          ": entries from " + std::to_string(size_) + " on were removed");
    } else if (root_at_checkpoint_ && *root_at_checkpoint_ != checkpoint_->root) {
      consider(n - 1,
               "the first " + std::to_string(n) +
                   " entries do not hash to the checkpoint's root: the last entry it covers (" +
                   std::to_string(n - 1) +
                   ") was altered, or the log was rewritten from an earlier entry on");
    } else if (size_ > n) {
      consider(n, std::to_string(size_ - n) + " entries from " + std::to_string(n) +
                      " on are not covered by the signed checkpoint (size " + std::to_string(n) +
                      "): appended outside the log, or sign a newer checkpoint");
    }
  }
  return v;
}

}  // namespace passline
