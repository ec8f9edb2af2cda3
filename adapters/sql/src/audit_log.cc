// The decision log in the database: appending in decide()'s transaction, reading entries and
// leaf hashes, and keeping signed checkpoints.
#include "detail/audit_log.h"

#include "passline/checkpoint.h"
#include "passline/log.h"

namespace passline::sql {
namespace detail {
namespace {

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

}  // namespace

void append_log(Db& db, const Case& c, const Decision& d, LogContext ctx) {
  long long size = 0;
  std::string prev, range;
  // PostgreSQL: the head row is the log's lock; deciders queue here for the few milliseconds
  // between appending and committing, not for their whole decide.
  db.sql << std::string("SELECT size, prev, compact_range FROM log_head WHERE id = 1") +
                (db.postgres() ? " FOR UPDATE" : ""),
      soci::into(size), soci::into(prev), soci::into(range);
  if (!db.sql.got_data()) throw std::runtime_error("log_head has no row: the schema is damaged");
  auto restored = CompactRange::restore(static_cast<std::uint64_t>(size), parse_hashes(range));
  if (!restored) throw std::runtime_error("log_head.compact_range: " + restored.error().message);
  CompactRange tree = std::move(*restored);
  ctx.log_index = static_cast<std::uint64_t>(size);
  ctx.prev = prev;

  using T = BulkInsert::Type;
  BulkInsert rows(db, "log_entries",
                  {{"idx", T::bigint}, {"recruitment", T::text}, {"unit", T::text},
                   {"applicant", T::text}, {"entry", T::text}, {"leaf_hash", T::text}},
                  5000);
  // Entries come in case order: the header, then each unit's applicants.
  std::size_t unit = 0, applicant = 0;
  bool header = true;
  std::uint64_t index = ctx.log_index;
  log_entries(c, d, ctx, [&](std::string&& entry) {
    const Hash leaf = leaf_hash(entry);
    tree.append(leaf);
    prev = to_hex(leaf);
    rows.bigint(static_cast<std::int64_t>(index++)).text(c.recruitment.id);
    if (header) {
      rows.text(std::nullopt).text(std::nullopt);
      header = false;
    } else {
      while (applicant >= c.units[unit].applicants.size()) {
        ++unit;
        applicant = 0;
      }
      rows.text(c.units[unit].id).text(c.units[unit].applicants[applicant].id);
      ++applicant;
    }
    rows.text(entry).text(prev).end_row();
  });
  rows.flush();
  std::string hashes;
  for (const Hash& h : tree.hashes()) hashes += (hashes.empty() ? "" : ",") + to_hex(h);
  const long long new_size = static_cast<long long>(tree.size());
  const std::string root = to_hex(tree.root());
  db.sql << "UPDATE log_head SET size = :s, prev = :p, compact_range = :c, root = :r WHERE id = 1",
      soci::use(new_size), soci::use(prev), soci::use(hashes), soci::use(root);
}

}  // namespace detail

Result<Store::LogHead> Store::log_head() {
  try {
    long long size = 0;
    std::string root;
    impl_->db.sql << "SELECT size, root FROM log_head WHERE id = 1", soci::into(size), soci::into(root);
    LogHead h;
    h.size = static_cast<std::uint64_t>(size);
    h.root = hash_from_hex(root).value_or(Hash{});
    return h;
  } catch (const std::exception& e) {
    return detail::storage_error("reading the log head", e);
  }
}

Result<std::uint64_t> Store::read_log(std::uint64_t begin, std::uint64_t end,
                                      const std::function<void(std::uint64_t, std::string_view)>& sink) {
  try {
    constexpr std::size_t kBatch = 5000;
    std::vector<long long> idx(kBatch);
    std::vector<std::string> entry(kBatch);
    const long long b = static_cast<long long>(begin), e = static_cast<long long>(end);
    soci::statement st = (impl_->db.sql.prepare << "SELECT idx, entry FROM log_entries WHERE idx >= :b "
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
    soci::statement st = (impl_->db.sql.prepare << "SELECT leaf_hash FROM log_entries WHERE idx < :e ORDER BY idx",
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
  try {
    auto info = detail::read_recruitment(impl_->db, recruitment);
    if (!info) return info.error();
    if (info->state != "decided")
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + info->id + "' is not decided: it has no log entries");
    const std::string r(recruitment), a(applicant);
    std::vector<std::uint64_t> out;
    long long header = 0;
    soci::indicator ind = soci::i_null;
    impl_->db.sql << "SELECT MIN(idx) FROM log_entries WHERE recruitment = :r AND applicant IS NULL",
        soci::use(r), soci::into(header, ind);
    if (ind != soci::i_ok) return make_error("not_decided", "recruitment.id", "no log header for '" + r + "'");
    out.push_back(static_cast<std::uint64_t>(header));
    soci::rowset<long long> rs = (impl_->db.sql.prepare << "SELECT idx FROM log_entries WHERE recruitment = :r "
                                                           "AND applicant = :a ORDER BY idx",
                                  soci::use(r), soci::use(a));
    for (long long i : rs) out.push_back(static_cast<std::uint64_t>(i));
    if (out.size() == 1)
      return make_error("unknown_applicant", "applicant",
                        "recruitment '" + r + "' has no applicant '" + a + "'");
    return out;
  } catch (const std::exception& e) {
    return detail::storage_error("finding log entries", e);
  }
}

Result<Store::StoredCheckpoint> Store::latest_checkpoint(std::uint64_t min_size) {
  try {
    StoredCheckpoint c;
    long long size = 0;
    const long long min = static_cast<long long>(min_size);
    impl_->db.sql << "SELECT size, note, verifier_key FROM checkpoints WHERE size >= :m "
                     "ORDER BY size DESC, time DESC LIMIT 1",
        soci::use(min), soci::into(size), soci::into(c.note), soci::into(c.verifier_key);
    if (!impl_->db.sql.got_data())
      return make_error("no_checkpoint", "checkpoint",
                        "no signed checkpoint covers the log" +
                            std::string(min_size ? " up to entry " + detail::str(static_cast<std::int64_t>(min_size) - 1) : "") +
                            ": run `passline audit checkpoint` with the log key");
    c.size = static_cast<std::uint64_t>(size);
    return c;
  } catch (const std::exception& e) {
    return detail::storage_error("reading checkpoints", e);
  }
}

Result<Store::StoredCheckpoint> Store::sign_checkpoint(std::string_view private_pem,
                                                       std::string_view key_name, const Clock& clock) {
  auto vkey = verifier_key_of(private_pem, key_name);
  if (!vkey) return vkey.error();
  detail::Db& db = impl_->db;
  try {
    detail::WriteTransaction tx(db);
    long long size = 0;
    std::string root;
    db.sql << "SELECT size, root FROM log_head WHERE id = 1", soci::into(size), soci::into(root);
    {  // already signed at this size with this key: that one
      StoredCheckpoint c;
      c.size = static_cast<std::uint64_t>(size);
      c.verifier_key = *vkey;
      db.sql << "SELECT note FROM checkpoints WHERE size = :s AND verifier_key = :k", soci::use(size),
          soci::use(*vkey), soci::into(c.note);
      if (db.sql.got_data()) return c;
    }
    Checkpoint cp;
    cp.origin = std::string(key_name);
    cp.tree_size = static_cast<std::uint64_t>(size);
    cp.root = hash_from_hex(root).value_or(Hash{});
    cp.time = clock.now();
    auto note = passline::sign_checkpoint(cp, private_pem, key_name);
    if (!note) return note.error();
    db.sql << "INSERT INTO checkpoints (size, root, time, note, verifier_key) VALUES (:s, :r, :t, :n, :k)",
        soci::use(size), soci::use(root), soci::use(cp.time), soci::use(*note), soci::use(*vkey);
    tx.commit();
    return StoredCheckpoint{cp.tree_size, *note, *vkey};
  } catch (const std::exception& e) {
    return detail::storage_error("signing a checkpoint", e);
  }
}

}  // namespace passline::sql
