// passline: signed checkpoints of the decision log (SPEC.md §7).
//
// Formats (docs/AUDIT_LOG.md):
//  - C2SP signed note (https://c2sp.org/signed-note), Ed25519 signatures, the format of Go's
//    golang.org/x/mod/sumdb/note: `<text>\n— <key name> <base64(key hash || signature)>\n`,
//    the text ending in a newline, the key hash being the first 4 bytes (big-endian) of
//    SHA-256(name || "\n" || 0x01 || 32-byte public key), the signature over the text bytes.
//  - C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) as the note text:
//    `<origin>\n<tree size, decimal>\n<base64 root hash>\n`, then optional extension lines;
//    passline writes one, `time <RFC 3339 UTC timestamp>\n` (when the checkpoint was made), and
//    reads checkpoints with none (C2SP marks extension lines optional).
//  - Verifier keys as note vkeys: `<name>+<8 hex digits key hash>+<base64(0x01 || public key)>`.
// Keys are generated and used through OpenSSL's EVP interface (EVP_PKEY_ED25519); a private
// key travels as PKCS#8 PEM text. Nothing here reads or writes files.
//
// Thread-safety: pure functions (OpenSSL 3 is thread-safe for these calls).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "passline/merkle.h"
#include "passline/result.h"

namespace passline {

/// The state of a log at one moment.
struct Checkpoint {
  std::string origin;  ///< the log's unique name, e.g. `passline.example.go.kr/log`
  std::uint64_t tree_size = 0;
  Hash root{};       ///< the RFC 9162 root of the first tree_size entries
  std::string time;  ///< RFC 3339 UTC, `2026-11-24T21:00:00Z`; empty: no `time` line
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// A signing key: its note name, the private key as PKCS#8 PEM, and its note verifier key.
struct KeyPair {
  std::string name;
  std::string private_pem;
  std::string verifier_key;
};

/// A fresh Ed25519 key named `name`. Error `bad_key_name` when the name is empty or holds a
/// '+', a space or a control character; `crypto_failure` if OpenSSL fails.
Result<KeyPair> generate_key(std::string name);

/// The note verifier key of the private key `private_pem` under `name`. Errors `bad_key_name`,
/// `bad_private_key` (not an Ed25519 PKCS#8 PEM key).
Result<std::string> verifier_key_of(std::string_view private_pem, std::string_view name);

/// The checkpoint note text (unsigned): origin, size, base64 root, and the `time` line when
/// c.time is not empty. Error `bad_checkpoint` when the origin is empty or holds a newline, or
/// a non-empty time is not RFC 3339 UTC (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`).
Result<std::string> checkpoint_text(const Checkpoint& c);

/// `text` signed as a note: text + "\n— name base64(...)\n". Errors `malformed_note` when
/// text is empty, does not end in '\n', contains a blank line, a control character other than
/// '\n' or invalid UTF-8; `bad_key_name`; `bad_private_key`.
Result<std::string> sign_note(std::string_view text, std::string_view private_pem,
                              std::string_view name);

/// The signed checkpoint note: sign_note(checkpoint_text(c)).
Result<std::string> sign_checkpoint(const Checkpoint& c, std::string_view private_pem,
                                    std::string_view name);

/// The text of `note` once a signature by `verifier_key` verifies; other signers' lines are
/// ignored (at most 100 signature lines). Errors: `bad_verifier_key` (unparsable key, or its
/// key hash does not match its name and key); `malformed_note` (not a signed note:
/// no blank line before the signatures, a line not `— name base64`, invalid UTF-8, controls);
/// `bad_signature` (no signature line by this key, or one that does not verify).
Result<std::string> verify_note(std::string_view note, std::string_view verifier_key);

/// Verifies the note with `verifier_key` (as verify_note) and parses its checkpoint text.
/// Error `bad_checkpoint` naming what is wrong: fewer than three lines, an empty origin, a
/// size that is not a canonical decimal, a root that is not base64 of 32 bytes, an empty
/// extension line, more than one `time` line or one that is not RFC 3339 UTC. Extension lines
/// are optional (a checkpoint of three lines has an empty `time`); unknown ones are ignored
/// (C2SP tlog-checkpoint).
Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view verifier_key);

}  // namespace passline
