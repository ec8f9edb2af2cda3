// Schema versions: forward-only migrations embedded from adapters/sql/migrations/NNNN_name.sql.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "detail/db.h"

namespace passline::detail {
const std::vector<std::pair<std::string, std::string>>& sql_migration_files();
}

namespace passline::sql {
namespace {

struct Migration {
  int version;
  std::string name;
  const std::string* text;
};

std::vector<Migration> migrations() {
  std::vector<Migration> out;
  for (const auto& [path, text] : passline::detail::sql_migration_files()) {
    const std::string file = path.substr(path.rfind('/') + 1);  // 0001_initial.sql
    out.push_back({std::stoi(file.substr(0, 4)), file, &text});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

// Statements of a migration file: split at semicolons ending a line; `--` comments dropped.
std::vector<std::string> statements(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (auto c = line.find("--"); c != std::string::npos) line.erase(c);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty()) continue;
    current += line + "\n";
    if (line.back() == ';') {
      current.pop_back();  // newline
      current.pop_back();  // semicolon
      out.push_back(std::move(current));
      current.clear();
    }
  }
  return out;
}

}  // namespace

int latest_schema_version() noexcept {
  static const int latest = [] {
    const auto all = migrations();
    return all.empty() ? 0 : all.back().version;
  }();
  return latest;
}

Error schema_too_new(int found) {
  return make_error("schema_too_new", "--db",
                    "the database has schema version " + detail::str(found) +
                        ", newer than this passline knows (" + detail::str(latest_schema_version()) +
                        "): use a newer passline");
}

Result<int> Store::migrate(std::string_view url) {
  auto parsed = parse_database_url(url);
  if (!parsed) return parsed.error();
  detail::Db db;
  db.url = *parsed;
  try {
    detail::connect(db);
    detail::WriteTransaction tx(db);
    db.sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
    if (db.postgres()) db.sql << "LOCK TABLE schema_migrations IN EXCLUSIVE MODE";
    const int current = detail::applied_schema_version(db);
    if (current > latest_schema_version()) return schema_too_new(current);
    for (const Migration& m : migrations()) {
      if (m.version <= current) continue;
      for (const std::string& s : statements(*m.text)) db.sql << s;
      const std::string now = system_clock().now();
      db.sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(static_cast<long long>(m.version)), soci::use(m.name), soci::use(now);
    }
    tx.commit();
    return latest_schema_version();
  } catch (const std::exception& e) {
    return detail::storage_error("migrating " + db.url.display, e);
  }
}

}  // namespace passline::sql
