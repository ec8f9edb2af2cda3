// bench_storage [N] [--db URL]: import and decide one recruitment of N applicants (default
// 1,000,000) through the SOCI store, and compare, in the same run:
//   - the store's read of the stored case (what decide reads) with a raw sqlite3 C-API scan of
//     the same rows (applicants, education, scores);
//   - read + engine decide with the raw scan, and with one SQL query using window functions
//     that computes the same single-stage result in SQLite (rank, ties at the cut, local
//     additional passes above the threshold);
//   - the whole Store::decide (read, decide, write every decision, update the ledger, append
//     N + 1 log entries, one transaction), and the log's append rate.
// Without --db it uses a fresh SQLite file in /tmp; with a postgresql:// URL (a fresh
// database) the raw-scan and window-query references are skipped.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "passline/app/recruitments.h"
#include "passline/decision.h"
#include "passline/rule_pack.h"
#include "passline/sql/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  // Reporting only: elapsed wall time is not a decision value.
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

constexpr std::int64_t kPlanned = 10000;

passline::Case generate(std::size_t n) {
  using namespace passline;
  std::mt19937_64 rng(42);
  Case c;
  c.agency = {"AG-BENCH", Region::busan, 2018};
  c.recruitment = {"BENCH-" + std::to_string(n), *Date::parse("2022-03-02")};
  c.programs.emplace_back(std::string("kr-innovation-city"));
  Unit u;
  u.id = "U1";
  u.field = "office";
  u.planned = kPlanned;
  Stage s;
  s.name = "written";
  s.planned = kPlanned;
  s.threshold.min_score = Decimal::from_int(60);
  u.stages.push_back(s);
  u.applicants.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Applicant a;
    char id[32];
    std::snprintf(id, sizeof id, "A%08zu", i);
    a.id = id;
    const bool local = rng() % 5 == 0;
    a.education.push_back({EducationLevel::university, local ? Region::busan : Region::seoul,
                           EducationStatus::graduated});
    a.scores.push_back(Decimal::from_units(static_cast<std::int64_t>(rng() % 100'00) * 10'000));
    u.applicants.push_back(std::move(a));
  }
  c.units.push_back(std::move(u));
  return c;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// The rows decide reads, scanned with the raw sqlite3 C API: every column touched.
double raw_scan(const std::string& path, const std::string& rid, long long& checksum) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const auto t0 = Clock::now();
  for (const char* q : {"SELECT unit_ord, id, attributes FROM applicants WHERE recruitment = ? "
                        "ORDER BY unit_ord, ord",
                        "SELECT unit_ord, applicant_ord, level, region, status FROM education "
                        "WHERE recruitment = ? "
                        "ORDER BY unit_ord, applicant_ord, ord",
                        "SELECT unit_ord, applicant_ord, stage_ord, score, disqualified FROM "
                        "scores WHERE recruitment = ?"}) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, q, -1, &st, nullptr);
    sqlite3_bind_text(st, 1, rid.c_str(), -1, SQLITE_TRANSIENT);
    const int cols = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < cols; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
          checksum += sqlite3_column_int64(st, c);
        else if (const unsigned char* t = sqlite3_column_text(st, c))
          checksum += t[0] + sqlite3_column_bytes(st, c);
      }
    }
    sqlite3_finalize(st);
  }
  const double s = seconds_since(t0);
  sqlite3_close(db);
  return s;
}

