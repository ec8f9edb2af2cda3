-- passline schema, version 7: the agency registry. Each agency's facts of SPEC §2 (which laws
-- bind it), its names and the notice or statute they come from, entered by an admin
-- (`passline agency add|import`, `PUT /v1/agencies/{code}`). An agency that a quota-case/1
-- import created on first sight keeps `registered` 0 and only its code, region and
-- `designated`; a quota-case/2 case is imported only for a registered agency whose facts it
-- matches (agency_mismatch, unknown_agency).
ALTER TABLE agencies ADD COLUMN name_ko TEXT;
ALTER TABLE agencies ADD COLUMN name_en TEXT;
-- 1 when designated under 「공공기관의 운영에 관한 법률」 (binds 지방대육성법 §13② outside the capital)
ALTER TABLE agencies ADD COLUMN public_institution BIGINT NOT NULL DEFAULT 0;
-- 이전공공기관등 (혁신도시법 §29-2①): cohort 2018 or 2020 and the date it is bound from
-- (YYYY-MM-DD); both NULL for an agency that is not one
ALTER TABLE agencies ADD COLUMN innovation_cohort BIGINT;
ALTER TABLE agencies ADD COLUMN innovation_since TEXT;
-- 1 when it moved to a 공동혁신도시 (영 §30-2⑥1)
ALTER TABLE agencies ADD COLUMN joint_city BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agencies ADD COLUMN source TEXT;
-- 1 = entered through the registry; 0 = created by a quota-case/1 import
ALTER TABLE agencies ADD COLUMN registered BIGINT NOT NULL DEFAULT 0;
