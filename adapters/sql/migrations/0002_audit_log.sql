-- passline schema, version 2: the tamper-evident decision log (SPEC §7, docs/AUDIT_LOG.md).
-- Append-only: entries are written in the transaction that decides a recruitment and never
-- updated or deleted.

-- One row per log entry: its canonical JSON bytes (the Merkle leaf) and leaf hash.
CREATE TABLE log_entries (
  idx          BIGINT PRIMARY KEY,
  recruitment  TEXT NOT NULL,
  unit         TEXT,              -- NULL for the recruitment's header entry
  applicant    TEXT,              -- NULL for the recruitment's header entry
  entry        TEXT NOT NULL,     -- RFC 8785 canonical JSON
  leaf_hash    TEXT NOT NULL      -- hex SHA-256(0x00 || entry)
);
CREATE INDEX log_entries_applicant ON log_entries (recruitment, applicant);

-- The head of the log: its size, the last leaf hash (the next entry's `prev`), and the compact
-- range of the tree (RFC 9162 subtree roots, hex, comma-separated), so an append costs
-- O(log n) hashes and no read of earlier entries. One row, id = 1.
CREATE TABLE log_head (
  id             BIGINT PRIMARY KEY,
  size           BIGINT NOT NULL,
  prev           TEXT NOT NULL,
  compact_range  TEXT NOT NULL,
  root           TEXT NOT NULL
);
INSERT INTO log_head (id, size, prev, compact_range, root) VALUES
  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', '',
   'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

-- Signed checkpoints (C2SP tlog-checkpoint notes), one per tree size and key. Never deleted.
CREATE TABLE checkpoints (
  size          BIGINT NOT NULL,
  verifier_key  TEXT NOT NULL,
  root          TEXT NOT NULL,
  time          TEXT NOT NULL,
  note          TEXT NOT NULL,
  PRIMARY KEY (size, verifier_key)
);
