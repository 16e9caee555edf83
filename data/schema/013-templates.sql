-- 013-templates.sql: reply wording edited in the admin page or with
-- `gateway template`, over gateway.conf's [replies] (which stays the
-- default: a template with no row here is worded as gateway.conf says).
--
-- Keyed by (name, campaign, language), '' being "every campaign" and
-- "every language", so that a campaign's or a language's own wording is a
-- row beside the default one; the lookup falls back campaign + language,
-- language, campaign, default row, gateway.conf (reply.c).  A handful of
-- rows, read whole when they change: no index beyond the key.
CREATE TABLE reply_templates (
	name		TEXT NOT NULL,
	campaign	TEXT NOT NULL DEFAULT '',
	language	TEXT NOT NULL DEFAULT '',
	text		TEXT NOT NULL,
	updated_at	INTEGER NOT NULL,
	PRIMARY KEY (name, campaign, language)
);

-- Request threads keep the templates beside the directory and reload
-- both when directory_version moves (pipeline.c gateway_refresh).
CREATE TRIGGER reply_templates_insert_version AFTER INSERT ON reply_templates
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER reply_templates_update_version AFTER UPDATE ON reply_templates
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER reply_templates_delete_version AFTER DELETE ON reply_templates
BEGIN
	UPDATE directory_version SET version = version + 1;
END;
