-- 011-stats.sql: what the dashboard's figures (GET /admin/api/stats) read.
--
-- leads_created: the stats count the leads of a range of days, grouped by
-- day, branch, region, match kind, campaign and district, and the distinct
-- numbers among them.  Without it every call read the whole table (1.6 s
-- at a million leads); with it a call reads only the range asked for.
-- On the ingest path created_at is the time a message came in, which
-- grows with the ids, so each commit appends to the index's last page or
-- two rather than writing at random: the cheapest index a table can have.
-- It is the only one: not covering (wider rows would be paid on every
-- message), and no rollup table (a lead's postcode, branch and kind change
-- after it is made, and forget and retention delete leads, so a rollup
-- kept by the writer would need a write of its own for each of those).
-- The range's rows are read through their ids, which are in the same
-- order, so the reads are sequential as well.
CREATE INDEX IF NOT EXISTS leads_created ON leads(created_at);

-- The campaign a lead answered, when it answered one (NULL: none, as
-- every lead made before campaigns).  Nullable, no default, so adding it
-- rewrites nothing; the stats filter on it and count by it.
ALTER TABLE leads ADD COLUMN campaign TEXT;
