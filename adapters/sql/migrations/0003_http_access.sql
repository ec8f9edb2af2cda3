-- passline schema, version 3: the HTTP service's access tokens and idempotency keys.
-- (Version 2 is the audit log.) Dialect-neutral, BIGINT for integers, forward-only.

-- Bearer tokens, stored only as the SHA-256 (hex) of the token text; the text itself is shown
-- once, when it is created. role: recruiter | auditor | admin; agency is set for recruiters only.
CREATE TABLE api_tokens (
  hash        TEXT PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,     -- public name of the token (tok_ + 12 hex of the hash)
  role        TEXT NOT NULL,
  agency      TEXT,
  created_at  TEXT NOT NULL,
  revoked     BIGINT NOT NULL DEFAULT 0
);

-- Idempotency-Key records: the first response to a create or decide, written in the same
-- transaction as the action. scope is the token's id: two callers never share keys.
CREATE TABLE idempotency_keys (
  scope         TEXT NOT NULL,
  idem_key      TEXT NOT NULL,
  request_hash  TEXT NOT NULL,          -- SHA-256 hex of method, path and body
  status        BIGINT NOT NULL,
  content_type  TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);
