-- 016-campaign.sql: the campaign a conversation was started under
-- ("[campaign NAME]" in gateway.conf; NULL for the number's general
-- signup), so that the answer to our question is the campaign's too.  The
-- lead's own campaign is leads.campaign, which 012-stats added.
--
-- No index: a conversation is read by its phone, never by campaign.
ALTER TABLE conversations ADD COLUMN campaign TEXT;
