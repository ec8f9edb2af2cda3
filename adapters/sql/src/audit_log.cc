// The decision log in the database: appending in decide()'s transaction, reading entries and
// leaf hashes, and keeping signed checkpoints.
#include <algorithm>
#include <cstdint>

#include "detail/audit_log.h"
#include "detail/db.h"
#include "detail/rows.h"

#include "passline/checkpoint.h"
#include "passline/log.h"

namespace passline::sql {
namespace detail {

std::vector<Hash> parse_hashes(const std::string& text) {
  std::vector<Hash> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    auto h = hash_from_hex(std::string_view(text).substr(pos, comma - pos));
    if (!h) throw std::runtime_error("log_head.compact_range holds a value that is not a hash");
    out.push_back(*h);
    pos = comma + 1;
  }
  return out;
}

}  // namespace detail

Result<app::LogTail> Store::log_tail() {
  return detail::guarded("reading the log head", [&]() -> Result<app::LogTail> {
    detail::Db& db = impl_->db;
    long long size = 0;
    std::string prev, range, root;
    // PostgreSQL, inside a transaction: the head row is the log's lock; deciders queue here for
    // the few milliseconds between appending and committing, not for their whole decide.
    db.sql << std::string("SELECT size, prev, compact_range, root FROM log_head WHERE id = 1") +
                  (db.postgres() && db.tx_depth > 0 ? " FOR UPDATE" : ""),
        soci::into(size), soci::into(prev), soci::into(range), soci::into(root);
    if (!db.sql.got_data()) return detail::corrupt("log_head", "no row");
    app::LogTail t;
    t.size = static_cast<std::uint64_t>(size);
    t.prev = prev;
    t.compact_range = detail::parse_hashes(range);
    auto r = hash_from_hex(root);
    if (!r) return detail::corrupt("log_head.root", root);
    t.root = *r;
    return t;
  });
}

Status Store::append_log(
    const std::function<Result<app::LogTail>(const app::LogRowSink&)>& produce) {
  return detail::guarded("appending to the log", [&]() -> Status {
    detail::Db& db = impl_->db;
    using T = detail::BulkInsert::Type;
    detail::BulkInsert rows(db, "log_entries",
                            {{"idx", T::bigint},
                             {"recruitment", T::text},
                             {"unit", T::text},
                             {"applicant", T::text},
                             {"entry", T::text},
                             {"leaf_hash", T::text}},
                            5000);
    detail::BulkInsert openings(
        db, "log_openings", {{"idx", T::bigint}, {"recruitment", T::text}, {"opening", T::text}},
        5000);
    long long size = 0;
    db.sql << "SELECT size FROM log_head WHERE id = 1", soci::into(size);
    detail::TileWriter tiles(db, static_cast<std::uint64_t>(size));
    auto tail = produce([&](app::LogRow&& row) {
      tiles.append(row.leaf);
      if (!row.opening.empty())
        openings.bigint(static_cast<std::int64_t>(row.index))
            .text(row.recruitment)
            .text(row.opening)
            .end_row();
      rows.bigint(static_cast<std::int64_t>(row.index))
          .text(row.recruitment)
          .text(row.unit)
          .text(row.applicant)
          .text(row.entry)
          .text(row.leaf_hex)
          .end_row();
    });
    if (!tail) return tail.error();
    rows.flush();
    openings.flush();
    if (tiles.size() != tail->size)
      throw std::runtime_error("the appended entries do not end at the new tail");
    tiles.finish();
    std::string hashes;
    for (const Hash& h : tail->compact_range) hashes += (hashes.empty() ? "" : ",") + to_hex(h);
    const long long new_size = static_cast<long long>(tail->size);
    const std::string root = to_hex(tail->root);
    db.sql
        << "UPDATE log_head SET size = :s, prev = :p, compact_range = :c, root = :r WHERE id = 1",
        soci::use(new_size), soci::use(tail->prev), soci::use(hashes), soci::use(root);
    return {};
  });
}

