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

/// The engine's program_applies() (decision.h) for every unit and program of a decision:
/// `[unit][program]`, 1 when the program bound the unit.
std::vector<std::vector<std::uint8_t>> applies(const Case& c, const Decision& d);

/// What a store records of `c` decided as `d` for the ledger and the annual report (what
/// Store::decided() returns of it): the programs, each unit's field, claims (quota-case/1's one,
/// quota-case/2's per program), hires, planned hires, the programs that bound it as `bound`
/// says (`applies(c, d)`, as DecisionRecord::applies hands it to the store) and their group
/// hires, and every stage result short of its target; `info` as given.
DecidedRecruitment decided_facts(const Case& c, const Decision& d,
                                 const std::vector<std::vector<std::uint8_t>>& bound,
                                 RecruitmentInfo info = {});

}  // namespace passline::app
