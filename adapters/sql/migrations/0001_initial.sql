-- passline schema, version 1. Dialect-neutral: runs unchanged on SQLite and PostgreSQL.
-- Integers are BIGINT (SQLite's INTEGER comes back through SOCI as a 32-bit int).
-- Scores and decimals are exact: scores as BIGINT millionths of a point, other decimals as
-- their canonical decimal text. Migrations are forward-only and never edited once released.

CREATE TABLE agencies (
  code        TEXT PRIMARY KEY,
  region      TEXT NOT NULL,
  designated  BIGINT NOT NULL
);

-- One row per recruitment. state: imported | decided. A correction names the recruitment it
-- supersedes; both stay readable, and only the newest counts in the ledger and the report.
CREATE TABLE recruitments (
  id              TEXT PRIMARY KEY,
  agency          TEXT NOT NULL REFERENCES agencies (code),
  announced       TEXT NOT NULL,
  year            BIGINT NOT NULL,
  programs        TEXT NOT NULL,   -- the case's `programs` array, as JSON
  supersedes      TEXT REFERENCES recruitments (id),
  superseded_by   TEXT,
  state           TEXT NOT NULL,
  applicants      BIGINT NOT NULL,
  imported_at     TEXT NOT NULL,
  decided_at      TEXT,
  engine_version  TEXT
);
CREATE INDEX recruitments_agency_year ON recruitments (agency, year);

CREATE TABLE units (
  recruitment          TEXT NOT NULL REFERENCES recruitments (id),
  ord                  BIGINT NOT NULL,
  id                   TEXT NOT NULL,
  field                TEXT NOT NULL,
  planned              BIGINT NOT NULL,
  exemptions           TEXT NOT NULL,   -- JSON array of the claims, in the order given
  requires_experience  BIGINT NOT NULL,
  min_degree           TEXT,
  branch_region        TEXT,
  exempt               TEXT,            -- after decide: the claim that holds, or NULL
  hires                BIGINT,          -- after decide: passers of the last stage
  PRIMARY KEY (recruitment, ord),
  UNIQUE (recruitment, id)
);

CREATE TABLE stages (
  recruitment  TEXT NOT NULL,
  unit_ord     BIGINT NOT NULL,
  ord          BIGINT NOT NULL,
  name         TEXT NOT NULL,
  planned      BIGINT NOT NULL,
  min_score    TEXT,
  below_cut    TEXT,
  -- after decide:
  considered   BIGINT,
  cut          TEXT,
  threshold    TEXT,
  passed       BIGINT,
  PRIMARY KEY (recruitment, unit_ord, ord)
);

CREATE TABLE applicants (
  recruitment  TEXT NOT NULL,
  unit_ord     BIGINT NOT NULL,
  ord          BIGINT NOT NULL,
  id           TEXT NOT NULL,
  attributes   TEXT,                    -- JSON object, or NULL
  PRIMARY KEY (recruitment, unit_ord, ord)
);

CREATE TABLE education (
  recruitment    TEXT NOT NULL,
  unit_ord       BIGINT NOT NULL,
  applicant_ord  BIGINT NOT NULL,
  ord            BIGINT NOT NULL,
  level          TEXT NOT NULL,
  region         TEXT NOT NULL,
  status         TEXT NOT NULL,
  PRIMARY KEY (recruitment, unit_ord, applicant_ord, ord)
);

CREATE TABLE scores (
  recruitment    TEXT NOT NULL,
  unit_ord       BIGINT NOT NULL,
  applicant_ord  BIGINT NOT NULL,
  stage_ord      BIGINT NOT NULL,
  score          BIGINT,                -- millionths of a point; NULL = no score
  disqualified   BIGINT NOT NULL,       -- 1 = disqualified at this stage
  PRIMARY KEY (recruitment, unit_ord, applicant_ord, stage_ord)
);

-- The programs a decided recruitment was decided under, resolved (ratio in force, provenance).
CREATE TABLE decided_programs (
  recruitment   TEXT NOT NULL,
  ord           BIGINT NOT NULL,
  program       TEXT NOT NULL,
  ratio         TEXT NOT NULL,
  scope         TEXT NOT NULL,
  min_planned   BIGINT NOT NULL,
  pack_version  TEXT NOT NULL,
  pack_digest   TEXT NOT NULL,
  PRIMARY KEY (recruitment, ord)
);

-- One program's account at one stage of a unit.
CREATE TABLE program_results (
  recruitment  TEXT NOT NULL,
  unit_ord     BIGINT NOT NULL,
  stage_ord    BIGINT NOT NULL,
  program_ord  BIGINT NOT NULL,
  target       BIGINT NOT NULL,
  regular      BIGINT NOT NULL,
  additional   BIGINT NOT NULL,
  shortfall    BIGINT NOT NULL,
  stopped_by   TEXT,
  PRIMARY KEY (recruitment, unit_ord, stage_ord, program_ord)
);

-- Per unit and program: whether the program applied (not exempt, planned >= min_planned) and
-- how many of the unit's hires are in its group.
CREATE TABLE unit_programs (
  recruitment  TEXT NOT NULL,
  unit_ord     BIGINT NOT NULL,
  program_ord  BIGINT NOT NULL,
  applies      BIGINT NOT NULL,
  group_hires  BIGINT NOT NULL,
  PRIMARY KEY (recruitment, unit_ord, program_ord)
);

-- Per applicant: group membership (bit p = program p) and the outcome at each stage reached,
-- comma-separated: pass_rank, pass_tie, pass_additional:<program ord>, fail_disqualified,
-- fail_below_cut, not_reached.
CREATE TABLE decisions (
  recruitment    TEXT NOT NULL,
  unit_ord       BIGINT NOT NULL,
  applicant_ord  BIGINT NOT NULL,
  local_mask     BIGINT NOT NULL,
  outcomes       TEXT NOT NULL,
  PRIMARY KEY (recruitment, unit_ord, applicant_ord)
);

-- Each agency's yearly ledger (SPEC §5 small_field, §4 agency_year scope): hires per field, and
-- per program the hires in its group. Updated in the transaction that decides a recruitment.
CREATE TABLE ledger (
  agency  TEXT NOT NULL,
  year    BIGINT NOT NULL,
  field   TEXT NOT NULL,
  hires   BIGINT NOT NULL,
  PRIMARY KEY (agency, year, field)
);
CREATE TABLE ledger_groups (
  agency   TEXT NOT NULL,
  year     BIGINT NOT NULL,
  field    TEXT NOT NULL,
  program  TEXT NOT NULL,
  hires    BIGINT NOT NULL,
  PRIMARY KEY (agency, year, field, program)
);

-- The ledger as it stood when a recruitment was decided (its `ledger.prior`), so the stored
-- case reads back exactly as decided. program '' is the field's total.
CREATE TABLE decision_prior (
  recruitment  TEXT NOT NULL,
  field        TEXT NOT NULL,
  program      TEXT NOT NULL,
  hires        BIGINT NOT NULL,
  PRIMARY KEY (recruitment, field, program)
);
