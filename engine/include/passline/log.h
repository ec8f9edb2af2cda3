// passline: the entries of the tamper-evident decision log and their replay (SPEC.md §7,
// docs/AUDIT_LOG.md).
//
// Each decided case yields one header entry (type `recruitment`) and one entry per applicant
// (type `applicant`), every entry RFC 8785 canonical JSON (canonical_json.h), the leaves of the
// log's Merkle tree (merkle.h). passline-log/1 and /2 entries hold ids, education records,
// scores, attributes and outcomes as the case gives them (never a name: a case has none);
// passline-log/3 entries hold the outcomes and, for the applicant's id and inputs, a salted
// commitment to their opening, which is kept beside the log and can be erased.
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
/// The header format whose applicant entries hold, instead of the applicant's id and personal
/// inputs (education, scores, disqualifications, attributes), a salted commitment to them; the
/// inputs and the salt (the *opening*) are kept beside the log and can be erased (issue 13,
/// docs/AUDIT_LOG.md §1). Its header is the passline-log/1 header (quota-case/1) or the
/// passline-log/2 header (quota-case/2, it has `input`) without `input_digest`.
inline constexpr std::string_view kLogFormatV3 = "passline-log/3";
/// The domain separator of a commitment: commitment = SHA-256(scheme || 0x00 || opening).
inline constexpr std::string_view kCommitmentScheme = "passline-commitment/1";

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
  /// Set: write passline-log/3, the applicant entries committing to their openings, with
  /// salts[k] (64 lower-case hex digits, 32 random bytes) the salt of the k-th applicant in log
  /// order (units in case order, applicants in case order). Unset: passline-log/1 or /2.
  std::optional<std::vector<std::string>> salts;
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

/// The opening of applicant `a` of unit `u` (passline-log/3): the RFC 8785 canonical JSON
/// {"inputs": {"applicant", "attributes", "disqualified", "education", "scores"}, "salt"}, the
/// inputs in the form a passline-log/1 or /2 applicant entry gives them. Precondition: `salt` is
/// 64 lower-case hex digits (std::invalid_argument otherwise).
std::string log_opening(const Case& c, std::size_t u, std::size_t a, std::string_view salt);
/// The commitment to `opening`: lower-case hex SHA-256("passline-commitment/1" || 0x00 ||
/// opening), the opening's canonical bytes as given.
std::string opening_commitment(std::string_view opening);
/// True when `salt` is 64 lower-case hex digits.
bool is_salt(std::string_view salt) noexcept;

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
  /// passline-log/3 only: the opening of some applicant entry was not given (erased, or not
  /// exported). `input` then holds the recruitment id only and the case cannot be decided again.
  bool erased = false;
};

/// The opening stored for the applicant entry at absolute log index `index`, or nullopt (erased).
using OpeningSource = std::function<std::optional<std::string>(std::uint64_t index)>;

/// Splits consecutive log entries (the first at absolute index `first_index`) into
/// recruitments and rebuilds each case. Every entry must be canonical JSON; a header is
/// followed by exactly the number of applicant entries its units announce, each naming the
/// header's recruitment and the unit in order. Errors carry the absolute index in `path`, e.g.
/// `entry 17: applicant.scores[1]`: `not_canonical`, `bad_log_entry` (wrong type or shape),
/// `truncated_log` (fewer applicant entries than announced), `unsupported_format`, or the
/// case codes of SPEC §6 (bad_decimal, unknown_region, ...) from rebuilding the case.
Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index = 0);
/// The same, with the openings of passline-log/3 entries from `openings`: each applicant's
/// inputs come from its opening (its salt goes to context.salts); a recruitment with any opening
/// missing is returned with `erased` set. An opening that is not canonical JSON of the form of
/// log_opening() is `bad_opening` at its entry; one that does not match its commitment is read
/// as it is (replay() then reports the entry as differing).
Result<std::vector<LoggedRecruitment>> read_log_entries(const std::vector<std::string>& entries,
                                                        std::size_t first_index,
                                                        const OpeningSource& openings);
/// The same, moving each entry into its LoggedRecruitment instead of copying it (a large log
/// is then held once); `entries` is left empty, also on error.
Result<std::vector<LoggedRecruitment>> read_log_entries(std::vector<std::string>&& entries,
                                                        std::size_t first_index = 0,
                                                        const OpeningSource& openings = {});

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
  /// The recruitment's openings are erased: it was not decided again (not an error, not a
  /// difference).
  bool erased = false;

  bool ok() const noexcept { return !error && !first_difference; }
};

/// The rules a logged recruitment is decided again with: the pack versions of `rules` whose
/// digests the log names (never the versions in force by date; quota-case/2: the law binds again
/// from the logged facts among them), and `rules`' region calendar. Error `unknown_rule_digest`
/// (path `entry H: header.programs…`) when `rules` has no pack with a logged digest (for
/// quota-case/1: or its id differs), or names two versions of one pack.
Result<RuleRegistry> logged_rules(const LoggedRecruitment& r, const RuleRegistry& rules);

/// Decides `r.input` again under logged_rules(), regenerates log_entries() with the logged
/// context, and compares them with the logged entries. An erased recruitment (r.erased) is not
/// decided: the result has `erased` set and nothing else.
ReplayResult replay(const LoggedRecruitment& r, const RuleRegistry& rules);

}  // namespace passline
