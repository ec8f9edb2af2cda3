-- passline schema, version 10: the decision log's Merkle tree kept as C2SP tlog-tiles
-- (https://c2sp.org/tlog-tiles), so proofs and receipts read O(log n) stored hashes instead of
-- every leaf hash. Tile (level L, index N) holds the hashes of the tree's nodes at height 8L,
-- positions 256N .. 256N + width - 1, as lower-case hex (64 digits each, width <= 256). Level 0
-- (the leaf hashes) is log_entries.leaf_hash and is not repeated here; levels 1 and up are
-- written in the transaction that appends the entries: full tiles once, the rightmost partial
-- tile of each level replaced as it grows. The migration's data step (migrate.cc) builds the
-- tiles of an existing log, and an index serves decisions pages by (unit, applicant id).
CREATE TABLE log_tiles (
  level   BIGINT NOT NULL,
  idx     BIGINT NOT NULL,
  width   BIGINT NOT NULL,
  hashes  TEXT NOT NULL,
  PRIMARY KEY (level, idx)
);
