-- Schema 13: the openings of passline-log/3 entries (docs/AUDIT_LOG.md §1). An applicant entry
-- of that format holds, instead of the applicant's id and personal inputs, a salted commitment
-- to them; the opening (the inputs and the salt) is kept here, beside the log, never in it, so
-- that `passline audit erase` can destroy it when its retention ends (채용절차의 공정화에 관한
-- 법률 §11 with its decree §4; 개인정보 보호법 §21) without changing any log entry: every root,
-- proof, checkpoint and receipt still verifies. Written in the transaction that appends the
-- entries; deleted, recruitment by recruitment, in one transaction by the erase.
CREATE TABLE log_openings (
  idx          BIGINT PRIMARY KEY,   -- the applicant entry's log index (log_entries.idx)
  recruitment  TEXT NOT NULL,
  opening      TEXT NOT NULL         -- RFC 8785 canonical JSON {"inputs": {...}, "salt": hex}
);
CREATE INDEX log_openings_recruitment ON log_openings (recruitment);

-- One row per recruitment decided as passline-log/3: how long its openings are kept. The
-- default is 180 days after the decision (the decree's longest return-claim period);
-- `passline audit retention` sets another within 14 to 180 days. erased_at is set, once, by the
-- erase that destroyed the openings. Recruitments logged as passline-log/1 or /2 have no row.
CREATE TABLE log_retention (
  recruitment   TEXT PRIMARY KEY,
  decided_on    TEXT NOT NULL,       -- YYYY-MM-DD
  retain_until  TEXT NOT NULL,       -- YYYY-MM-DD, kept through this day
  erased_at     TEXT                 -- RFC 3339 UTC, NULL while the openings are kept
);
