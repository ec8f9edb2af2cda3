-- passline schema, version 5: decisions in columns a reader of the schema understands.
-- Each applicant's outcome at each stage it reached is one row (a stage it did not reach has
-- none). A stage's cut and threshold are exact integers of millionths, like scores: the
-- threshold cut - below_cut may be negative, which the decimal text of a score cannot say.
-- Migration 6 drops the old columns once passline has copied their values (migrate.cc).
CREATE TABLE stage_outcomes (
  recruitment    TEXT NOT NULL,
  unit_ord       BIGINT NOT NULL,
  applicant_ord  BIGINT NOT NULL,
  stage_ord      BIGINT NOT NULL,
  -- pass_rank, pass_tie, pass_additional, fail_disqualified or fail_below_cut (the reader
  -- refuses anything else as corrupt_row; a CHECK constraint here cost 1.5 s per million rows)
  outcome        TEXT NOT NULL,
  program_ord    BIGINT,  -- decided_programs.ord of the program that added the pass, with
                          -- pass_additional only
  PRIMARY KEY (recruitment, unit_ord, applicant_ord, stage_ord)
);
ALTER TABLE stages ADD COLUMN cut_millionths BIGINT;
ALTER TABLE stages ADD COLUMN threshold_millionths BIGINT;
