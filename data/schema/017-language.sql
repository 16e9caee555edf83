-- 017-language.sql: the reply language a number chose by texting CYMRAEG
-- or ENGLISH (SAESNEG), and the language a conversation was held in, so
-- that the answer to our question gets its reply in the same.
--
-- Personal data like any other per number: `gateway forget` erases the
-- row, retention deletes rows not updated within it (store_privacy.c).
-- Read once per message by its primary key.  The simulator's choices
-- (test = 1, as 011-test-rows marks its rows) are kept apart from a real
-- number's and cleared with its other rows.
CREATE TABLE language_prefs (
	phone		TEXT NOT NULL,
	test		INTEGER NOT NULL DEFAULT 0,
	language	TEXT NOT NULL,		-- "cy" or "en"
	updated_at	INTEGER NOT NULL,
	PRIMARY KEY (phone, test)
) WITHOUT ROWID;
ALTER TABLE conversations ADD COLUMN language TEXT;
