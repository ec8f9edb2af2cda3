-- passline schema, version 8: a quota-case/2 recruitment keeps its whole case document
-- (case_to_json, SPEC §6) beside its rows. The rows hold what the reports and reads query; the
-- document holds the facts of SPEC v2 that the rows of schema 1 have no column for (agency
-- status, school kinds and years, per-program claims, research_post, notified_field,
-- branch_service_years), so a stored quota-case/2 is decided as quota-case/2. NULL for a
-- quota-case/1 recruitment, which its rows describe completely.
ALTER TABLE recruitments ADD COLUMN document TEXT;
-- The ledger of SPEC §7: per field the posts (planned hires of decided units), and per program
-- the obligated hires (hires of units the program applied to). 0 for rows written before.
ALTER TABLE ledger ADD COLUMN posts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_groups ADD COLUMN obligated BIGINT NOT NULL DEFAULT 0;
