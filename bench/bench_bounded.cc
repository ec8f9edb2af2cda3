// bench_bounded [pages N] [proofs M]: what one request costs on a big store (issue 12).
//
//   pages N   a decided recruitment of N applicants (one unit, one stage; rows written directly
//             with the sqlite3 C API, as app::decide would store them), then a page of 100
//             through app::decision_page (the keyset read behind GET …/decisions?page_size=100)
//             at the start, the middle and the end; the reference, in the same run, is the
//             raw sqlite3 read of the same 100 rows (the same join, prepared each time). Then,
//             once, the whole document streamed from keyset pages (app::write_stored_decision,
//             what GET …/decisions serves) and what 0.2 did for any page and for the whole
//             document: app::load_decision and decision_to_json.
//   proofs M  a log of M entries (380-byte entries, written directly with the sqlite3 C API),
//             its tiles built by `passline db migrate` (migration 0010's backfill, timed), then
//             app::prove_inclusion / prove_consistency at several indices; the references are
//             a raw sqlite3 read of one log row by index, and (when M <= 2,000,000) 0.2's way:
//             every leaf hash read and the proof computed from them.
// Memory: the heap in use (mallinfo2) before and after each call, and the growth of the
// process's peak resident set across it.
#include <malloc.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "passline/app/audit.h"
#include "passline/app/recruitments.h"
#include "passline/json.h"
#include "passline/merkle.h"
#include "passline/sql/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void exec(sqlite3* db, const char* sql) {
  check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

/// A prepared statement run once per row.
struct Insert {
  sqlite3* db;
  sqlite3_stmt* st = nullptr;
  Insert(sqlite3* d, const char* sql) : db(d) {
    check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, sql);
  }
  ~Insert() { sqlite3_finalize(st); }
  Insert& i(int col, long long v) {
    sqlite3_bind_int64(st, col, v);
    return *this;
  }
  Insert& t(int col, const std::string& v) {
    sqlite3_bind_text(st, col, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  void run() {
    check(sqlite3_step(st), db, "insert");
    sqlite3_reset(st);
  }
};

std::string fresh_db(const std::string& name) {
  const std::string path = "/tmp/bench_bounded_" + name + "_" + std::to_string(::getpid()) + ".db";
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  auto v = passline::sql::Store::migrate("sqlite:" + path);
  if (!v) {
    std::fprintf(stderr, "migrate: %s\n", v.error().message.c_str());
    std::exit(1);
  }
  return path;
}

template <class F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, ms_since(t0));
  }
  return best;
}

