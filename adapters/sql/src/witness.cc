// The witnesses' cosignatures (witness.h): rows of witness_cosignatures.
#include "passline/sql/witness.h"

#include "detail/db.h"
#include "detail/store_access.h"
#include "passline/witness.h"

namespace passline::sql {

Status save_cosignature(Store& store, const StoredCosignature& c) {
  detail::Db& db = StoreAccess::db(store);
  return detail::guarded(db, "storing a cosignature", [&]() -> Status {
    const auto size = static_cast<long long>(c.size);
    const auto ts = static_cast<long long>(c.timestamp);
    db.sql << "INSERT INTO witness_cosignatures (size, verifier_key, witness_key, witness, "
              "cosigned_at, line, received_at) VALUES (:s, :k, :w, :n, :t, :l, :r) "
              "ON CONFLICT (size, verifier_key, witness_key) DO UPDATE SET witness = "
              "excluded.witness, cosigned_at = excluded.cosigned_at, line = excluded.line, "
              "received_at = excluded.received_at",
        soci::use(size), soci::use(c.verifier_key), soci::use(c.witness_key), soci::use(c.witness),
        soci::use(ts), soci::use(c.line), soci::use(c.received_at);
    return {};
  });
}

Result<std::vector<StoredCosignature>> cosignatures_of(Store& store, std::uint64_t size,
                                                       std::string_view verifier_key) {
  detail::Db& db = StoreAccess::db(store);
  return detail::guarded(
      db, "reading cosignatures", [&]() -> Result<std::vector<StoredCosignature>> {
        std::vector<StoredCosignature> out;
        const auto s = static_cast<long long>(size);
        const std::string key(verifier_key);
        soci::rowset<soci::row> rs =
            (db.sql.prepare << "SELECT witness_key, witness, cosigned_at, line, received_at FROM "
                               "witness_cosignatures WHERE size = :s AND verifier_key = :k "
                               "ORDER BY witness_key",
             soci::use(s), soci::use(key));
        for (const soci::row& r : rs) {
          StoredCosignature c;
          c.size = size;
          c.verifier_key = key;
          c.witness_key = r.get<std::string>(0);
          c.witness = r.get<std::string>(1);
          c.timestamp = static_cast<std::uint64_t>(r.get<long long>(2));
          c.line = r.get<std::string>(3);
          c.received_at = r.get<std::string>(4);
          out.push_back(std::move(c));
        }
        return out;
      });
}

Result<std::uint64_t> witnessed_size(Store& store, std::string_view verifier_key,
                                     std::string_view witness_key) {
  detail::Db& db = StoreAccess::db(store);
  return detail::guarded(db, "reading cosignatures", [&]() -> Result<std::uint64_t> {
    long long size = 0;
    soci::indicator ind = soci::i_null;
    const std::string key(verifier_key), witness(witness_key);
    db.sql << "SELECT MAX(size) FROM witness_cosignatures WHERE verifier_key = :k AND "
              "witness_key = :w",
        soci::use(key), soci::use(witness), soci::into(size, ind);
    if (!db.sql.got_data() || ind != soci::i_ok) return std::uint64_t{0};
    return static_cast<std::uint64_t>(size);
  });
}

Result<std::string> witnessed_note(Store& store, const StoredCheckpoint& checkpoint) {
  auto rows = cosignatures_of(store, checkpoint.size, checkpoint.verifier_key);
  if (!rows) return rows.error();
  if (rows->empty()) return checkpoint.note;
  std::vector<std::string> lines;
  for (const StoredCosignature& c : *rows) lines.push_back(c.line);
  return add_signatures(checkpoint.note, lines);
}

}  // namespace passline::sql
