// passline: witnesses of the decision log (docs/AUDIT_LOG.md §8): C2SP tlog-cosignature/v1
// cosignatures (https://c2sp.org/tlog-cosignature), the request body of C2SP tlog-witness's
// `add-checkpoint` (https://c2sp.org/tlog-witness), what a witness answers to one, and the check
// a verifier makes: N of M named witnesses cosigned a checkpoint.
//
// Formats:
//  - A witness key is an Ed25519 key; its verifier key is a note vkey with signature type 0x04:
//    `<name>+<8 hex digits key ID>+<base64(0x04 || 32-byte public key)>`, the key ID being the
//    first 4 bytes of SHA-256(name || "\n" || 0x04 || public key).
//  - A cosignature is a note signature line `— <name> base64(key ID || timestamp || signature)`,
//    the timestamp 8 bytes big-endian (POSIX seconds, below 2^63), the Ed25519 signature over
//    `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint's note body (every line up
//    to the blank line, the last newline included).
//  - An add-checkpoint body is `old <size>\n`, up to 63 lines of base64 consistency proof hashes
//    (RFC 6962 §2.1.2), an empty line, then the signed checkpoint note.
// Keys travel as PKCS#8 PEM text; nothing here reads or writes files, or the clock.
//
// Thread-safety: pure functions (OpenSSL 3 is thread-safe for these calls).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/result.h"

namespace passline {

/// The signature type byte of Ed25519 cosignature/v1 keys (C2SP signed-note).
inline constexpr unsigned char kCosignatureAlgorithm = 0x04;
/// At most this many consistency proof lines in an add-checkpoint body (C2SP tlog-witness).
inline constexpr std::size_t kMaxProofLines = 63;
/// Timestamps are below 2^63 (C2SP tlog-cosignature).
inline constexpr std::uint64_t kMaxCosignatureTime = (std::uint64_t{1} << 63) - 1;

/// A fresh witness key named `name` (KeyPair::verifier_key is its type-0x04 vkey). Errors
/// `bad_key_name`, `crypto_failure`.
Result<KeyPair> generate_witness_key(std::string name);

/// The type-0x04 verifier key of `private_pem` under `name`. Errors `bad_key_name`,
/// `bad_private_key`.
Result<std::string> witness_verifier_key_of(std::string_view private_pem, std::string_view name);

/// A parsed type-0x04 verifier key.
struct WitnessKey {
  std::string name;
  std::uint32_t key_id = 0;
  std::string public_key;  ///< 32 bytes
  std::string text;        ///< the vkey as given
};

/// Parses a witness verifier key. Error `bad_verifier_key` naming what is wrong (not three
/// '+'-separated parts, a bad name, not type 0x04 and 32 bytes, a key ID that does not match).
Result<WitnessKey> parse_witness_key(std::string_view vkey);

/// The message a cosignature/v1 signs: `cosignature/v1\ntime <timestamp>\n` + `body`.
std::string cosignature_message(std::string_view body, std::uint64_t timestamp);

/// The note body of a signed note (the text before the blank line, its last newline included)
/// and its signature lines (each without its newline). Error `malformed_note` as verify_note.
struct NoteParts {
  std::string body;
  std::vector<std::string> signatures;
};
Result<NoteParts> split_note(std::string_view note);

/// `note` with the signature lines `lines` added after its own, each once (a line already in
/// the note is not repeated). Error `malformed_note` when the note or a line is not well formed.
Result<std::string> add_signatures(std::string_view note, std::span<const std::string> lines);

/// The cosignature line (`— name base64(...)\n`, newline included) of the checkpoint whose signed
/// note is `note`, made at `timestamp` with `private_pem` under `name`. Errors `malformed_note`,
/// `bad_key_name`, `bad_private_key`, `invalid_value` (timestamp ≥ 2^63), `crypto_failure`.
Result<std::string> cosign(std::string_view note, std::uint64_t timestamp,
                           std::string_view private_pem, std::string_view name);

/// One verified cosignature.
struct Cosignature {
  std::string witness;       ///< the witness's name
  std::string verifier_key;  ///< its vkey
  std::uint64_t timestamp = 0;
  std::string line;  ///< the signature line, without its newline
};

/// The cosignature by `witness` on `note`: the signature line with the witness's name and key ID
/// (other lines are ignored) whose signature verifies over cosignature_message(). Errors
/// `bad_verifier_key`; `malformed_note`; `bad_signature` (no line of that name and key ID, or
/// one that does not verify: the checkpoint or the line was altered).
Result<Cosignature> verify_cosignature(std::string_view note, const WitnessKey& witness);

/// The valid cosignatures on `note` by the witnesses `witnesses` (each counted once), which must
/// number at least `threshold`. Error `witness_quorum` naming how many of which witnesses
/// cosigned and, for each one missing, why; `malformed_note`. Call after verify_checkpoint():
/// this checks the witnesses, not the log's own signature.
Result<std::vector<Cosignature>> verify_witness_quorum(std::string_view note,
                                                       std::span<const WitnessKey> witnesses,
                                                       std::size_t threshold);

/// The body of a tlog-witness add-checkpoint request.
struct AddCheckpointRequest {
  std::uint64_t old_size = 0;
  std::vector<Hash> proof;  ///< the RFC 6962 consistency proof from old_size to the new size
  std::string checkpoint;   ///< the signed checkpoint note, signatures included
  friend bool operator==(const AddCheckpointRequest&, const AddCheckpointRequest&) = default;
};

/// `old <size>\n`, the proof lines, `\n`, the checkpoint.
std::string add_checkpoint_body(const AddCheckpointRequest& r);

/// Parses an add-checkpoint body. Error `bad_request` naming the line and what is wrong: no
/// `old` line or one with a size that is not canonical decimal, a proof line that is not base64
/// of 32 bytes, more than 63 proof lines, no empty line before the checkpoint, an empty
/// checkpoint.
Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body);

/// The origin line of a note (its first line), unverified: which log keys to try.
std::string_view note_origin(std::string_view note);

/// What a witness last cosigned for one origin.
struct WitnessedCheckpoint {
  std::uint64_t size = 0;
  Hash root{};
  std::string note;  ///< the checkpoint as submitted
  friend bool operator==(const WitnessedCheckpoint&, const WitnessedCheckpoint&) = default;
};

/// A witness's answer to an add-checkpoint request, by C2SP tlog-witness: 200 cosign; 400 a
/// malformed request or old size above the checkpoint's; 403 no signature by a trusted key of
/// the origin; 404 unknown origin; 409 `old` is not the size last cosigned (body: that size and
/// a newline, Content-Type text/x.tlog.size) or the same size with another root; 422 the
/// consistency proof does not verify.
struct WitnessVerdict {
  int status = 200;
  std::string message;                            ///< why, for the body and the witness's log
  std::optional<std::uint64_t> conflict_size;     ///< 409 on `old`: the size last cosigned
  std::optional<WitnessedCheckpoint> checkpoint;  ///< 200: the new state to persist
};

/// Decides an add-checkpoint request against `log_keys`, the verifier keys the witness trusts
/// for the request's origin (empty: the origin is unknown), and `last`, what it last cosigned
/// for that origin (nullopt: nothing). Pure: the caller persists `checkpoint` and only then
/// answers with cosign(). Never cosigns a checkpoint that does not extend `last`.
WitnessVerdict judge_add_checkpoint(const AddCheckpointRequest& request,
                                    std::span<const std::string> log_keys,
                                    const std::optional<WitnessedCheckpoint>& last);

}  // namespace passline
