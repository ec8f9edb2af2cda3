// Internal to passline_demo: what the generator knows about each agency beyond AgencyInfo.
#pragma once

#include <vector>

namespace passline::demo::detail {

/// The kind of work an agency hires for; picks its fields (채용분야) and stage layout.
enum class Sector {
  energy,
  finance,
  infra,
  ict,
  research,
  health,
  welfare,
  culture,
  general,
  government
};

/// Calibration of one agency. `base_hires` is an estimate of its yearly planned hires, chosen
/// so that the 2018 cohort totals about 6,300 planned hires (demo_year draws 87–107% of it).
struct AgencyProfile {
  int base_hires = 0;
  Sector sector = Sector::general;
};

/// Parallel to relocated_agencies(): agency_profiles()[i] belongs to relocated_agencies()[i].
/// Thread-safe (immutable after first use).
const std::vector<AgencyProfile>& agency_profiles();

}  // namespace passline::demo::detail
