-- 012-language.sql (PostgreSQL): the reply language a number chose, and a
-- conversation's.  See data/schema/012 for the detail.
CREATE TABLE language_prefs (
	phone		text PRIMARY KEY,
	language	text NOT NULL,
	updated_at	bigint NOT NULL
);
ALTER TABLE conversations ADD COLUMN language text;
