-- 015-campaign.sql (PostgreSQL): the campaign a conversation came by, NULL
-- for none (leads.campaign is 012-stats').  See data/schema/015.
ALTER TABLE conversations ADD COLUMN campaign text;
