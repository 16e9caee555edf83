-- 011-campaign.sql: the campaign a lead came by ("[campaign NAME]" in
-- gateway.conf; NULL for the number's general signup), and the campaign a
-- conversation was started under, so that the answer to our question is
-- the campaign's too.
--
-- No index: only the lead lists and exports filter by it, and they read
-- leads in id order anyway; an index would be written on every signup
-- for the sake of an admin's list.
ALTER TABLE leads ADD COLUMN campaign TEXT;
ALTER TABLE conversations ADD COLUMN campaign TEXT;