// The single-stage result in one SQL statement with window functions.
double window_query(const std::string& path, const std::string& rid, long long& regular,
                    long long& added) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const char* q =
      "WITH s AS (SELECT sc.applicant_ord AS a, sc.score AS score, "
      "  EXISTS (SELECT 1 FROM education e WHERE e.recruitment = sc.recruitment AND e.unit_ord = "
      "sc.unit_ord "
      "          AND e.applicant_ord = sc.applicant_ord AND e.region = 'busan' AND e.level <> "
      "'graduate') AS local "
      "  FROM scores sc WHERE sc.recruitment = ?1 AND sc.stage_ord = 0 AND sc.score IS NOT NULL "
      "AND sc.disqualified = 0), "
      "r AS (SELECT a, score, local, RANK() OVER (ORDER BY score DESC) AS rk FROM s), "
      "c AS (SELECT MIN(score) AS cut FROM r WHERE rk <= ?2), "
      "reg AS (SELECT r.a, r.local FROM r, c WHERE r.score >= c.cut), "
      "need AS (SELECT MAX(0, ?3 - (SELECT COUNT(*) FROM reg WHERE local)) AS n), "
      "cand AS (SELECT r.a, ROW_NUMBER() OVER (ORDER BY r.score DESC, r.a) AS k FROM r, c "
      "         WHERE r.score < c.cut AND r.local AND r.score >= ?4) "
      "SELECT (SELECT COUNT(*) FROM reg), (SELECT COUNT(*) FROM cand, need WHERE cand.k <= need.n)";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, q, -1, &st, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "window query: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_bind_text(st, 1, rid.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, kPlanned);
  sqlite3_bind_int64(st, 3, kPlanned * 3 / 10);  // 30% of planned (2022), ceil of an integer
  sqlite3_bind_int64(st, 4, 60'000'000);         // the threshold, in millionths
  const auto t0 = Clock::now();
  if (sqlite3_step(st) == SQLITE_ROW) {
    regular = sqlite3_column_int64(st, 0);
    added = sqlite3_column_int64(st, 1);
  }
  const double s = seconds_since(t0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1'000'000;
  std::string url;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc)
      url = argv[++i];
    else
      n = std::strtoull(argv[i], nullptr, 10);
  }
  std::string path;
  if (url.empty()) {
    path = "/tmp/passline-bench-storage-" + std::to_string(::getpid()) + ".db";
    url = "sqlite:" + path;
  }
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  if (sqlite && path.empty()) path = url.substr(7);

  const passline::Case c = generate(n);
  if (auto m = passline::sql::Store::migrate(url); !m) {
    std::fprintf(stderr, "%s\n", m.error().message.c_str());
    return 1;
  }
  auto opened = passline::sql::Store::open(url);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  auto& store = **opened;
  const std::string& rid = c.recruitment.id;

  auto t0 = Clock::now();
  auto imported = passline::app::import_case(store, c);
  const double t_import = seconds_since(t0);
  if (!imported) {
    std::fprintf(stderr, "import: %s\n", imported.error().message.c_str());
    return 1;
  }

  // Each reference and measurement: best of 3.
  double t_raw = 1e9, t_read = 1e9, t_decide = 1e9, t_window = 1e9;
  long long checksum = 0, regular = 0, added = 0;
  for (int round = 0; round < 3; ++round) {
    if (sqlite) t_raw = std::min(t_raw, raw_scan(path, rid, checksum));
    t0 = Clock::now();
    auto loaded = passline::app::load_case(store, rid);
    t_read = std::min(t_read, seconds_since(t0));
    if (!loaded) {
      std::fprintf(stderr, "read: %s\n", loaded.error().message.c_str());
      return 1;
    }
    t0 = Clock::now();
    auto d = passline::decide(*loaded, passline::bundled_rules());
    t_decide = std::min(t_decide, seconds_since(t0));
    if (!d) return 1;
    if (sqlite) t_window = std::min(t_window, window_query(path, rid, regular, added));
  }
  t0 = Clock::now();
  auto decided = passline::app::decide(store, rid, passline::bundled_rules());
  const double t_store_decide = seconds_since(t0);
  if (!decided) {
    std::fprintf(stderr, "decide: %s\n", decided.error().message.c_str());
    return 1;
  }

  std::printf("bench_storage: %zu applicants, 1 stage, planned %lld, on %s\n", n,
              static_cast<long long>(kPlanned), store.url().display.c_str());
  std::printf("  import (validate + bulk insert, one transaction)  %8.3f s  (%.0f applicants/s)\n",
              t_import, static_cast<double>(n) / t_import);
  if (sqlite) std::printf("  raw sqlite3 C-API scan of the same rows (reference) %6.3f s\n", t_raw);
  std::printf("  store read of the case (SOCI)                      %8.3f s", t_read);
  if (sqlite) std::printf("  = %.2fx the raw scan", t_read / t_raw);
  std::printf("\n  engine decide of the read case                     %8.3f s\n", t_decide);
  std::printf("  read + decide                                      %8.3f s", t_read + t_decide);
  if (sqlite) std::printf("  = %.2fx the raw scan (goal <= 2x)", (t_read + t_decide) / t_raw);
  std::printf("\n");
  if (sqlite)
    std::printf(
        "  SQL window-function query, same single stage       %8.3f s  = %.2fx the raw scan; read "
        "+ decide is %.2fx faster\n",
        t_window, t_window / t_raw, t_window / (t_read + t_decide));
  std::printf(
      "  Store::decide (read, decide, write %zu decisions and %zu log entries, ledger; one "
      "transaction) %.3f s"
      "  = %.0f log entries/s appended with everything else\n",
      n, n + 1, t_store_decide, static_cast<double>(n + 1) / t_store_decide);
  std::printf("  hires %lld", static_cast<long long>(decided->hires));
  if (sqlite) std::printf(" (window query: %lld regular + %lld added)", regular, added);
  std::printf("; peak RSS %ld MiB\n", peak_rss_kib() / 1024);
  if (!path.empty() && url == "sqlite:" + path &&
      path.rfind("/tmp/passline-bench-storage-", 0) == 0) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  }
  (void)checksum;
  return 0;
}
