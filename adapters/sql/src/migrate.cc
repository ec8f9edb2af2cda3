// Schema versions: forward-only migrations embedded from adapters/sql/migrations/NNNN_name.sql.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "detail/audit_log.h"
#include "detail/db.h"
#include "detail/rows.h"

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

// Version 5's data step: copies the decisions of earlier versions into the new columns (each
// stage outcome a row of stage_outcomes; cut and threshold as millionths). Version 6 then drops
// the old columns. The old outcome text is "outcome[:program],..." per stage, in stage order.
void copy_decision_columns(detail::Db& db) {
  detail::BulkInsert out = detail::stage_outcome_rows(db);
  {
    soci::rowset<soci::row> rs = (db.sql.prepare << "SELECT recruitment, unit_ord, applicant_ord, "
                                                    "outcomes FROM decisions");
    for (const soci::row& r : rs) {
      const std::string text = r.get<std::string>(3);
      std::string_view rest = text;
      for (long long s = 0; !rest.empty(); ++s) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        std::optional<std::int64_t> program;
        if (auto colon = item.find(':'); colon != std::string_view::npos) {
          program = std::stoll(std::string(item.substr(colon + 1)));
          item = item.substr(0, colon);
        }
        if (item == "not_reached") break;
        out.text(r.get<std::string>(0))
            .bigint(r.get<long long>(1))
            .bigint(r.get<long long>(2))
            .bigint(s)
            .text(item)
            .bigint(program)
            .end_row();
      }
    }
  }
  out.flush();
  struct StageRow {
    std::string recruitment;
    long long unit, ord;
    std::optional<Decimal> cut, threshold;
  };
  std::vector<StageRow> stages;
  soci::rowset<soci::row> rs =
      (db.sql.prepare << "SELECT recruitment, unit_ord, ord, cut, "
                         "threshold FROM stages WHERE considered IS NOT NULL");
  for (const soci::row& r : rs) {
    StageRow& s = stages.emplace_back();
    s.recruitment = r.get<std::string>(0);
    s.unit = r.get<long long>(1);
    s.ord = r.get<long long>(2);
    // A negative threshold was stored as text that does not parse: it stays unknown (null).
    if (r.get_indicator(3) == soci::i_ok) s.cut = Decimal::parse(r.get<std::string>(3));
    if (r.get_indicator(4) == soci::i_ok) s.threshold = Decimal::parse(r.get<std::string>(4));
  }
  for (const StageRow& s : stages) {
    const long long cut = s.cut ? s.cut->units() : 0, thr = s.threshold ? s.threshold->units() : 0;
    soci::indicator cut_i = s.cut ? soci::i_ok : soci::i_null;
    soci::indicator thr_i = s.threshold ? soci::i_ok : soci::i_null;
    db.sql << "UPDATE stages SET cut_millionths = :c, threshold_millionths = :t WHERE "
              "recruitment = :r AND unit_ord = :u AND ord = :o",
        soci::use(cut, cut_i), soci::use(thr, thr_i), soci::use(s.recruitment), soci::use(s.unit),
        soci::use(s.ord);
  }
}

// Version 9's data step: a quota-case/2 recruitment decided before it kept each unit's claim per
// program and each program's source only in its log header (passline-log/2: `programs[i].source`
// in decided_programs' order, `units[u].exempt` as program id → claim or null), written in the
// transaction that decided it. Copies them into unit_programs.exempt and decided_programs.source.
void copy_decision_claims(detail::Db& db) {
  std::vector<std::pair<std::string, std::string>> headers;  // recruitment, entry
  {
    soci::rowset<soci::row> rs =
        (db.sql.prepare << "SELECT l.recruitment, l.entry FROM log_entries l JOIN recruitments r "
                           "ON r.id = l.recruitment WHERE l.unit IS NULL AND r.state = 'decided' "
                           "AND r.document IS NOT NULL ORDER BY l.idx");
    for (const soci::row& r : rs)
      headers.emplace_back(r.get<std::string>(0), r.get<std::string>(1));
  }
  for (const auto& [rid, entry] : headers) {
    const nlohmann::json h = nlohmann::json::parse(entry);
    // passline-log/3 has the /2 header (with `input`) for a quota-case/2 (log.h).
    const std::string format = h.value("format", "");
    if (format != "passline-log/2" && !(format == "passline-log/3" && h.contains("input")))
      continue;
    const nlohmann::json& programs = h.at("programs");
    for (std::size_t p = 0; p < programs.size(); ++p) {
      const std::string source = programs[p].at("source").get<std::string>();
      const auto ord = static_cast<long long>(p);
      db.sql << "UPDATE decided_programs SET source = :s WHERE recruitment = :r AND ord = :o",
          soci::use(source), soci::use(rid), soci::use(ord);
    }
    const nlohmann::json& units = h.at("units");
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t p = 0; p < programs.size(); ++p) {
        const nlohmann::json& claim =
            units[u].at("exempt").at(programs[p].at("program").get<std::string>());
        if (!claim.is_string()) continue;  // null: no claim held
        const std::string text = claim.get<std::string>();
        const auto uo = static_cast<long long>(u), po = static_cast<long long>(p);
        db.sql << "UPDATE unit_programs SET exempt = :e WHERE recruitment = :r AND unit_ord = :u "
                  "AND program_ord = :p",
            soci::use(text), soci::use(rid), soci::use(uo), soci::use(po);
      }
  }
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
                        ", newer than this passline knows (" +
                        detail::str(latest_schema_version()) + "): use a newer passline");
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
      if (m.version == 5) copy_decision_columns(db);
      if (m.version == 9) copy_decision_claims(db);
      if (m.version == 10) {
        detail::backfill_log_tiles(db);
        // Decisions pages read applicants by (unit, id) in bytewise order (the document's):
        // PostgreSQL's default collation is not bytewise, so its index names "C".
        db.sql << std::string(
                      "CREATE INDEX applicants_unit_id ON applicants (recruitment, "
                      "unit_ord, id") +
                      (db.postgres() ? " COLLATE \"C\")" : ")");
      }
      if (m.version == 11) detail::backfill_year_figures(db);
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
