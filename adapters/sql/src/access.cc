// The HTTP service's tables: bearer tokens (hashed) and idempotency records (access.h).
#include "passline/sql/access.h"

#include "passline/id.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "detail/db.h"
#include "detail/store_access.h"
#include "passline/rule_pack.h"

namespace passline::sql {

detail::Db& StoreAccess::db(Store& s) { return s.impl_->db; }

std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::recruiter: return "recruiter";
    case Role::auditor: return "auditor";
    case Role::admin: return "admin";
  }
  return "auditor";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
  for (Role r : {Role::recruiter, Role::auditor, Role::admin})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

namespace {

std::string random_token() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "pl_";
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char b : raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kB64[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kB64[(acc << (6 - bits)) & 63];
  return out;  // 3 + 43 characters
}

bool unique_violation(const std::exception& e) {
  const std::string what = e.what();
  return what.find("duplicate key") != std::string::npos ||
         what.find("UNIQUE constraint") != std::string::npos;
}

}  // namespace

Result<NewToken> create_token(Store& store, Role role, std::string_view agency,
                              const Clock& clock) {
  if (role == Role::recruiter && agency.empty())
    return make_error("invalid_value", "agency", "a recruiter token needs the agency it acts for");
  if (role != Role::recruiter && !agency.empty())
    return make_error("invalid_value", "agency",
                      "only recruiter tokens name an agency; " + std::string(to_string(role)) +
                          " tokens act for every agency");
  if (role == Role::recruiter)  // the one rule for ids (passline/id.h): it is an agency code
    if (auto ok = check_id(agency, "agency"); !ok) return std::move(ok).error();
  detail::Db& db = StoreAccess::db(store);
  NewToken t;
  t.token = random_token();
  const std::string hash = sha256_hex(t.token);
  t.principal = {"tok_" + hash.substr(0, 12), role, std::string(agency)};
  const std::string r(to_string(role));
  const std::string now = clock.now();
  soci::indicator ai = agency.empty() ? soci::i_null : soci::i_ok;
  try {
    detail::WriteTransaction tx(db);
    db.sql << "INSERT INTO api_tokens (hash, id, role, agency, created_at, revoked) VALUES "
              "(:h, :i, :r, :a, :t, 0)",
        soci::use(hash), soci::use(t.principal.token_id), soci::use(r),
        soci::use(t.principal.agency, ai), soci::use(now);
    tx.commit();
  } catch (const std::exception& e) {
    return detail::storage_error("creating a token", e);
  }
  return t;
}

Result<std::optional<Principal>> find_token(Store& store, std::string_view token) {
  detail::Db& db = StoreAccess::db(store);
  const std::string hash = sha256_hex(token);
  try {
    Principal p;
    std::string role, agency;
    soci::indicator ai = soci::i_null;
    db.sql << "SELECT id, role, agency FROM api_tokens WHERE hash = :h AND revoked = 0",
        soci::use(hash), soci::into(p.token_id), soci::into(role), soci::into(agency, ai);
    if (!db.sql.got_data()) return std::optional<Principal>();
    auto r = parse_role(role);
    if (!r) return std::optional<Principal>();
    p.role = *r;
    if (ai == soci::i_ok) p.agency = agency;
    return std::optional<Principal>(std::move(p));
  } catch (const std::exception& e) {
    return detail::storage_error("checking a token", e);
  }
}

Status revoke_token(Store& store, std::string_view token_id) {
  detail::Db& db = StoreAccess::db(store);
  const std::string id(token_id);
  try {
    detail::WriteTransaction tx(db);
    long long n = 0;
    db.sql << "SELECT COUNT(*) FROM api_tokens WHERE id = :i", soci::use(id), soci::into(n);
    if (n == 0) return make_error("unknown_token", "id", "no token '" + id + "' exists");
    db.sql << "UPDATE api_tokens SET revoked = 1 WHERE id = :i", soci::use(id);
    tx.commit();
    return Status::ok_status();
  } catch (const std::exception& e) {
    return detail::storage_error("revoking token " + id, e);
  }
}

Result<std::vector<std::pair<Principal, bool>>> list_tokens(Store& store) {
  detail::Db& db = StoreAccess::db(store);
  try {
    std::vector<std::pair<Principal, bool>> out;
    soci::rowset<soci::row> rs = db.sql.prepare
                                 << "SELECT id, role, agency, revoked FROM api_tokens ORDER BY id";
    for (const soci::row& r : rs) {
      Principal p;
      p.token_id = r.get<std::string>(0);
      p.role = parse_role(r.get<std::string>(1)).value_or(Role::auditor);
      if (r.get_indicator(2) == soci::i_ok) p.agency = r.get<std::string>(2);
      out.emplace_back(std::move(p), r.get<long long>(3) != 0);
    }
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("listing tokens", e);
  }
}

Status ping(Store& store) {
  detail::Db& db = StoreAccess::db(store);
  try {
    long long one = 0;
    db.sql << "SELECT 1", soci::into(one);
    return Status::ok_status();
  } catch (const std::exception& e) {
    return detail::storage_error("checking the connection", e);
  }
}

Result<IdempotentResult> run_idempotent(Store& store, std::string_view scope, std::string_view key,
                                        std::string_view request_hash,
                                        const std::function<Result<StoredResponse>(Store&)>& action,
                                        const Clock& clock) {
  detail::Db& db = StoreAccess::db(store);
  const std::string s(scope), k(key), h(request_hash);
  // A second try only when a concurrent request with the same key committed its record
  // between our look-up and our insert (PostgreSQL: our insert waited for it, then failed).
  for (int attempt = 0;; ++attempt) {
    try {
      detail::WriteTransaction tx(db);
      std::string stored_hash, content_type, body;
      long long status = 0;
      db.sql << "SELECT request_hash, status, content_type, body FROM idempotency_keys "
                "WHERE scope = :s AND idem_key = :k",
          soci::use(s), soci::use(k), soci::into(stored_hash), soci::into(status),
          soci::into(content_type), soci::into(body);
      if (db.sql.got_data()) {
        if (stored_hash != h)
          return make_error("idempotency_key_reused", "Idempotency-Key",
                            "Idempotency-Key '" + k +
                                "' was first used with another request "
                                "(method, path or body differ): use a new key for a new request");
        return IdempotentResult{{static_cast<int>(status), content_type, body}, true};
      }
      const std::string now = clock.now();
      db.sql
          << "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, content_type, "
             "body, created_at) VALUES (:s, :k, :h, 0, '', '', :t)",
          soci::use(s), soci::use(k), soci::use(h), soci::use(now);
      auto r = action(store);
      if (!r) return std::move(r).error();  // tx rolls back: no record, no effect
      const long long st = r->status;
      db.sql << "UPDATE idempotency_keys SET status = :st, content_type = :c, body = :b "
                "WHERE scope = :s AND idem_key = :k",
          soci::use(st), soci::use(r->content_type), soci::use(r->body), soci::use(s), soci::use(k);
      tx.commit();
      return IdempotentResult{std::move(*r), false};
    } catch (const std::exception& e) {
      if (attempt == 0 && unique_violation(e)) continue;
      return detail::storage_error("recording Idempotency-Key " + k, e);
    }
  }
}

}  // namespace passline::sql
