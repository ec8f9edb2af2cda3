-- Schema 12: the witnesses' cosignatures of the log's checkpoints (C2SP tlog-cosignature/v1,
-- docs/AUDIT_LOG.md §8). `passline audit witness` submits a checkpoint to each configured
-- witness (C2SP tlog-witness add-checkpoint) and keeps the cosignature line it answers with,
-- verified against the witness's key; the served checkpoint carries the lines stored for it.
-- One row per checkpoint (size, the log's verifier key, as in checkpoints) and witness key: a
-- witness that cosigns the same checkpoint again replaces its line. Never deleted otherwise.
CREATE TABLE witness_cosignatures (
  size          BIGINT NOT NULL,   -- the checkpoint's tree size
  verifier_key  TEXT NOT NULL,     -- the log key that signed the checkpoint
  witness_key   TEXT NOT NULL,     -- the witness's verifier key (type 0x04)
  witness       TEXT NOT NULL,     -- the witness's name (the key's name part)
  cosigned_at   BIGINT NOT NULL,   -- the cosignature's timestamp, POSIX seconds
  line          TEXT NOT NULL,     -- the signature line, without its newline
  received_at   TEXT NOT NULL,     -- RFC 3339 UTC, when the log stored it
  PRIMARY KEY (size, verifier_key, witness_key)
);
CREATE INDEX witness_cosignatures_witness ON witness_cosignatures (verifier_key, witness_key, size);
