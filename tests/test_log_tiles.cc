// The log's Merkle tree in C2SP tlog-tiles (migration 0010): kept by every append in its
// transaction, backfilled by the migration, and giving the same RFC 9162 proofs as the leaves.
#include <doctest/doctest.h>

#include <soci/soci.h>

#include <random>

#include "passline/app/audit.h"
#include "passline/merkle.h"
#include "storage_support.h"

namespace {

using passline::Hash;
using passline::test::Backend;
using passline::test::TestDb;
namespace app = passline::app;
namespace sql = passline::sql;

/// Appends `n` made-up entries to the log in one transaction; `fail` makes the producer fail
/// after writing them, so the transaction rolls back.
passline::Status append(sql::Store& store, std::uint64_t n, bool fail = false) {
  return store.transaction([&]() -> passline::Status {
    auto tail = store.log_tail();
    if (!tail) return tail.error();
    auto range = passline::CompactRange::restore(tail->size, tail->compact_range);
    if (!range) return range.error();
    return store.append_log([&](const app::LogRowSink& sink) -> passline::Result<app::LogTail> {
      std::string prev = tail->prev;
      for (std::uint64_t i = tail->size; i < tail->size + n; ++i) {
        app::LogRow row;
        row.index = i;
        row.recruitment = "R";
        row.entry = "{\"n\":" + std::to_string(i) + "}";
        row.leaf = passline::leaf_hash(row.entry);
        row.leaf_hex = passline::to_hex(row.leaf);
        range->append(row.leaf);
        prev = row.leaf_hex;
        sink(std::move(row));
      }
      if (fail) return passline::make_error("invalid_value", "test", "the producer fails");
      app::LogTail t;
      t.size = range->size();
      t.prev = prev;
      t.compact_range = range->hashes();
      t.root = range->root();
      return t;
    });
  });
}

long long tile_rows(const TestDb& db) {
  auto url = sql::parse_database_url(db.url());
  soci::session s(url->soci_backend, url->connect_string);
  long long n = 0;
  s << "SELECT COUNT(*) FROM log_tiles", soci::into(n);
  return n;
}

/// Every proof for a sample of sizes and indices equals the one computed from all leaves.
void check_proofs(sql::Store& store, std::uint64_t size, std::mt19937_64& rng) {
  auto leaves = store.leaf_hashes(size);
  REQUIRE(leaves.ok());
  REQUIRE(leaves->size() == size);
  std::vector<std::uint64_t> sizes = {1, 2, 255, 256, 257, 65535, 65536, 65537, size - 1, size};
  for (int k = 0; k < 6; ++k) sizes.push_back(1 + rng() % size);
  for (std::uint64_t n : sizes) {
    if (n == 0 || n > size) continue;
    CAPTURE(n);
    const std::span<const Hash> first(leaves->data(), n);
    const Hash root = passline::root_of(first);
    for (std::uint64_t i : {std::uint64_t{0}, n - 1, n / 2, rng() % n, rng() % n}) {
      CAPTURE(i);
      auto p = app::prove_inclusion(store, i, n);
      REQUIRE_MESSAGE(p.ok(), p.error().message);
      CHECK(p->root == root);
      CHECK(p->leaf_hash == (*leaves)[i]);
      CHECK(p->proof == passline::inclusion_proof(i, n, first));
    }
    for (std::uint64_t m : {std::uint64_t{0}, std::uint64_t{1}, n / 3, rng() % (n + 1), n}) {
      CAPTURE(m);
      auto c = app::prove_consistency(store, m, n);
      REQUIRE_MESSAGE(c.ok(), c.error().message);
      CHECK(c->second_root == root);
      CHECK(c->first_root == passline::root_of(first.first(m)));
      CHECK(c->proof == passline::consistency_proof(m, n, first));
    }
  }
}

}  // namespace

TEST_SUITE("log_tiles") {

STORAGE_TEST(tiles_follow_appends_and_give_the_proofs_of_the_leaves) {
  TestDb db(backend);
  auto store = db.open_initialised();
  std::mt19937_64 rng(6962);
  // Appends of every shape: single entries, partial tiles, a tile boundary crossed, a whole
  // level-1 tile (65,536 leaves) completed and a level-2 tile begun.
  std::uint64_t size = 0;
  for (std::uint64_t n : {1u, 1u, 254u, 1u, 1u, 300u, 511u, 65000u, 1u, 300u}) {
    REQUIRE(append(*store, n).ok());
    size += n;
  }
  CHECK(size == 66370);
  // Tiles of level 1: 259 hashes at height 8 → one full tile and a partial one; level 2: one
  // hash at height 16 (its partial tile).
  CHECK(tile_rows(db) == 3);
  check_proofs(*store, size, rng);

  // A failed append leaves the tiles exactly as they were.
  REQUIRE_FALSE(append(*store, 70000, true).ok());
  CHECK(tile_rows(db) == 3);
  REQUIRE(append(*store, 200).ok());
  size += 200;
  check_proofs(*store, size, rng);

  // A node past the log's end is refused, not made up.
  const passline::TreeNode past{0, size};
  CHECK(store->tree_hashes(std::span<const passline::TreeNode>(&past, 1)).error().code ==
        "invalid_value");
  const passline::TreeNode high{9, size >> 9};
  CHECK(store->tree_hashes(std::span<const passline::TreeNode>(&high, 1)).error().code ==
        "invalid_value");
}

STORAGE_TEST(the_migration_builds_the_tiles_of_an_existing_log) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(append(*store, 70000).ok());
  auto url = sql::parse_database_url(db.url());
  {
    // As a log written before version 10 looks: no tiles, schema version 9 at most.
    soci::session s(url->soci_backend, url->connect_string);
    s << "DROP INDEX applicants_unit_id";
    s << "DROP TABLE log_tiles";
    for (const char* t : {"year_program_reasons", "year_program_figures", "year_figures"})
      s << std::string("DROP TABLE ") + t;   // and schema 11's
    s << "DROP TABLE witness_cosignatures";  // and 12's
    for (const char* t : {"log_retention", "log_openings"})
      s << std::string("DROP TABLE ") + t;  // and schema 13's
    s << "DELETE FROM schema_migrations WHERE version >= 10";
  }
  store.reset();
  auto v = sql::Store::migrate(db.url());
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  CHECK(tile_rows(db) == 3);  // 273 hashes at height 8 (a full tile, a partial), 1 at 16
  auto reopened = sql::Store::open(db.url());
  REQUIRE(reopened.ok());
  std::mt19937_64 rng(9162);
  check_proofs(**reopened, 70000, rng);
  REQUIRE(append(**reopened, 1000).ok());
  check_proofs(**reopened, 71000, rng);
}

}  // TEST_SUITE
