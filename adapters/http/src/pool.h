// A pool of Store connections for the request threads: a Store is one SOCI session and not
// thread-safe, so each request leases one for its duration. Never waits forever (CONVENTIONS:
// soci::session(pool) blocks without limit): a lease that does not come within the timeout is
// error `pool_timeout` (HTTP 503). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "passline/result.h"
#include "passline/sql/store.h"

namespace passline::http::detail {

class StorePool;

/// One leased Store, returned to the pool when the lease ends. A lease whose Store saw a
/// `storage` error may be discarded instead (discard()), so a broken connection is reopened.
class Lease {
 public:
  Lease(StorePool* pool, std::unique_ptr<sql::Store> store)
      : pool_(pool), store_(std::move(store)) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), store_(std::move(o.store_)) { o.pool_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  sql::Store& operator*() { return *store_; }
  sql::Store* operator->() { return store_.get(); }
  /// Closes the connection instead of returning it.
  void discard() { store_.reset(); }

 private:
  StorePool* pool_;
  std::unique_ptr<sql::Store> store_;
};

class StorePool {
 public:
  /// A pool of at most `size` Stores on `url`, opened on demand.
  StorePool(std::string url, int size, std::chrono::milliseconds timeout);

  /// A Store within the timeout: an idle one, or a new one while fewer than `size` are open.
  /// Errors: `pool_timeout` when all are busy for the whole timeout; Store::open()'s errors.
  Result<Lease> lease();

  int size() const { return size_; }
  int open_connections();
  int idle_connections();

 private:
  friend class Lease;
  void give_back(std::unique_ptr<sql::Store> s);

  std::string url_;
  int size_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<sql::Store>> idle_;
  int open_ = 0;  // idle + leased + being opened
};

}  // namespace passline::http::detail