Result<std::uint64_t> Store::read_log(
    std::uint64_t begin, std::uint64_t end,
    const std::function<void(std::uint64_t, std::string_view)>& sink) {
  try {
    constexpr std::size_t kBatch = 5000;
    std::vector<long long> idx(kBatch);
    std::vector<std::string> entry(kBatch);
    const long long b = static_cast<long long>(begin), e = static_cast<long long>(end);
    soci::statement st =
        (impl_->db.sql.prepare << "SELECT idx, entry FROM log_entries WHERE idx >= :b "
                                  "AND idx < :e ORDER BY idx",
         soci::use(b), soci::use(e), soci::into(idx), soci::into(entry));
    st.execute();
    std::uint64_t n = 0;
    while (st.fetch()) {
      for (std::size_t i = 0; i < idx.size(); ++i) {
        sink(static_cast<std::uint64_t>(idx[i]), entry[i]);
        ++n;
      }
      idx.resize(kBatch);
      entry.resize(kBatch);
    }
    return n;
  } catch (const std::exception& e) {
    return detail::storage_error("reading the log", e);
  }
}

Result<std::vector<Hash>> Store::leaf_hashes(std::uint64_t end) {
  try {
    constexpr std::size_t kBatch = 20000;
    std::vector<Hash> out;
    out.reserve(end);
    std::vector<std::string> hex(kBatch);
    const long long e = static_cast<long long>(end);
    soci::statement st =
        (impl_->db.sql.prepare << "SELECT leaf_hash FROM log_entries WHERE idx < :e ORDER BY idx",
         soci::use(e), soci::into(hex));
    st.execute();
    while (st.fetch()) {
      for (const std::string& h : hex) out.push_back(hash_from_hex(h).value_or(Hash{}));
      hex.resize(kBatch);
    }
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("reading the log's leaf hashes", e);
  }
}

Result<std::vector<std::uint64_t>> Store::log_indices(std::string_view recruitment,
                                                      std::string_view applicant) {
  return detail::guarded("finding log entries", [&]() -> Result<std::vector<std::uint64_t>> {
    const std::string r(recruitment), a(applicant);
    std::vector<std::uint64_t> out;
    long long header = 0;
    soci::indicator ind = soci::i_null;
    impl_->db.sql
        << "SELECT MIN(idx) FROM log_entries WHERE recruitment = :r AND applicant IS NULL",
        soci::use(r), soci::into(header, ind);
    if (ind != soci::i_ok) return out;
    out.push_back(static_cast<std::uint64_t>(header));
    soci::rowset<long long> rs =
        (impl_->db.sql.prepare << "SELECT idx FROM log_entries WHERE recruitment = :r "
                                  "AND applicant = :a ORDER BY idx",
         soci::use(r), soci::use(a));
    for (long long i : rs) out.push_back(static_cast<std::uint64_t>(i));
    return out;
  });
}

Result<std::optional<StoredCheckpoint>> Store::find_checkpoint(std::uint64_t min_size,
                                                               std::string_view verifier_key) {
  return detail::guarded("reading checkpoints", [&]() -> Result<std::optional<StoredCheckpoint>> {
    StoredCheckpoint c;
    long long size = 0;
    std::string root;
    const long long min = static_cast<long long>(min_size);
    const std::string key(verifier_key);
    if (key.empty())
      impl_->db.sql << "SELECT size, note, verifier_key, root, time FROM checkpoints "
                       "WHERE size >= :m ORDER BY size DESC, time DESC LIMIT 1",
          soci::use(min), soci::into(size), soci::into(c.note), soci::into(c.verifier_key),
          soci::into(root), soci::into(c.time);
    else
      impl_->db.sql << "SELECT size, note, verifier_key, root, time FROM checkpoints "
                       "WHERE size = :m AND verifier_key = :k ORDER BY time DESC LIMIT 1",
          soci::use(min), soci::use(key), soci::into(size), soci::into(c.note),
          soci::into(c.verifier_key), soci::into(root), soci::into(c.time);
    if (!impl_->db.sql.got_data()) return std::optional<StoredCheckpoint>{};
    c.size = static_cast<std::uint64_t>(size);
    c.root = hash_from_hex(root).value_or(Hash{});
    return std::optional<StoredCheckpoint>{std::move(c)};
  });
}