void pages(std::size_t n) {
  const std::string path = fresh_db("pages");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const auto t0 = Clock::now();
  exec(db, "BEGIN");
  exec(db, "INSERT INTO agencies (code, region, designated) VALUES ('AG-BENCH', 'busan', 2018)");
  exec(db,
       "INSERT INTO recruitments (id, agency, announced, year, programs, state, applicants, "
       "imported_at, decided_at, engine_version) VALUES ('R', 'AG-BENCH', '2022-03-02', 2022, "
       "'[\"kr-innovation-city\"]', 'decided', 0, '2026-01-01T00:00:00Z', "
       "'2026-01-01T00:00:00Z', 'bench')");
  exec(db,
       "INSERT INTO units (recruitment, ord, id, field, planned, exemptions, requires_experience, "
       "hires) VALUES ('R', 0, 'U1', 'office', 10000, '[]', 0, 10000)");
  exec(db,
       "INSERT INTO stages (recruitment, unit_ord, ord, name, planned, considered, passed) "
       "VALUES ('R', 0, 0, 'written', 10000, 0, 10000)");
  exec(db,
       "INSERT INTO decided_programs (recruitment, ord, program, ratio, scope, min_planned, "
       "pack_version, pack_digest) VALUES ('R', 0, 'kr-innovation-city', '0.3', 'stage', 0, "
       "'2018-01-25', '')");
  {
    Insert a(db, "INSERT INTO applicants (recruitment, unit_ord, ord, id) VALUES ('R', 0, ?, ?)");
    Insert d(db,
             "INSERT INTO decisions (recruitment, unit_ord, applicant_ord, local_mask) VALUES "
             "('R', 0, ?, ?)");
    Insert o(db,
             "INSERT INTO stage_outcomes (recruitment, unit_ord, applicant_ord, stage_ord, "
             "outcome) VALUES ('R', 0, ?, 0, ?)");
    const std::string pass = "pass_rank", fail = "fail_below_cut";
    for (std::size_t i = 0; i < n; ++i) {
      char id[32];
      // Ids in an order unrelated to the applicant's ordinal, as real ids are.
      std::snprintf(id, sizeof id, "A%08zu", (i * 7919) % n);
      a.i(1, static_cast<long long>(i)).t(2, id).run();
      d.i(1, static_cast<long long>(i)).i(2, i % 5 == 0).run();
      o.i(1, static_cast<long long>(i)).t(2, i % 100 == 0 ? pass : fail).run();
    }
  }
  exec(db, "COMMIT");
  std::printf("pages: %zu applicants written directly in %.1f s\n", n, ms_since(t0) / 1000);

  auto store = passline::sql::Store::open("sqlite:" + path);
  if (!store) std::exit(1);
  struct At {
    const char* name;
    std::optional<passline::app::PagePosition> after;
  };
  char mid[32], end[32];
  std::snprintf(mid, sizeof mid, "A%08zu", n / 2);
  std::snprintf(end, sizeof end, "A%08zu", n - 50);
  const std::vector<At> ats = {{"first page", std::nullopt},
                               {"middle page", passline::app::PagePosition{0, mid}},
                               {"last page", passline::app::PagePosition{0, end}}};
  // The reference: the same 100 rows through the raw C API.
  sqlite3* ro = nullptr;
  sqlite3_open_v2(path.c_str(), &ro, SQLITE_OPEN_READONLY, nullptr);
  for (const At& at : ats) {
    passline::app::DecisionPageQuery q;
    q.after = at.after;
    q.limit = 101;
    std::size_t got = 0;
    const std::size_t heap0 = heap_in_use();
    std::size_t heap_peak = heap0;
    const long rss0 = peak_rss_kib();
    const double page_ms = best_of(5, [&] {
      auto p = passline::app::decision_page(**store, "R", q);
      if (!p) {
        std::fprintf(stderr, "page: %s\n", p.error().message.c_str());
        std::exit(1);
      }
      heap_peak = std::max(heap_peak, heap_in_use());
      got = p->applicants.size();
    });
    const long rss1 = peak_rss_kib();
    std::size_t raw_rows = 0;
    const std::string after = at.after ? at.after->applicant : "";
    const double raw_ms = best_of(5, [&] {
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(ro,
                         "SELECT a.unit_ord, a.ord, a.id, d.local_mask, o.stage_ord, o.outcome, "
                         "o.program_ord FROM applicants a JOIN decisions d ON d.recruitment = "
                         "a.recruitment AND d.unit_ord = a.unit_ord AND d.applicant_ord = a.ord "
                         "JOIN stage_outcomes o ON o.recruitment = a.recruitment AND o.unit_ord "
                         "= a.unit_ord AND o.applicant_ord = a.ord WHERE a.recruitment = 'R' AND "
                         "a.unit_ord = 0 AND a.id > ? ORDER BY a.id LIMIT 101",
                         -1, &st, nullptr);
      sqlite3_bind_text(st, 1, after.c_str(), -1, SQLITE_TRANSIENT);
      raw_rows = 0;
      while (sqlite3_step(st) == SQLITE_ROW) ++raw_rows;
      sqlite3_finalize(st);
    });
    std::printf(
        "  %-11s app::decision_page %3zu rows %.3f ms (heap +%zu KiB at most, peak RSS +%ld KiB)"
        "   raw sqlite3 %3zu rows %.3f ms   ratio %.2fx\n",
        at.name, got, page_ms, (heap_peak - heap0) / 1024, rss1 - rss0, raw_rows, raw_ms,
        page_ms / raw_ms);
  }
  sqlite3_close(ro);
  // The whole document as GET …/decisions now serves it: the figures, then the applicants in
  // keyset pages of 1,000 written to a sink (here one that counts). Before 0.2's way below,
  // since the peak resident set only grows.
  {
    const long rss_s = peak_rss_kib();
    const auto ts = Clock::now();
    auto figures = passline::app::decision_units(**store, "R");
    if (!figures) {
      std::fprintf(stderr, "decision_units: %s\n", figures.error().message.c_str());
      std::exit(1);
    }
    std::size_t streamed = 0;
    auto ok = passline::app::write_stored_decision(**store, *figures, [&](std::string_view piece) {
      streamed += piece.size();
    });
    if (!ok) {
      std::fprintf(stderr, "write_stored_decision: %s\n", ok.error().message.c_str());
      std::exit(1);
    }
    std::printf(
        "  whole document streamed from pages of 1,000 (%zu bytes) %.0f ms, peak RSS +%ld KiB\n",
        streamed, ms_since(ts), peak_rss_kib() - rss_s);
  }
  // What 0.2 did for every page: the whole decision read and printed.
  const long rss0 = peak_rss_kib();
  const auto t1 = Clock::now();
  auto d = passline::app::load_decision(**store, "R");
  if (!d) {
    std::fprintf(stderr, "load_decision: %s\n", d.error().message.c_str());
    std::exit(1);
  }
  const std::size_t bytes = passline::decision_to_json(d->input, d->decision).size();
  std::printf(
      "  0.2's page: load_decision + the whole document (%zu bytes) %.0f ms, peak RSS +%ld KiB\n",
      bytes, ms_since(t1), peak_rss_kib() - rss0);
  sqlite3_close(db);
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
}

