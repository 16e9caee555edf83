-- 016-campaign.sql (PostgreSQL): the campaign a conversation came by, NULL
-- for none (leads.campaign is 012-stats').  See data/schema/016.
ALTER TABLE conversations ADD COLUMN campaign text;
