-- 009-child-key-indexes.sql: an index on every column that refers to a row
-- which purge, forget or retention delete in bulk (inbound, leads).
--
-- SQLite enforces ON DELETE SET NULL by looking for the children of each
-- row it deletes; without an index that is a scan of the child table per
-- row, so purging 5,000 messages beside 50,000 leads took over a minute,
-- inside the write transaction every webhook waits behind.  These ids grow
-- with time, so on the ingest path each index is appended to, a page or
-- two a commit, not written at random.  conversations is small, but it is
-- scanned once per erased lead all the same.
CREATE INDEX IF NOT EXISTS leads_inbound ON leads(inbound_id);
CREATE INDEX IF NOT EXISTS optouts_inbound ON optouts(inbound_id);
CREATE INDEX IF NOT EXISTS outbox_inbound ON outbox(inbound_id);
CREATE INDEX IF NOT EXISTS conversations_lead ON conversations(lead_id);
