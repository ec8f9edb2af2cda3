// passline: the entries of the tamper-evident decision log and their replay (SPEC.md §7,
// docs/AUDIT_LOG.md).
//
// Each decided case yields one header entry (type `recruitment`) and one entry per applicant
// (type `applicant`), every entry RFC 8785 canonical JSON (canonical_json.h), the leaves of the
// log's Merkle tree (merkle.h). Entries hold ids, education records, scores, attributes and
// outcomes as the case gives them: never a name or other personal data (a case has none).
// Decimals are strings in decimal.h's canonical text, never JSON numbers.
//
// Thread-safety: pure functions; replay() only reads the registry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline {

/// The log format written in every header.
inline constexpr std::string_view kLogFormat = "passline-log/1";
/// The header format of a quota-case/2 recruitment: its `input` is the case without applicants
/// (SPEC §6), its `programs` the programs in force with their source and pack digest.
inline constexpr std::string_view kLogFormatV2 = "passline-log/2";

/// What the log records besides the case and its decision.
struct LogContext {
  std::string decided_at;                 ///< RFC 3339 UTC, from the adapter's clock
  std::optional<std::string> supersedes;  ///< the recruitment record this one replaces, if any
  /// The log position of the header: every entry carries its own `log_index` and, as `prev`,
  /// the hex leaf hash (merkle.h) of the entry before it (64 zeros for entry 0). The chain lets
  /// a verifier name the first altered, dropped, reordered or duplicated entry without any
  /// other reference (docs/AUDIT_LOG.md).
  std::uint64_t log_index = 0;
  std::string prev = std::string(64, '0');
  /// The engine version the header records; empty = this engine's. replay() passes the logged
  /// one, so a newer engine that decides the same way reproduces the log bit for bit.
  std::string engine_version;
  friend bool operator==(const LogContext&, const LogContext&) = default;
};

/// "pass_rank", "pass_tie", "pass_additional", "fail_disqualified", "fail_below_cut",
/// "not_reached".
std::string_view to_string(Outcome o) noexcept;

/// The log entries of case `c` decided as `d`: first the header, then one entry per applicant,
/// units in case order and applicants in case order, each RFC 8785 canonical JSON (schema in
/// docs/AUDIT_LOG.md). The header's `input_digest` is sha256_hex(case_to_json(c)). The same
/// arguments always give the same bytes.
/// Precondition: `d` was decided from `c` (decide()); std::invalid_argument otherwise, or when
/// a text field is not valid UTF-8.
std::vector<std::string> log_entries(const Case& c, const Decision& d, const LogContext& ctx);

/// Receives log entries one by one, in log order.
using LogEntrySink = std::function<void(std::string&& entry)>;
/// The same entries passed to `sink` as they are made, so a large case needs no second copy.
/// Exceptions thrown by the sink propagate.
void log_entries(const Case& c, const Decision& d, const LogContext& ctx, const LogEntrySink& sink);

/// One recruitment read back from a log: what replay() needs to decide it again.
struct LoggedRecruitment {
  std::size_t header_index = 0;  ///< absolute log index of the header entry
  Case input;                    ///< the case rebuilt from the entries
  LogContext context;            ///< the logged decided_at and supersedes
  /// quota-case/1: per program of input.programs, the logged pack digest, empty for an inline
  /// program. quota-case/2: the digest of every pack-sourced program in force, in order.
  std::vector<std::string> pack_digests;
  std::string engine_version;        ///< as logged
  std::vector<std::string> entries;  ///< its own entries, header first
};

/// Splits consecutive log entries (the first at absolute index `first_index`) into
/// recruitments and rebuilds each case. Every entry must be canonical JSON; a header is
/// followed by exactly the number of applicant entries its units announce, each naming the
/// header's recruitment and the unit in order. Errors carry the absolute index in `path`, e.g.
/// `entry 17: applicant.scores[1]`: `not_canonical`, `bad_log_entry` (wrong type or shape),
/// `truncated_log` (fewer applicant entries than announced), `unsupported_format`, or the
/// case codes of SPEC §6 (bad_decimal, unknown_region, ...) from rebuilding the case.
Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index = 0);
/// The same, moving each entry into its LoggedRecruitment instead of copying it (a large log
/// is then held once); `entries` is left empty, also on error.
Result<std::vector<LoggedRecruitment>> read_log_entries(std::vector<std::string>&& entries,
                                                        std::size_t first_index = 0);

/// The outcome of replaying one recruitment.
struct ReplayResult {
  /// Set when the recruitment could not be decided again: `unknown_rule_digest` (path
  /// `entry H: header.programs[p].pack_digest`) when `rules` has no pack with a logged digest
  /// or its id differs; otherwise decide()'s error with its path prefixed by `entry H: `.
  std::optional<Error> error;
  /// The absolute index of the first logged entry that differs byte for byte from the entry
  /// regenerated by deciding again; nullopt when all agree. Any change to a logged input moves
  /// the header's input_digest, so an altered input is reported at the header; an altered
  /// output alone (an outcome, a total) is reported at its own entry.
  std::optional<std::size_t> first_difference;
  /// Every differing absolute index, ascending (includes first_difference). An altered input
  /// changes the header, and through the prev chain every regenerated entry after it.
  std::vector<std::size_t> differing;

  bool ok() const noexcept { return !error && !first_difference; }
};

/// The rules a logged recruitment is decided again with: the pack versions of `rules` whose
/// digests the log names (never the versions in force by date; quota-case/2: the law binds again
/// from the logged facts among them), and `rules`' region calendar. Error `unknown_rule_digest`
/// (path `entry H: header.programs…`) when `rules` has no pack with a logged digest (for
/// quota-case/1: or its id differs), or names two versions of one pack.
Result<RuleRegistry> logged_rules(const LoggedRecruitment& r, const RuleRegistry& rules);

/// Decides `r.input` again under logged_rules(), regenerates log_entries() with the logged
/// context, and compares them with the logged entries.
ReplayResult replay(const LoggedRecruitment& r, const RuleRegistry& rules);

}  // namespace passline
