// Internals: appending a decided recruitment to the decision log.
#pragma once

#include "detail/db.h"
#include "detail/rows.h"
#include "passline/log.h"

namespace passline::sql::detail {

/// Appends the log entries of `c` decided as `d` after the current head, and moves the head
/// (size, last leaf hash, compact range, root). Runs inside the caller's write transaction;
/// on PostgreSQL it locks the head row until that transaction ends. Throws on database errors.
void append_log(Db& db, const Case& c, const Decision& d, LogContext ctx);

}  // namespace passline::sql::detail
