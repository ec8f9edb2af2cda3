// passline: the closed vocabulary of error codes.
//
// PASSLINE_ERROR_CODES is the one table of every code an Error may carry: its text, HTTP status,
// CLI exit code, whether its message is a complete sentence printed as is by the CLI (errors of the
// command line and the environment, not of the input), and its meaning (one sentence, printed
// when an error arrives without a message, and listed in docs/ERRORS.md). An ErrorCode is built
// from a string literal by a consteval constructor that checks the table, so a misspelt code does
// not compile; text read at run time goes through ErrorCode::parse. Thread-safety: plain values.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

// X(code, http status, exit code, complete sentence, meaning)
#define PASSLINE_ERROR_CODES(X)                                                                    \
  /* case files (SPEC §6) */                                                                      \
  X(unsupported_format, 422, 2, false, "the document's format is not one this version reads")      \
  X(missing_field, 422, 2, false, "a required field is missing")                                   \
  X(unknown_key, 422, 2, false, "the object has a key this format does not define")                \
  X(wrong_type, 422, 2, false, "the value has the wrong JSON type")                                \
  X(invalid_value, 422, 2, false, "invalid value")                                                 \
  X(bad_date, 422, 2, false, "not a date: write YYYY-MM-DD")                                       \
  X(bad_ratio, 422, 2, false, "the ratio is over 1 (or 1 with scope agency_year)")                 \
  X(bad_id, 422, 2, false,                                                                         \
    "not an id: use 1 to 64 characters, no control character nor any of / ? # %")                  \
  X(bad_decimal, 422, 2, false,                                                                    \
    "not a decimal: write a string of digits with an optional point and at most 6 fraction "       \
    "digits (\"80.5\"), with no sign, exponent or spaces")                                         \
  X(unknown_region, 422, 2, false,                                                                 \
    "not a region code: use one of seoul busan daegu incheon gwangju daejeon ulsan sejong "        \
    "gyeonggi gangwon chungbuk chungnam jeonbuk jeonnam gyeongbuk gyeongnam jeju")                 \
  X(unknown_stage, 422, 2, false, "the unit has no stage of this name")                            \
  X(unknown_program, 422, 2, false, "no rule pack has this program id")                            \
  X(planned_mismatch, 422, 2, false, "the last stage's planned must equal the unit's")             \
  X(duplicate_unit, 422, 2, false, "this unit id is used twice in the case; ids must be unique")   \
  X(duplicate_stage, 422, 2, false, "this stage name is used twice in the unit")                   \
  X(duplicate_program, 422, 2, false, "this program is named twice in the case")                   \
  X(duplicate_applicant, 422, 2, false,                                                            \
    "this applicant id is used twice in the unit; ids must be unique")                             \
  X(bad_csv, 422, 2, false, "the CSV file does not have the expected rows and columns")            \
  /* the rules and the decision (SPEC §3, §5) */                                                 \
  X(exemption_not_supported, 422, 2, false,                                                        \
    "the case's data does not support this exemption claim")                                       \
  X(exemption_not_recognized, 422, 2, false, "the program does not recognise this exemption")      \
  X(no_rule_in_force, 422, 2, false,                                                               \
    "no version of this program is in force on the announcement date for the agency's cohort")     \
  X(agency_not_covered, 422, 2, false, "the agency's facts put it outside this program's law")     \
  X(program_assigned_by_law, 422, 2, false,                                                        \
    "the law binds this program by the agency's facts; the case may not name or redefine it")      \
  X(threshold_missing, 422, 2, false,                                                              \
    "this stage needs additional passes but has no threshold: give min_score or below_cut")        \
  X(unknown_applicant, 404, 2, false, "no unit of the case has this applicant")                    \
  X(bad_rule_pack, 422, 2, false, "the rule pack file is not valid")                               \
  X(unknown_pack, 404, 2, true, "no rule pack has this id")                                        \
  X(no_rule_packs, 422, 2, true, "the directory holds no rule pack files")                         \
  /* JSON, the audit log, receipts and checkpoints */                                              \
  X(malformed_json, 400, 2, false, "the file is not well-formed JSON")                             \
  X(unsupported_number, 422, 2, false, "the number is not an integer within ±2^53")                \
  X(duplicate_member, 422, 2, false, "a member name occurs twice in one JSON object")              \
  X(not_canonical, 422, 2, false, "the log entry is not in RFC 8785 canonical form")               \
  X(bad_log_entry, 422, 2, false, "the log entry does not have the expected fields")               \
  X(truncated_log, 422, 2, false, "the log ends before every entry its header announces")          \
  X(unknown_rule_digest, 422, 2, false, "no stored rule pack has this content digest")             \
  X(wrong_recruitment, 422, 2, false, "the entry belongs to another recruitment or unit")          \
  X(bad_outcome, 422, 2, false,                                                                    \
    "the applicant's logged outcome is not one its recruitment's header allows")                   \
  X(replay_differs, 409, 1, false,                                                                 \
    "deciding the logged case again does not reproduce its logged entries")                        \
  X(bad_receipt, 422, 2, false, "the receipt does not have the expected fields")                   \
  X(receipt_mismatch, 422, 2, false, "the receipt does not match the checkpoint")                  \
  X(key_mismatch, 422, 2, false, "the receipt names another key than the pinned one")              \
  X(bad_inclusion_proof, 422, 2, false,                                                            \
    "the inclusion proof does not lead to the checkpoint's root")                                  \
  X(bad_compact_range, 422, 2, false, "the compact range has the wrong number of hashes")          \
  X(bad_opening, 422, 2, false, "the opening does not match the commitment its log entry holds")   \
  X(erased, 410, 2, false,                                                                         \
    "the applicant's personal inputs were erased at the end of their retention period")            \
  X(bad_checkpoint, 422, 2, false, "the checkpoint text is not valid")                             \
  X(no_checkpoint, 409, 2, false, "no signed checkpoint covers the log yet")                       \
  X(malformed_note, 422, 2, false, "not a signed note")                                            \
  X(bad_signature, 422, 2, false, "the note carries no valid signature by the key")                \
  X(bad_verifier_key, 422, 2, false, "not a verifier key: write name+hash+base64 key")             \
  X(bad_private_key, 422, 2, false, "not an Ed25519 private key in PKCS#8 PEM form")               \
  X(bad_key_name, 422, 2, false, "not a key name: no '+', spaces or control characters")           \
  X(crypto_failure, 422, 2, false, "OpenSSL failed")                                               \
  X(key_exists, 422, 64, true, "the key file exists already; a log key is never replaced")         \
  X(bad_tile_path, 400, 2, false,                                                                  \
    "not a C2SP tlog-tiles path: tile/L/N[.p/W] or tile/entries/N[.p/W], N in 3-digit groups")     \
  X(bad_tile, 422, 1, false, "a tile or entry bundle does not match the log's signed checkpoint")  \
  X(entry_too_large, 422, 2, false,                                                                \
    "a log entry is longer than the 65535 bytes an entry bundle can hold")                         \
  X(inconsistent_log, 409, 1, false,                                                               \
    "the log's new checkpoint is not an append-only extension of the one seen before")             \
  X(fetch_failed, 503, 69, true, "the log could not be fetched from its URL")                      \
  X(witness_quorum, 422, 1, false,                                                                 \
    "fewer of the required witnesses cosigned the checkpoint than the threshold asks")             \
  X(witness_failed, 503, 69, true, "a witness could not be reached or refused the checkpoint")     \
  /* stored state */                                                                               \
  X(already_decided, 409, 3, false, "the recruitment is decided already")                          \
  X(superseded, 409, 3, false, "the recruitment is superseded by a correction")                    \
  X(duplicate_recruitment, 409, 3, false, "a recruitment with this id is stored already")          \
  X(not_decided, 409, 2, false, "the recruitment is not decided: it has no log entries")           \
  X(unknown_recruitment, 404, 2, false, "no recruitment with this id is stored")                   \
  X(unknown_agency, 404, 2, false,                                                                 \
    "no agency with this code is stored (for a quota-case/2 case: registered)")                    \
  X(agency_mismatch, 422, 2, false,                                                                \
    "the agency's facts differ from those stored for its code (the registry's)")                   \
  X(bad_supersedes, 422, 2, false, "the recruitment to supersede is not stored or not alike")      \
  X(corrupt_row, 422, 2, false, "a stored value is not valid")                                     \
  X(storage, 503, 69, true, "the database failed")                                                 \
  X(schema_missing, 503, 78, true, "the database has no passline schema: run passline db init")    \
  X(schema_outdated, 503, 78, true, "the database schema is older than this passline: migrate it") \
  X(schema_too_new, 503, 78, true, "the database schema is newer than this passline")              \
  X(bad_db_url, 422, 2, true, "not a database URL")                                                \
  /* HTTP */                                                                                       \
  X(bad_query, 400, 2, false, "an unknown, repeated or bad query parameter")                       \
  X(bad_request, 400, 2, false, "the request could not be read")                                   \
  X(unauthorized, 401, 2, false, "this endpoint needs a token: Authorization: Bearer <token>")     \
  X(invalid_token, 401, 2, false, "the token is not valid")                                        \
  X(forbidden, 403, 2, false, "the token's role may not do this")                                  \
  X(not_found, 404, 2, false, "no such resource")                                                  \
  X(unknown_token, 404, 2, false, "no token with this id exists")                                  \
  X(method_not_allowed, 405, 2, false, "the resource does not allow this method")                  \
  X(body_too_large, 413, 2, false, "the request body is larger than this server accepts")          \
  X(uri_too_long, 414, 2, false, "the request target is longer than this server accepts")          \
  X(unsupported_media_type, 415, 2, false, "the body is not sent with the expected Content-Type")  \
  X(idempotency_key_reused, 422, 2, false,                                                         \
    "the Idempotency-Key was first used with another request")                                     \
  X(pool_timeout, 503, 2, false, "every database connection stayed busy")                          \
  X(shutting_down, 503, 2, false, "the server is stopping")                                        \
  X(request_timeout, 408, 2, false, "the request did not arrive in time")                          \
  X(header_too_large, 431, 2, false,                                                               \
    "the request head, or one of its fields, is larger than this server accepts")                  \
  X(too_many_connections, 503, 2, false, "too many connections are open: try again later")         \
  X(bad_config, 422, 2, false, "the server configuration is not valid")                            \
  X(bind_failed, 422, 2, false, "the server cannot listen on the address")                         \
  /* the command line */                                                                           \
  X(usage, 422, 64, true, "the command line is not valid")                                         \
  X(unreadable_file, 422, 2, true, "the file cannot be read")                                      \
  X(unreadable_dir, 422, 2, true, "the directory cannot be read or holds no case files")           \
  X(write_failed, 422, 74, true, "the file cannot be written")                                     \
  X(not_conforming, 422, 1, false, "a produced decision differs from its expected file")           \
  X(internal, 500, 70, true, "internal error")

