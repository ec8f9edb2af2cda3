// The openings of passline-log/3 entries, their retention and erasure (openings.h).
#include "passline/app/openings.h"

#include <openssl/rand.h>

#include <chrono>
#include <stdexcept>

#include "passline/app/recruitments.h"

namespace passline::app {
namespace {

class SystemSalts final : public SaltSource {
 public:
  std::string salt() const override {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
      throw std::runtime_error("RAND_bytes failed: no salt for the applicants' openings");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
    return out;
  }
};

std::optional<Date> date_of(std::string_view text) { return Date::parse(text.substr(0, 10)); }

}  // namespace

const SaltSource& system_salts() {
  static const SystemSalts salts;
  return salts;
}

Date add_days(const Date& date, int days) {
  using namespace std::chrono;
  const sys_days d =
      sys_days(year_month_day(year(date.year), month(static_cast<unsigned>(date.month)),
                              day(static_cast<unsigned>(date.day)))) +
      std::chrono::days(days);
  const year_month_day ymd(d);
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Result<Retention> retention(Store& store, std::string_view recruitment_id) {
  auto info = recruitment(store, recruitment_id);
  if (!info) return info.error();
  auto r = store.read_retention(recruitment_id);
  if (!r) return r.error();
  if (!*r)
    return make_error("not_found", "recruitment.id",
                      "recruitment '" + info->id +
                          "' has no openings: it is not decided, or was logged as "
                          "passline-log/1 or /2 with its inputs in the entries");
  return std::move(**r);
}

Result<Retention> set_retention(Store& store, std::string_view recruitment_id, const Date& until) {
  Result<Retention> out = make_error("internal", "", "");
  Status done = store.transaction([&]() -> Status {
    auto r = retention(store, recruitment_id);
    if (!r) return r.error();
    if (r->erased_at)
      return make_error("erased", "recruitment.id",
                        "the openings of '" + r->recruitment + "' were erased at " + *r->erased_at +
                            ": there is nothing left to retain");
    auto decided = date_of(r->decided_on);
    if (!decided) return make_error("corrupt_row", "log_retention.decided_on", r->decided_on);
    const Date first = add_days(*decided, kMinRetentionDays);
    const Date last = add_days(*decided, kDefaultRetentionDays);
    if (until < first || until > last)
      return make_error("invalid_value", "until",
                        until.to_string() +
                            " is not within the return-claim period the law "
                            "allows (채용절차법 시행령 §4: 14 to 180 days after "
                            "the decision of " +
                            r->decided_on + "): give a date from " + first.to_string() + " to " +
                            last.to_string());
    r->retain_until = until.to_string();
    if (auto s = store.put_retention(*r); !s) return s;
    out = std::move(*r);
    return {};
  });
  if (!done) return std::move(done).error();
  return out;
}

Result<std::vector<ErasedOpenings>> erase_openings(Store& store, const Date& as_of,
                                                   const Clock& clock) {
  std::vector<ErasedOpenings> out;
  Status done = store.transaction([&]() -> Status {
    out.clear();
    auto all = store.retentions();
    if (!all) return all.error();
    const std::string now = clock.now();
    for (Retention& r : *all) {
      if (r.erased_at) continue;
      auto until = date_of(r.retain_until);
      if (!until) return make_error("corrupt_row", "log_retention.retain_until", r.retain_until);
      if (!(*until < as_of)) continue;
      auto n = store.delete_openings(r.recruitment);
      if (!n) return n.error();
      r.erased_at = now;
      if (auto s = store.put_retention(r); !s) return s;
      out.push_back({r.recruitment, r.retain_until, *n});
    }
    return {};
  });
  if (!done) return std::move(done).error();
  return out;
}

Result<std::optional<std::string>> read_opening(Store& store, std::uint64_t index) {
  std::optional<std::string> out;
  auto n = store.read_openings(index, index + 1,
                               [&](std::uint64_t, std::string_view o) { out = std::string(o); });
  if (!n) return n.error();
  return out;
}

}  // namespace passline::app
