// The connection, transactions and bulk statements shared by SQLite and PostgreSQL.
#include "detail/db.h"

#include <sys/statvfs.h>

#include <charconv>
#include <stdexcept>

namespace passline::sql::detail {

std::string str(std::int64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  return std::string(buf, r.ptr);
}

bool run_one(soci::statement& st) {
  if (!st.execute(true)) return false;
  while (st.fetch()) {
  }
  return true;
}

void connect(Db& db) {
  if (!db.postgres()) configure_sqlite_once();
  db.sql.open(db.url.soci_backend, db.url.connect_string);
  if (db.postgres()) {
    db.sql << "SET client_min_messages = warning";
  } else {
    // WAL: readers never block the writer; synchronous=NORMAL keeps every committed
    // transaction through a process crash (SIGKILL), which is the failure tested here.
    std::string mode;
    db.sql << "PRAGMA journal_mode = WAL", soci::into(mode);
    db.sql << "PRAGMA synchronous = NORMAL";
    db.sql << "PRAGMA foreign_keys = ON";
  }
}

WriteTransaction::WriteTransaction(Db& db) : db_(db) {
  if (db_.tx_depth++ > 0) return;  // joins the open transaction
  db_.tx_failed = false;
  try {
    db_.sql << (db_.postgres() ? "BEGIN" : "BEGIN IMMEDIATE");
  } catch (...) {
    --db_.tx_depth;
    throw;
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  if (--db_.tx_depth > 0) {
    db_.tx_failed = true;  // an inner transaction gave up: the outer one must not commit
    return;
  }
  try {
    db_.sql << "ROLLBACK";
  } catch (...) {
    // The connection is gone; the server discards the transaction with it.
  }
}

void WriteTransaction::commit() {
  if (db_.tx_depth > 1) {  // joined: the outer transaction commits
    --db_.tx_depth;
    open_ = false;
    return;
  }
  if (db_.tx_failed) throw std::logic_error("commit of a transaction whose inner part failed");
  db_.sql << "COMMIT";
  --db_.tx_depth;
  open_ = false;
}

BulkInsert::BulkInsert(Db& db, std::string table, std::vector<Column> columns,
                       std::size_t batch_rows)
    : db_(db),
      table_(std::move(table)),
      columns_(std::move(columns)),
      data_(columns_.size()),
      batch_rows_(batch_rows) {
  for (auto& d : data_) d.ind.reserve(batch_rows_);
}

BulkInsert& BulkInsert::text(std::optional<std::string_view> v) {
  Data& d = data_[col_++];
  d.text.emplace_back(v ? std::string(*v) : std::string());
  d.ind.push_back(v ? soci::i_ok : soci::i_null);
  return *this;
}

BulkInsert& BulkInsert::bigint(std::optional<std::int64_t> v) {
  Data& d = data_[col_++];
  d.bigint.push_back(v ? static_cast<long long>(*v) : 0);
  d.ind.push_back(v ? soci::i_ok : soci::i_null);
  return *this;
}

void BulkInsert::end_row() {
  if (col_ != columns_.size()) throw std::logic_error("BulkInsert: row of the wrong width");
  col_ = 0;
  ++rows_;
  if (++pending_ >= batch_rows_) flush();
}

namespace {

// A PostgreSQL array literal: {"a","b",NULL} / {1,2,NULL}.
std::string array_literal(const std::vector<std::string>* text, const std::vector<long long>* ints,
                          const std::vector<soci::indicator>& ind) {
  std::string out = "{";
  for (std::size_t i = 0; i < ind.size(); ++i) {
    if (i) out += ',';
    if (ind[i] == soci::i_null) {
      out += "NULL";
    } else if (ints) {
      out += str((*ints)[i]);
    } else {
      out += '"';
      for (char c : (*text)[i]) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    }
  }
  out += '}';
  return out;
}

}  // namespace

void BulkInsert::flush() {
  if (pending_ == 0) return;
  std::string names;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (c) names += ", ";
    names += columns_[c].name;
  }
  if (db_.postgres()) {
    std::vector<std::string> arrays;
    arrays.reserve(columns_.size());
    std::string q = "INSERT INTO " + table_ + " (" + names + ") SELECT * FROM unnest(";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const bool is_text = columns_[c].type == Type::text;
      arrays.push_back(array_literal(is_text ? &data_[c].text : nullptr,
                                     is_text ? nullptr : &data_[c].bigint, data_[c].ind));
      if (c) q += ", ";
      q += "CAST(:a" + str(static_cast<std::int64_t>(c)) +
           (is_text ? " AS TEXT[])" : " AS BIGINT[])");
    }
    q += ")";
    soci::statement st(db_.sql);
    st.alloc();
    for (auto& a : arrays) st.exchange(soci::use(a));
    st.prepare(q);
    st.define_and_bind();
    st.execute(true);
  } else {
    std::string q = "INSERT INTO " + table_ + " (" + names + ") VALUES (";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (c) q += ", ";
      q += ":a" + str(static_cast<std::int64_t>(c));
    }
    q += ")";
    soci::statement st(db_.sql);
    st.alloc();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c].type == Type::text)
        st.exchange(soci::use(data_[c].text, data_[c].ind));
      else
        st.exchange(soci::use(data_[c].bigint, data_[c].ind));
    }
    st.prepare(q);
    st.define_and_bind();
    st.execute(true);
  }
  for (auto& d : data_) {
    d.text.clear();
    d.bigint.clear();
    d.ind.clear();
  }
  pending_ = 0;
}

Error storage_error(std::string_view doing, const std::exception& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  return make_error("storage", "--db", std::string(doing) + ": " + what);
}

Error storage_error(const Db& db, std::string_view doing, const std::exception& e) {
  Error out = storage_error(doing, e);
  if (db.postgres()) return out;
  // connect_string is "db=PATH timeout=60" (url.cc).
  std::string file = db.url.connect_string;
  constexpr std::string_view kPrefix = "db=", kSuffix = " timeout=60";
  if (file.rfind(kPrefix, 0) != 0) return out;
  file = file.substr(kPrefix.size());
  if (file.size() >= kSuffix.size() &&
      file.compare(file.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0)
    file.resize(file.size() - kSuffix.size());
  std::string dir = file.substr(0, file.find_last_of('/') + 1);
  if (dir.empty()) dir = ".";
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return out;
  // Full: nothing left for an unprivileged writer, or less than one SQLite page (4 KiB).
  if (fs.f_bavail == 0 || static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < 4096)
    out.message = "no space left on device writing " + file + " (" + out.message + ")";
  return out;
}

int applied_schema_version(Db& db) {
  // The bookkeeping table exists once `db init` has run.
  long long n = 0;
  if (db.postgres()) {
    db.sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_name = 'schema_migrations'",
        soci::into(n);
  } else {
    db.sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
              "'schema_migrations'",
        soci::into(n);
  }
  if (n == 0) return 0;
  long long v = 0;
  soci::indicator ind = soci::i_null;
  db.sql << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
  return ind == soci::i_ok ? static_cast<int>(v) : 0;
}

}  // namespace passline::sql::detail
