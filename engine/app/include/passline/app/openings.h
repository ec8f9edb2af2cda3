// passline's application layer: the openings of passline-log/3 entries (the salted applicants'
// inputs their commitments bind), how long they are kept, and their erasure
// (docs/AUDIT_LOG.md §1 "Openings and retention").
//
// The law the retention follows: 채용절차의 공정화에 관한 법률 §11 and its decree §4 (the
// employer keeps application documents for a return-claim period it sets within 14 to 180 days
// after the hiring decision, then destroys them under 개인정보 보호법), and 개인정보 보호법 §21
// (destroy without delay once the retention period ends or the purpose is reached, so that it
// cannot be restored). Erasing an opening changes no log entry: every root, proof, checkpoint
// and receipt still verifies.
// Thread-safety: as the Store passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/app/store.h"
#include "passline/region.h"

namespace passline::app {

/// The default retention: the longest return-claim period the decree allows (채용절차법 시행령
/// §4: 14 to 180 days after the hiring decision).
inline constexpr int kDefaultRetentionDays = 180;
/// The shortest retention set_retention() accepts (the decree's lower bound).
inline constexpr int kMinRetentionDays = 14;

/// Where salts come from: 32 random bytes as 64 lower-case hex digits per call.
struct SaltSource {
  virtual ~SaltSource() = default;
  virtual std::string salt() const = 0;
};
/// OpenSSL's RAND_bytes (the operating system's CSPRNG); throws std::runtime_error if it fails.
const SaltSource& system_salts();

/// `date` plus `days` days.
Date add_days(const Date& date, int days);

/// The retention row of a decided passline-log/3 recruitment. `unknown_recruitment`;
/// `not_found` when it has none (decided as passline-log/1 or /2: its entries hold the inputs).
Result<Retention> retention(Store& store, std::string_view recruitment);

/// Sets how long a recruitment's openings are kept: `until` must lie from kMinRetentionDays to
/// kDefaultRetentionDays days after the day it was decided (`invalid_value` naming `until`
/// otherwise), and the openings must not be erased already (`erased`). Errors of retention().
Result<Retention> set_retention(Store& store, std::string_view recruitment, const Date& until);

/// One recruitment whose openings erase_openings() destroyed.
struct ErasedOpenings {
  std::string recruitment;
  std::string retain_until;
  std::uint64_t openings = 0;
};

/// Destroys, in one transaction, the openings of every recruitment whose retention ended before
/// `as_of` (retain_until < as_of) and that is not erased yet, and marks each erased at
/// `clock.now()`. Either every such recruitment is erased or, on any failure, none is and the
/// database is as it was. Returns them by recruitment id (empty when none was due).
Result<std::vector<ErasedOpenings>> erase_openings(Store& store, const Date& as_of,
                                                   const Clock& clock = system_clock());

/// The opening stored for log index `index`, or nullopt.
Result<std::optional<std::string>> read_opening(Store& store, std::uint64_t index);

}  // namespace passline::app
