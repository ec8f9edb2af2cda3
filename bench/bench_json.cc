// bench_json N: the JSON path of the CLI and of later services — parse a quota-case/1 text of
// one unit with N applicants, decide it, write the decision — against nlohmann::json::parse of
// the same text (a bare JSON parse, no validation) measured in the same run.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {  // reporting only
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string generate(std::size_t n) {
  std::mt19937_64 rng(7);
  static const char* kRegions[] = {"busan", "seoul", "gyeonggi", "daegu", "busan"};
  std::string s =
      R"({"format":"quota-case/1","agency":{"code":"AG","region":"busan","designated":2018},)"
      R"("recruitment":{"id":"BENCH","announced":"2022-03-02"},"programs":["kr-innovation-city"],)"
      R"("units":[{"id":"U","field":"office","planned":)" +
      std::to_string(std::max<std::size_t>(n / 100, 1)) +
      R"(,"stages":[{"name":"written","planned":)" +
      std::to_string(std::max<std::size_t>(n / 10, 1)) +
      R"(,"threshold":{"min_score":"60"}},{"name":"interview","planned":)" +
      std::to_string(std::max<std::size_t>(n / 100, 1)) +
      R"(,"threshold":{"min_score":"70"}}],"applicants":[)";
  char buf[320];
  for (std::size_t i = 0; i < n; ++i) {
    const char* region = kRegions[rng() % 5];
    std::snprintf(
        buf, sizeof buf,
        R"(%s{"id":"A%08zu","education":[{"level":"high_school","region":"%s","status":"graduated"},)"
        R"({"level":"university","region":"%s","status":"graduated"}],)"
        R"("scores":{"written":"%llu.%02llu","interview":"%llu"}})",
        i ? "," : "", i, kRegions[rng() % 5], region, static_cast<unsigned long long>(rng() % 100),
        static_cast<unsigned long long>(rng() % 100), static_cast<unsigned long long>(rng() % 101));
    s += buf;
  }
  s += "]}]}";
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  if (n == 0) {
    std::fprintf(stderr, "usage: bench_json N\n");
    return 64;
  }
  const std::string text = generate(n);
  double t_ref = 0;
  {
    const auto t0 = Clock::now();
    auto doc = nlohmann::json::parse(text);
    t_ref = seconds_since(t0);
    if (!doc.is_object()) return 1;
  }
  auto t0 = Clock::now();
  auto c = passline::parse_case_json(text);
  const double t_parse = seconds_since(t0);
  if (!c.ok()) {
    std::fprintf(stderr, "parse failed: %s at %s\n", c.error().code.c_str(),
                 c.error().path.c_str());
    return 1;
  }
  t0 = Clock::now();
  auto d = passline::decide(*c, passline::bundled_rules());
  const double t_decide = seconds_since(t0);
  if (!d.ok()) return 1;
  std::size_t bytes = 0;
  t0 = Clock::now();
  passline::write_decision_json(*c, *d, [&](std::string_view piece) { bytes += piece.size(); });
  const double t_write = seconds_since(t0);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("bench_json N=%zu, case text %.1f MiB, decision %.1f MiB\n", n,
              static_cast<double>(text.size()) / 1048576.0, static_cast<double>(bytes) / 1048576.0);
  std::printf("  nlohmann::json::parse (reference): %.3f s\n", t_ref);
  std::printf("  parse_case_json:                   %.3f s (%.2fx the reference)\n", t_parse,
              t_parse / t_ref);
  std::printf("  decide:                            %.3f s (%.2fx)\n", t_decide, t_decide / t_ref);
  std::printf("  write_decision_json:               %.3f s (%.2fx)\n", t_write, t_write / t_ref);
  std::printf("  peak RSS %.1f MiB = %.0f bytes per applicant\n",
              static_cast<double>(ru.ru_maxrss) / 1024.0,
              static_cast<double>(ru.ru_maxrss) * 1024.0 / static_cast<double>(n));
  return 0;
}
