// The Store pool (pool.h).
#include "pool.h"

namespace passline::http::detail {

Lease::~Lease() {
  if (pool_) pool_->give_back(std::move(store_));
}

StorePool::StorePool(std::string url, int size, std::chrono::milliseconds timeout)
    : url_(std::move(url)), size_(size < 1 ? 1 : size), timeout_(timeout) {}

Result<Lease> StorePool::lease() {
  {
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (idle_.empty() && open_ >= size_) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= size_)
        return make_error("pool_timeout", "",
                          "every database connection stayed busy for " +
                              std::to_string(timeout_.count()) + " ms: try again later");
    }
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(s));
    }
    ++open_;  // reserve a slot, open outside the lock
  }
  auto s = sql::Store::open(url_);
  if (!s) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
    return s.error();
  }
  return Lease(this, std::move(*s));
}

void StorePool::give_back(std::unique_ptr<sql::Store> s) {
  std::lock_guard lock(mu_);
  if (s)
    idle_.push_back(std::move(s));
  else
    --open_;  // discarded or moved-from
  cv_.notify_one();
}

int StorePool::open_connections() {
  std::lock_guard lock(mu_);
  return open_;
}

int StorePool::idle_connections() {
  std::lock_guard lock(mu_);
  return static_cast<int>(idle_.size());
}

}  // namespace passline::http::detail
