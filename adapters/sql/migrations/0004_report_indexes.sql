-- passline schema, version 4: indexes for the annual report and compliance reads.
-- "Is this recruitment replaced by a decided correction?" looks recruitments up by supersedes.
CREATE INDEX recruitments_supersedes ON recruitments (supersedes);
