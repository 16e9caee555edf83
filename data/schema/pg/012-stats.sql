-- 012-stats.sql (PostgreSQL): the index the dashboard's figures read by,
-- and the campaign a lead answered.  See data/schema/012 for why this one
-- index and no more.
CREATE INDEX IF NOT EXISTS leads_created ON leads(created_at);
ALTER TABLE leads ADD COLUMN IF NOT EXISTS campaign text;