namespace passline {

/// One row of PASSLINE_ERROR_CODES.
struct ErrorCodeInfo {
  std::string_view name;
  int http_status;
  int exit_code;
  bool complete_sentence;  ///< the message is printed as is (no "path: code:" prefix)
  std::string_view meaning;
};

inline constexpr ErrorCodeInfo kErrorCodes[] = {
#define PASSLINE_ERROR_CODE_ROW(code, status, exit, sentence, meaning) \
  {#code, status, exit, sentence, meaning},
    PASSLINE_ERROR_CODES(PASSLINE_ERROR_CODE_ROW)
#undef PASSLINE_ERROR_CODE_ROW
};

/// A code of kErrorCodes. `ErrorCode("bad_decimal")` checks the table at compile time;
/// text known only at run time goes through parse().
class ErrorCode {
 public:
  template <std::size_t N>
  consteval ErrorCode(const char (&text)[N])
      : index_(lookup(std::string_view(text, N - 1))) {}  // NOLINT: implicit by design

  static constexpr std::optional<ErrorCode> parse(std::string_view text) noexcept {
    for (std::size_t i = 0; i < std::size(kErrorCodes); ++i)
      if (kErrorCodes[i].name == text) return ErrorCode(static_cast<std::uint16_t>(i));
    return std::nullopt;
  }

  constexpr const ErrorCodeInfo& info() const noexcept { return kErrorCodes[index_]; }
  constexpr std::string_view name() const noexcept { return info().name; }
  /// The name as a NUL-terminated string (the table's literal).
  constexpr const char* c_str() const noexcept { return info().name.data(); }
  constexpr int http_status() const noexcept { return info().http_status; }
  constexpr int exit_code() const noexcept { return info().exit_code; }
  constexpr bool complete_sentence() const noexcept { return info().complete_sentence; }
  constexpr std::string_view meaning() const noexcept { return info().meaning; }

  constexpr bool operator==(const ErrorCode&) const noexcept = default;
  // Text compares by name; a template so that a literal does not also convert to ErrorCode.
  template <class S>
  requires std::convertible_to<const S&, std::string_view> &&
      (!std::same_as<S, ErrorCode>)friend constexpr bool
      operator==(const ErrorCode& c, const S& text) noexcept {
    return c.name() == std::string_view(text);
  }

  friend std::string operator+(std::string lhs, const ErrorCode& c) { return lhs.append(c.name()); }
  friend std::string operator+(const ErrorCode& c, std::string_view rhs) {
    return std::string(c.name()).append(rhs);
  }
  friend std::ostream& operator<<(std::ostream& os, const ErrorCode& c) { return os << c.name(); }

 private:
  constexpr explicit ErrorCode(std::uint16_t index) noexcept : index_(index) {}

  static consteval std::uint16_t lookup(std::string_view text) {
    for (std::size_t i = 0; i < std::size(kErrorCodes); ++i)
      if (kErrorCodes[i].name == text) return static_cast<std::uint16_t>(i);
    throw "unknown error code: add it to PASSLINE_ERROR_CODES in passline/error_code.h";
  }

  std::uint16_t index_;
};

}  // namespace passline