void proofs(std::size_t m) {
  const std::string path = fresh_db("proofs");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "PRAGMA synchronous = OFF");
  const auto t0 = Clock::now();
  exec(db, "BEGIN");
  passline::CompactRange range;
  std::string prev(64, '0');
  {
    Insert e(db,
             "INSERT INTO log_entries (idx, recruitment, unit, applicant, entry, leaf_hash) "
             "VALUES (?, 'R', 'U1', ?, ?, ?)");
    std::string entry;
    for (std::size_t i = 0; i < m; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "A%09zu", i);
      entry = "{\"applicant\":\"" + std::string(id) + "\",\"log_index\":" + std::to_string(i) +
              ",\"prev\":\"" + prev + "\",\"type\":\"applicant\",\"filler\":\"";
      entry.append(380 - std::min<std::size_t>(380, entry.size() + 2), 'x');
      entry += "\"}";
      const passline::Hash h = passline::leaf_hash(entry);
      range.append(h);
      prev = passline::to_hex(h);
      e.i(1, static_cast<long long>(i)).t(2, id).t(3, entry).t(4, prev).run();
    }
  }
  std::string hashes;
  for (const passline::Hash& h : range.hashes())
    hashes += (hashes.empty() ? "" : ",") + passline::to_hex(h);
  {
    Insert head(db,
                "UPDATE log_head SET size = ?, prev = ?, compact_range = ?, root = ? WHERE id = 1");
    head.i(1, static_cast<long long>(m))
        .t(2, prev)
        .t(3, hashes)
        .t(4, passline::to_hex(range.root()))
        .run();
  }
  // As a log written before version 10: no tiles; `passline db migrate` builds them.
  exec(db, "DROP INDEX applicants_unit_id");
  exec(db, "DROP TABLE log_tiles");
  for (const char* t : {"year_program_reasons", "year_program_figures", "year_figures"})
    exec(db, (std::string("DROP TABLE ") + t).c_str());  // and schema 11's
  exec(db, "DROP TABLE witness_cosignatures");           // and schema 12's
  for (const char* t : {"log_retention", "log_openings"})
    exec(db, (std::string("DROP TABLE ") + t).c_str());  // and schema 13's
  exec(db, "DELETE FROM schema_migrations WHERE version >= 10");
  exec(db, "COMMIT");
  sqlite3_close(db);
  std::printf("proofs: %zu entries written directly in %.1f s\n", m, ms_since(t0) / 1000);
  const auto t1 = Clock::now();
  auto v = passline::sql::Store::migrate("sqlite:" + path);
  if (!v) {
    std::fprintf(stderr, "migrate: %s\n", v.error().message.c_str());
    std::exit(1);
  }
  std::printf("  migration 0010 (tiles of the whole log) %.1f s\n", ms_since(t1) / 1000);
  auto store = passline::sql::Store::open("sqlite:" + path);
  if (!store) std::exit(1);
  sqlite3* ro = nullptr;
  sqlite3_open_v2(path.c_str(), &ro, SQLITE_OPEN_READONLY, nullptr);
  for (std::uint64_t index : {std::uint64_t{0}, std::uint64_t{m / 3}, std::uint64_t{m - 1}}) {
    const std::size_t heap0 = heap_in_use();
    std::size_t heap_peak = heap0;
    passline::Hash root{};
    const double ms = best_of(5, [&] {
      auto p = passline::app::prove_inclusion(**store, index, m);
      if (!p) {
        std::fprintf(stderr, "prove: %s\n", p.error().message.c_str());
        std::exit(1);
      }
      heap_peak = std::max(heap_peak, heap_in_use());
      if (!passline::verify_inclusion(index, m, p->leaf_hash, p->proof, p->root)) std::exit(2);
      root = p->root;
    });
    if (root != range.root()) std::exit(3);
    const double cms = best_of(5, [&] {
      auto c = passline::app::prove_consistency(**store, index + 1, m);
      if (!c ||
          !passline::verify_consistency(index + 1, m, c->first_root, c->second_root, c->proof))
        std::exit(4);
    });
    const double raw = best_of(5, [&] {
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(ro, "SELECT leaf_hash FROM log_entries WHERE idx = ?", -1, &st, nullptr);
      sqlite3_bind_int64(st, 1, static_cast<long long>(index));
      sqlite3_step(st);
      sqlite3_finalize(st);
    });
    std::printf(
        "  index %10llu: inclusion %.3f ms (heap +%zu KiB at most), consistency %llu..%zu %.3f "
        "ms; raw sqlite3 read of one row %.3f ms (inclusion %.1fx of it)\n",
        static_cast<unsigned long long>(index), ms, (heap_peak - heap0) / 1024,
        static_cast<unsigned long long>(index + 1), m, cms, raw, ms / raw);
  }
  sqlite3_close(ro);
  if (m <= 2'000'000) {
    const auto t2 = Clock::now();
    auto leaves = (*store)->leaf_hashes(m);
    if (!leaves) std::exit(1);
    const auto proof =
        passline::inclusion_proof(m / 3, m, std::span<const passline::Hash>(*leaves));
    std::printf("  0.2's inclusion proof (every leaf hash read): %.0f ms\n", ms_since(t2));
  }
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string what = argv[i];
    const std::size_t n = std::stoull(argv[i + 1]);
    if (what == "pages")
      pages(n);
    else if (what == "proofs")
      proofs(n);
    else {
      std::fprintf(stderr, "usage: bench_bounded [pages N] [proofs M]\n");
      return 64;
    }
  }
  return 0;
}