Status Store::save_checkpoint(const StoredCheckpoint& c) {
  return detail::guarded("storing a checkpoint", [&]() -> Status {
    const long long size = static_cast<long long>(c.size);
    const std::string root = to_hex(c.root);
    impl_->db.sql << "INSERT INTO checkpoints (size, root, time, note, verifier_key) VALUES "
                     "(:s, :r, :t, :n, :k)",
        soci::use(size), soci::use(root), soci::use(c.time), soci::use(c.note),
        soci::use(c.verifier_key);
    return {};
  });
}

Result<std::uint64_t> Store::read_openings(
    std::uint64_t begin, std::uint64_t end,
    const std::function<void(std::uint64_t, std::string_view)>& sink) {
  try {
    constexpr std::size_t kBatch = 5000;
    std::vector<long long> idx(kBatch);
    std::vector<std::string> opening(kBatch);
    constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
    const long long b = static_cast<long long>(std::min(begin, kMax)),
                    e = static_cast<long long>(std::min(end, kMax));
    soci::statement st =
        (impl_->db.sql.prepare << "SELECT idx, opening FROM log_openings WHERE idx >= :b "
                                  "AND idx < :e ORDER BY idx",
         soci::use(b), soci::use(e), soci::into(idx), soci::into(opening));
    st.execute();
    std::uint64_t n = 0;
    while (st.fetch()) {
      for (std::size_t i = 0; i < idx.size(); ++i) {
        sink(static_cast<std::uint64_t>(idx[i]), opening[i]);
        ++n;
      }
      idx.resize(kBatch);
      opening.resize(kBatch);
    }
    return n;
  } catch (const std::exception& e) {
    return detail::storage_error("reading the log's openings", e);
  }
}

namespace {
app::Retention retention_of(const soci::row& r) {
  app::Retention out;
  out.recruitment = r.get<std::string>(0);
  out.decided_on = r.get<std::string>(1);
  out.retain_until = r.get<std::string>(2);
  if (r.get_indicator(3) == soci::i_ok) out.erased_at = r.get<std::string>(3);
  return out;
}
}  // namespace

Result<std::optional<app::Retention>> Store::read_retention(std::string_view recruitment) {
  return detail::guarded("reading a retention", [&]() -> Result<std::optional<app::Retention>> {
    const std::string id(recruitment);
    soci::rowset<soci::row> rs =
        (impl_->db.sql.prepare << "SELECT recruitment, decided_on, retain_until, erased_at "
                                  "FROM log_retention WHERE recruitment = :r",
         soci::use(id));
    for (const soci::row& r : rs) return std::optional<app::Retention>{retention_of(r)};
    return std::optional<app::Retention>{};
  });
}

Result<std::vector<app::Retention>> Store::retentions() {
  return detail::guarded("reading retentions", [&]() -> Result<std::vector<app::Retention>> {
    std::vector<app::Retention> out;
    soci::rowset<soci::row> rs =
        (impl_->db.sql.prepare << "SELECT recruitment, decided_on, retain_until, erased_at "
                                  "FROM log_retention ORDER BY recruitment");
    for (const soci::row& r : rs) out.push_back(retention_of(r));
    return out;
  });
}

Status Store::put_retention(const app::Retention& r) {
  return detail::guarded("storing a retention", [&]() -> Status {
    soci::indicator ind = r.erased_at ? soci::i_ok : soci::i_null;
    const std::string erased = r.erased_at.value_or("");
    impl_->db.sql << "DELETE FROM log_retention WHERE recruitment = :r", soci::use(r.recruitment);
    impl_->db.sql << "INSERT INTO log_retention (recruitment, decided_on, retain_until, erased_at) "
                     "VALUES (:r, :d, :u, :e)",
        soci::use(r.recruitment), soci::use(r.decided_on), soci::use(r.retain_until),
        soci::use(erased, ind);
    return {};
  });
}

Result<std::uint64_t> Store::delete_openings(std::string_view recruitment) {
  return detail::guarded("erasing openings", [&]() -> Result<std::uint64_t> {
    const std::string id(recruitment);
    soci::statement st =
        (impl_->db.sql.prepare << "DELETE FROM log_openings WHERE recruitment = :r", soci::use(id));
    st.execute(true);
    return static_cast<std::uint64_t>(st.get_affected_rows());
  });
}

}  // namespace passline::sql
