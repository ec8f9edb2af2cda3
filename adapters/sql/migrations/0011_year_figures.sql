-- Schema 11: each agency's year figures, what its rows of the annual report (SPEC §7) are made
-- of, kept by decide in the transaction that writes the decision (app::YearFigures), so that one
-- agency's compliance reads a few rows instead of summing the facts of every decided recruitment
-- of its year. The data step (migrate.cc) sums the decided recruitments stored before, as decide
-- would have.
CREATE TABLE year_figures (
  agency        TEXT NOT NULL,
  year          BIGINT NOT NULL,
  recruitments  BIGINT NOT NULL,   -- decided recruitments that count (none replaced)
  units         BIGINT NOT NULL,   -- their units
  PRIMARY KEY (agency, year)
);

CREATE TABLE year_program_figures (
  agency             TEXT NOT NULL,
  year               BIGINT NOT NULL,
  program            TEXT NOT NULL,
  ratio              TEXT NOT NULL,   -- of the latest counted recruitment naming the program:
  ratio_announced    TEXT NOT NULL,   -- the greatest (announced, id), bytewise
  ratio_recruitment  TEXT NOT NULL,
  obligated          BIGINT NOT NULL,
  group_hires        BIGINT NOT NULL,
  min_planned        BIGINT NOT NULL,
  not_bound          BIGINT NOT NULL,
  no_hires           BIGINT NOT NULL,
  PRIMARY KEY (agency, year, program)
);

CREATE TABLE year_program_reasons (
  agency   TEXT NOT NULL,
  year     BIGINT NOT NULL,
  program  TEXT NOT NULL,
  kind     TEXT NOT NULL,     -- 'exempt' (reason: the claim) or 'shortfall' (reason: stopped_by)
  reason   TEXT NOT NULL,
  n        BIGINT NOT NULL,   -- exempt: units; shortfall: stage results short of the target
  missing  BIGINT NOT NULL,   -- shortfall: passes missing; exempt: 0
  PRIMARY KEY (agency, year, program, kind, reason)
);
