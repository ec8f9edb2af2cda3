// Appending a decision to the tamper-evident log (docs/AUDIT_LOG.md).
#include "passline/app/decision_log.h"

namespace passline::app {

Result<LogTail> append_decision(const LogTail& tail, const Case& c, const Decision& d,
                                LogContext ctx, const LogRowSink& sink) {
  auto restored = CompactRange::restore(tail.size, tail.compact_range);
  if (!restored)
    return make_error("corrupt_row", "log_head.compact_range", restored.error().message);
  CompactRange tree = std::move(*restored);
  ctx.log_index = tail.size;
  ctx.prev = tail.prev;
  std::string prev = tail.prev;
  // Entries come in case order: the header, then each unit's applicants.
  std::size_t unit = 0, applicant = 0, k = 0;
  bool header = true;
  std::uint64_t index = tail.size;
  log_entries(c, d, ctx, [&](std::string&& entry) {
    LogRow row;
    row.index = index++;
    row.recruitment = c.recruitment.id;
    if (header) {
      header = false;
    } else {
      while (applicant >= c.units[unit].applicants.size()) {
        ++unit;
        applicant = 0;
      }
      row.unit = std::string_view(c.units[unit].id);
      row.applicant = std::string_view(c.units[unit].applicants[applicant].id);
      if (ctx.salts) row.opening = log_opening(c, unit, applicant, (*ctx.salts)[k]);
      ++applicant;
      ++k;
    }
    row.leaf = leaf_hash(entry);
    tree.append(row.leaf);
    row.entry = std::move(entry);
    row.leaf_hex = to_hex(row.leaf);
    prev = row.leaf_hex;
    sink(std::move(row));
  });
  LogTail out;
  out.size = tree.size();
  out.prev = std::move(prev);
  out.compact_range = tree.hashes();
  out.root = tree.root();
  return out;
}

}  // namespace passline::app
