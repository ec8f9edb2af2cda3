// bench_decide N: decide one unit of N applicants through three stages, and compare the time
// with std::sort of N (int64 score, id) pairs measured in the same run.
//
// The unit is generated with a fixed seed: a Busan agency (kr-innovation-city, 2022: 30%),
// stages document (planned N/4), written (N/20) and interview (N/100), scores with two
// decimals, about a fifth of the applicants local. Peak memory is the process's peak resident
// set (getrusage), divided by N.
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "passline/decision.h"
#include "passline/rule_pack.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  // Reporting only: elapsed wall time is not a decision value.
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

passline::Case generate(std::size_t n, std::uint64_t seed) {
  using namespace passline;
  std::mt19937_64 rng(seed);
  Case c;
  c.agency = {"AG-BUSAN-BENCH", Region::busan, 2018};
  c.recruitment = {"BENCH-" + std::to_string(n), *Date::parse("2022-03-02")};
  c.programs.emplace_back(std::string("kr-innovation-city"));
  Unit u;
  u.id = "U1";
  u.field = "office";
  const auto at_least_1 = [](std::size_t v) {
    return static_cast<std::int64_t>(std::max<std::size_t>(v, 1));
  };
  u.planned = at_least_1(n / 100);
  u.stages = {{"document", at_least_1(n / 4), {Decimal::from_int(60), std::nullopt}},
              {"written", at_least_1(n / 20), {Decimal::from_int(60), std::nullopt}},
              {"interview", u.planned, {Decimal::from_int(70), std::nullopt}}};
  u.applicants.resize(n);
  static constexpr Region kOther[] = {Region::seoul, Region::gyeonggi, Region::daegu,
                                      Region::gwangju, Region::incheon};
  char id[24];
  for (std::size_t i = 0; i < n; ++i) {
    Applicant& a = u.applicants[i];
    std::snprintf(id, sizeof id, "A%08zu", i);
    a.id = id;
    const bool local = rng() % 5 == 0;
    const Region region = local ? Region::busan : kOther[rng() % 5];
    a.education.push_back({EducationLevel::high_school, rng() % 2 ? region : Region::seoul,
                           EducationStatus::graduated});
    a.education.push_back({EducationLevel::university, region, EducationStatus::graduated});
    a.scores.resize(3);
    for (auto& s : a.scores)
      s = Decimal::from_units(static_cast<std::int64_t>(rng() % 10001) * 10'000);
    if (rng() % 200 == 0) a.scores[1].reset();  // absent from the written exam
  }
  c.units.push_back(std::move(u));
  return c;
}

/// Current resident set in bytes, from /proc/self/statm (Linux).
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * 4096.0;
}

double reference_sort(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<std::int64_t, std::uint32_t>> keys(n);
  for (std::size_t i = 0; i < n; ++i)
    keys[i] = {static_cast<std::int64_t>(rng() % 10001) * 10'000, static_cast<std::uint32_t>(i)};
  const auto t0 = Clock::now();
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const double t = seconds_since(t0);
  if (keys.front().first < keys.back().first) std::abort();  // keep the sort observable
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  if (n == 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: bench_decide N [ROUNDS]\n");
    return 64;
  }
  const passline::RuleRegistry& rules = passline::bundled_rules();
  double best_sort = 1e300, best_decide = 1e300;
  for (int r = 0; r < rounds; ++r) best_sort = std::min(best_sort, reference_sort(n, 42 + r));

  const double before_case = resident_bytes();
  const passline::Case c = generate(n, 42);
  const double case_bytes = resident_bytes() - before_case;
  std::int64_t hires = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    auto d = passline::decide(c, rules);
    const double t = seconds_since(t0);
    if (!d.ok()) {
      std::fprintf(stderr, "decide failed: %s at %s\n", d.error().code.c_str(),
                   d.error().path.c_str());
      return 1;
    }
    hires = d->units[0].hires;
    best_decide = std::min(best_decide, t);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double peak_bytes = static_cast<double>(ru.ru_maxrss) * 1024.0;
  std::printf("bench_decide N=%zu rounds=%d (best of each)\n", n, rounds);
  std::printf("  std::sort of N (int64, id) pairs: %.3f s\n", best_sort);
  std::printf("  decide (3 stages):                %.3f s  (%.2fx the sort; goal <= 3x)\n",
              best_decide, best_decide / best_sort);
  std::printf("  hires: %lld\n", static_cast<long long>(hires));
  std::printf("  peak RSS: %.1f MiB = %.0f bytes per applicant (goal <= 300)\n",
              peak_bytes / (1024.0 * 1024.0), peak_bytes / static_cast<double>(n));
  std::printf("    of which the case itself: %.0f bytes per applicant\n",
              case_bytes / static_cast<double>(n));
  return 0;
}
