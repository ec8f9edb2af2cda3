// passline's application layer: an agency's yearly ledger and how decisions change it.
//
// The ledger holds, per agency and year, the hires made so far in each field and, per program,
// how many of them were in the program's group. SPEC §4's `agency_year` scope (H and L) and
// §5's `small_field` read it as `ledger.prior`. A decision adds its hires; a correction that
// supersedes a decided recruitment takes that recruitment's hires out again.
// Thread-safety: pure functions on values.
#pragma once

#include <cstdint>

#include "passline/app/store.h"

namespace passline::app {

/// What a decision adds to its agency's ledger: per field of its units, the hires and the
/// group hires of each program (by program id). Ordered by field.
Ledger contribution(const Case& c, const Decision& d);

/// What a stored decided recruitment added to its agency's ledger.
Ledger contribution(const DecidedRecruitment& r);

/// `ledger` with `sign` × `delta` added field by field and program by program (fields and
/// programs missing on either side count as 0). Ordered by field.
Ledger add(const Ledger& ledger, const Ledger& delta, std::int64_t sign = 1);

/// Whether program `p` binds `unit` (SPEC §4 step 4, §5): not when the unit is exempt, and not
/// when the unit plans fewer hires than the program's `min_planned` (SPEC §3). Only binding
/// units count in compliance; decide() gives the others a target of 0.
bool program_applies(const Unit& unit, const UnitDecision& decided, const Program& p);

/// program_applies() for every unit and program of a decision: `[unit][program]`.
std::vector<std::vector<std::uint8_t>> applies(const Case& c, const Decision& d);

}  // namespace passline::app
