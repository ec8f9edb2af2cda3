-- passline schema, version 6: the columns migration 5 replaced, dropped after passline copied
-- their values (decisions.outcomes, a comma list private to passline; stages.cut and
-- stages.threshold as decimal text).
ALTER TABLE decisions DROP COLUMN outcomes;
ALTER TABLE stages DROP COLUMN cut;
ALTER TABLE stages DROP COLUMN threshold;
