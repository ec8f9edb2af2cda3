// bench_demo_year [YEAR [SEED [SCALE]]]: generate a demo year (adapters/demo), decide every
// case, and print the totals with the time each step took.
//
// Totals: agencies, recruitments, units, applicants, planned hires; units exempt from
// kr-innovation-city (by a claim for it); stage-program shortfalls by what stopped them, and
// recruitments whose last stage fell short; then the annual report's national line of each
// program (app::compliance_report over the decisions, as `passline demo` prints it from the
// database), e.g. `kr-innovation-city: 1,379 of 6,086 obligated hires local (22.7%); ...`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "passline/app/compliance.h"
#include "passline/app/ledger.h"
#include "passline/app/report_format.h"
#include "passline/decision.h"
#include "passline/demo/year.h"
#include "passline/rule_pack.h"

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  // Reporting only: elapsed wall time is not a decision value.
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace passline;
  demo::DemoOptions options;
  if (argc > 1) options.year = std::atoi(argv[1]);
  if (argc > 2) options.seed = std::strtoull(argv[2], nullptr, 10);
  if (argc > 3) options.scale_percent = std::atoi(argv[3]);

  (void)bundled_rules();  // parse the packs outside the timings
  const auto t0 = Clock::now();
  const auto cases = demo::demo_year(options);
  const double generate_s = seconds_since(t0);

  const auto t1 = Clock::now();
  long long exempt = 0, threshold = 0, pool = 0, short_recruitments = 0;
  std::vector<app::DecidedRecruitment> facts;
  facts.reserve(cases.size());
  for (const Case& c : cases) {
    auto d = decide(c, bundled_rules());
    if (!d.ok()) {
      std::fprintf(stderr, "%s: %s at %s\n", c.recruitment.id.c_str(), d.error().code.c_str(),
                   d.error().path.c_str());
      return 1;
    }
    bool short_at_end = false;
    for (const UnitDecision& u : d->units) {
      for (std::size_t p = 0; p < d->programs.size(); ++p)
        if (d->programs[p].id == "kr-innovation-city" && exempt_from(u, p)) ++exempt;
      for (const StageResult& s : u.stages)
        for (const ProgramStageResult& p : s.programs) {
          if (p.shortfall == 0) continue;
          if (p.stopped_by == StoppedBy::threshold) ++threshold;
          if (p.stopped_by == StoppedBy::pool) ++pool;
        }
      for (const ProgramStageResult& p : u.stages.back().programs)
        short_at_end = short_at_end || p.shortfall > 0;
    }
    short_recruitments += short_at_end;
    app::RecruitmentInfo info;
    info.id = c.recruitment.id;
    info.agency = c.agency.code;
    info.announced = c.recruitment.announced.to_string();
    info.year = c.recruitment.announced.year;
    info.state = "decided";
    info.agency_region = c.agency.region;
    facts.push_back(app::decided_facts(c, *d, app::applies(c, *d), std::move(info)));
  }
  const double decide_s = seconds_since(t1);
  const app::ComplianceReport report = app::compliance_report(options.year, facts);

  std::printf("%s\n", demo::demo_year_summary(cases).c_str());
  std::printf("units exempt from kr-innovation-city %lld\n", exempt);
  for (const app::ComplianceTotals& t : report.national)
    std::printf("%s: %s\n", t.program.c_str(), app::summary_line(t).c_str());
  std::printf(
      "stage shortfalls: %lld stopped by threshold, %lld by pool; "
      "%lld recruitments short at the last stage\n",
      threshold, pool, short_recruitments);
  std::printf("generate %.3f s, decide %.3f s, total %.3f s\n", generate_s, decide_s,
              generate_s + decide_s);
  return 0;
}
