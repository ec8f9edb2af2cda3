// The one way into a Store's connection from outside store.cc (a friend of Store): the
// adapters' own tables (access.cc: tokens; witness.cc: cosignatures). Not part of the API.
#pragma once

#include "detail/db.h"
#include "passline/sql/store.h"

namespace passline::sql {

struct StoreAccess {
  static detail::Db& db(Store& s);
};

}  // namespace passline::sql
