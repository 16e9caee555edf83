-- 004-secrets.sql: keys the gateway makes for itself.  The suppression key
-- turns an erased number into a hash that cannot be reversed by trying
-- every number, without the key.
CREATE TABLE secrets (
	name		TEXT PRIMARY KEY,
	value		BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO secrets (name, value) VALUES ('suppression', randomblob(32));
