-- 012-stats.sql: what the dashboard's figures (GET /admin/api/stats) read.
--
-- leads_created: the stats read the leads of a range of days (a day at a
-- time), which without it is a scan of the table per day, or, where
-- ANALYZE has run, a skip-scan of leads_branch: at a million leads a
-- year, the last 30 days took 283 ms by the skip-scan, 96 ms by this
-- index (bench/stats.sh).
-- On the ingest path created_at is the time a message came in, which
-- grows with the ids, so each commit appends to the index's last page or
-- two rather than writing at random: 100,000 leads appended in batches of
-- 100 took no measurably longer with it than without.  It is the only
-- one: not covering (wider entries paid on every message), and no rollup
-- table kept by the writer (a lead's postcode, branch and kind change
-- after it is made, forget and retention delete leads, and the distinct
-- numbers of a range cannot be summed from days anyway).  The range's
-- rows are then read through their ids, in the same order, so the table
-- is read in sequence too.
CREATE INDEX IF NOT EXISTS leads_created ON leads(created_at);

-- The campaign a lead answered, when it answered one (NULL: none, as
-- every lead made before campaigns).  Nullable, no default, so adding it
-- rewrites nothing; the stats filter on it and count by it.
ALTER TABLE leads ADD COLUMN campaign TEXT;
