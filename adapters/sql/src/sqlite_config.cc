// Process-wide SQLite settings, made before the first connection opens. This file includes
// <sqlite3.h> on its own: next to soci-sqlite3.h it does not compile (CONVENTIONS.md), and the
// store opens sessions by backend name, so no other file needs either.
#include <sqlite3.h>

#include <mutex>

#include "detail/db.h"

namespace passline::sql::detail {

void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Every connection is used by one thread at a time (a Store is not thread-safe; the HTTP
    // service leases them from a pool), so SQLite's per-connection mutexes are not needed; and
    // its memory statistics take one global mutex on every allocation, which under many request
    // threads is most of the time spent. Both fail harmlessly (SQLITE_MISUSE) if SQLite was
    // already initialised by someone else in the process.
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

}  // namespace passline::sql::detail
