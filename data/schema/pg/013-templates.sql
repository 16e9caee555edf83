-- 013-templates.sql (PostgreSQL): reply wording over gateway.conf's
-- [replies], keyed by (name, campaign, language), '' for every campaign
-- and every language; see the SQLite migration of the same number.
CREATE TABLE reply_templates (
	name		text NOT NULL,
	campaign	text NOT NULL DEFAULT '',
	language	text NOT NULL DEFAULT '',
	text		text NOT NULL,
	updated_at	bigint NOT NULL,
	PRIMARY KEY (name, campaign, language)
);

CREATE TRIGGER reply_templates_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reply_templates
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
