// passline's application layer: a Store kept in memory, for tests and for HR systems that
// decide without a database (leveldb's NewMemEnv). It keeps the case, the decision and the log
// as values and follows the port's contract exactly: transaction() copies the state and puts it
// back when the work fails, so a failed use case leaves nothing behind.
// Thread-safety: one thread at a time, like every Store.
#pragma once

#include <memory>

#include "passline/app/store.h"

namespace passline::app {

/// A new, empty in-memory store.
std::unique_ptr<Store> make_memory_store();

}  // namespace passline::app
