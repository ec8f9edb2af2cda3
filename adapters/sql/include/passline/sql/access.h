// passline storage for the HTTP service: bearer tokens (stored hashed) and idempotency keys.
//
// Same rules as store.h: each call works on one Store (one connection; not thread-safe), every
// mutating call is one transaction, expected failures are Result errors with a stable code, and
// database failures are `storage` errors. The tables come with schema version 3
// (adapters/sql/migrations/0003_http_access.sql).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/result.h"
#include "passline/sql/store.h"

namespace passline::sql {

/// What a token may do (docs/HTTP.md has the full table).
///   recruiter  one agency: create, decide and read its own recruitments and compliance
///   auditor    read everything
///   admin      manage tokens
enum class Role { recruiter, auditor, admin };
std::string_view to_string(Role r) noexcept;
/// "recruiter", "auditor" or "admin"; nullopt otherwise.
std::optional<Role> parse_role(std::string_view text) noexcept;

/// Who a valid token speaks for.
struct Principal {
  std::string token_id;  ///< public name of the token (`tok_` + 12 hex digits of its hash)
  Role role = Role::auditor;
  std::string agency;  ///< the recruiter's agency; empty for other roles
};

/// A token just created: the secret text (shown once, never stored) and who it is.
struct NewToken {
  std::string token;  ///< `pl_` + 43 base64url characters (256 random bits from OpenSSL)
  Principal principal;
};

/// Creates a token for `role`. A recruiter needs an `agency` (`invalid_value`, path `agency`),
/// other roles must not have one. The agency need not exist yet (its first case creates it).
/// Only the hash is stored.
Result<NewToken> create_token(Store& store, Role role, std::string_view agency,
                              const Clock& clock = system_clock());

/// The principal of `token`, or nullopt when no such token exists or it was revoked.
Result<std::optional<Principal>> find_token(Store& store, std::string_view token);

/// Revokes the token named `token_id`. `unknown_token` when there is none. Revoking twice is fine.
Status revoke_token(Store& store, std::string_view token_id);

/// Every token (never the secrets), by id.
Result<std::vector<std::pair<Principal, bool>>> list_tokens(Store& store);

/// A trivial query: ok when the connection works.
Status ping(Store& store);

/// A response as an idempotency record keeps it.
struct StoredResponse {
  int status = 200;
  std::string content_type;
  std::string body;
};

/// The result of run_idempotent(): the response, and whether it is a replay of the first one.
struct IdempotentResult {
  StoredResponse response;
  bool replayed = false;
};

/// Runs `action` at most once per (`scope`, `key`), atomically with its record:
/// - a record with the same `request_hash` exists: its response, replayed, and `action` does not
///   run;
/// - a record with another hash: error `idempotency_key_reused` (path `Idempotency-Key`);
/// - otherwise `action` runs inside one write transaction together with the insertion of the
///   record. When the action returns an error, nothing of it and no record remain (the same
///   key may be retried); when it succeeds, its changes and the record commit together.
/// `action` must do all its writes through `store` (its Store calls join the transaction). A
/// concurrent request with the same key waits for this one and then replays its response.
Result<IdempotentResult> run_idempotent(Store& store, std::string_view scope, std::string_view key,
                                        std::string_view request_hash,
                                        const std::function<Result<StoredResponse>(Store&)>& action,
                                        const Clock& clock = system_clock());

}  // namespace passline::sql
