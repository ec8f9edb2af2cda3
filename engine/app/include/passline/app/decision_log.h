// passline's application layer: appending a decision to the tamper-evident log.
// Thread-safety: pure function on values (the sink may do I/O).
#pragma once

#include "passline/app/store.h"
#include "passline/log.h"

namespace passline::app {

/// Emits the log entries of `c` decided as `d` (log.h's log_entries) as rows numbered from
/// `tail`, each with its leaf hash and the unit and applicant it is about, and returns the tail
/// after them (size, last leaf hash, compact range and root). With `ctx.salts` (passline-log/3)
/// each applicant row also carries its opening. `ctx.log_index` and `ctx.prev` are
/// taken from `tail`. Error `corrupt_row` when the tail's compact range does not fit its size.
Result<LogTail> append_decision(const LogTail& tail, const Case& c, const Decision& d,
                                LogContext ctx, const LogRowSink& sink);

}  // namespace passline::app
