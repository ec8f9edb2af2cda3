-- passline schema, version 9: what a quota-case/2 decision holds that schema 8's rows had no
-- column for, so that a stored one reads back as decided (quota-decision/2) and the annual
-- report tells a unit exempt from a program by a claim from one the program did not bind.
-- Per unit and program, the claim that exempts the unit from the program (SPEC §5, the first
-- one listed for it; UnitDecision::exempt_from). NULL when no claim held, and for quota-case/1,
-- whose one claim, exempting the unit from every program, is units.exempt.
ALTER TABLE unit_programs ADD COLUMN exempt TEXT;
-- Per decided program, where it comes from (SPEC §6): 'law' (bound by SPEC §3.2) or 'case'.
-- NULL for quota-case/1, whose case names every program.
ALTER TABLE decided_programs ADD COLUMN source TEXT;
-- A quota-case/2 recruitment decided before this version kept both in its log header only
-- (passline-log/2: `programs[].source`, `units[].exempt`): passline copies them from there
-- (migrate.cc).
