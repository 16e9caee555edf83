-- 017-language.sql (PostgreSQL): the reply language a number chose, and a
-- conversation's.  See data/schema/017 for the detail.
CREATE TABLE language_prefs (
	phone		text NOT NULL,
	test		bigint NOT NULL DEFAULT 0,
	language	text NOT NULL,
	updated_at	bigint NOT NULL,
	PRIMARY KEY (phone, test)
);
ALTER TABLE conversations ADD COLUMN language text;
