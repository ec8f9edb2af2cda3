// The storage suites' fixtures: one test body run over every backend (SOCI's common-tests
// pattern). `sqlite.NAME` runs on a fresh SQLite file; `pg.NAME` on a fresh database of the real
// PostgreSQL server that ctest's postgres fixture started (scripts/pg-test-server.sh).
#pragma once

#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "passline/case.h"
#include "passline/sql/store.h"
#include "support.h"

namespace passline::test {

enum class Backend { sqlite, postgresql };

/// A fresh, empty database, dropped (or deleted) with the object.
class TestDb {
 public:
  explicit TestDb(Backend b) : backend_(b) {
    static std::atomic<int> counter{0};
    const std::string name =
        "passline_t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    if (b == Backend::sqlite) {
      url_ = "sqlite:" + (dir_.path / (name + ".db")).string();
      return;
    }
    const char* file = std::getenv("PASSLINE_TEST_PG_URL_FILE");
    REQUIRE_MESSAGE(file != nullptr,
                    "PASSLINE_TEST_PG_URL_FILE is not set: run the pg.* cases through ctest, whose "
                    "postgres fixture starts the server");
    std::string base = slurp(file);
    while (!base.empty() && (base.back() == '\n' || base.back() == ' ')) base.pop_back();
    REQUIRE_MESSAGE(!base.empty(), "no PostgreSQL URL in " << file);
    admin_url_ = base;
    auto parsed = sql::parse_database_url(base);
    REQUIRE(parsed.ok());
    soci::session admin(parsed->soci_backend, parsed->connect_string);
    admin << "CREATE DATABASE " + name;
    name_ = name;
    url_ = base.substr(0, base.rfind('/') + 1) + name;
  }
  ~TestDb() {
    if (backend_ != Backend::postgresql || name_.empty()) return;
    try {
      auto parsed = sql::parse_database_url(admin_url_);
      soci::session admin(parsed->soci_backend, parsed->connect_string);
      admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    } catch (...) {
    }
  }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_.path; }

  /// The schema created, and a store open on it.
  std::unique_ptr<sql::Store> open_initialised() {
    auto v = sql::Store::migrate(url_);
    REQUIRE_MESSAGE(v.ok(), v.error().message);
    auto s = sql::Store::open(url_);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    return std::move(s).value();
  }

 private:
  Backend backend_;
  TempDir dir_;
  std::string url_, admin_url_, name_;
};

/// A fixed clock for reproducible stored times.
struct FixedClock final : sql::Clock {
  std::string now() const override { return "2026-01-02T03:04:05Z"; }
};

/// A single-stage recruitment of `n` applicants for a Busan agency under kr-innovation-city:
/// applicant i scores 50 + (i × 37 % 50) and is local (Busan university graduate) when i % 4 == 0.
inline Case make_case(const std::string& id, const std::string& agency, const std::string& field,
                      std::int64_t planned, std::size_t n,
                      const std::string& announced = "2022-05-02") {
  Case c;
  c.agency = {agency, Region::busan, 2018};
  c.recruitment = {id, *Date::parse(announced)};
  c.programs.emplace_back(std::string("kr-innovation-city"));
  Unit u;
  u.id = "U1";
  u.field = field;
  u.planned = planned;
  Stage s;
  s.name = "final";
  s.planned = planned;
  s.threshold.min_score = Decimal::from_int(60);
  u.stages.push_back(s);
  for (std::size_t i = 0; i < n; ++i) {
    Applicant a;
    a.id = "A" + std::to_string(100000 + i);
    a.education.push_back({EducationLevel::university, i % 4 == 0 ? Region::busan : Region::seoul,
                           EducationStatus::graduated});
    a.scores.push_back(
        Decimal::from_units(static_cast<std::int64_t>(50 + (i * 37) % 50) * 1'000'000 +
                            static_cast<std::int64_t>(i % 7) * 125'000));
    u.applicants.push_back(std::move(a));
  }
  c.units.push_back(std::move(u));
  return c;
}

}  // namespace passline::test

/// Defines `sqlite.NAME` and `pg.NAME`, both running `static void NAME(Backend)`.
#define STORAGE_TEST(NAME)                                              \
  static void NAME(passline::test::Backend);                            \
  TEST_CASE("sqlite." #NAME) { NAME(passline::test::Backend::sqlite); } \
  TEST_CASE("pg." #NAME) { NAME(passline::test::Backend::postgresql); } \
  static void NAME(passline::test::Backend backend)
