-- 011-campaign.sql (PostgreSQL): the campaign a lead and a conversation
-- came by, NULL for none.  See data/schema/011 for the detail.
ALTER TABLE leads ADD COLUMN campaign text;
ALTER TABLE conversations ADD COLUMN campaign text;
