-- 004-secrets.sql (PostgreSQL): keys the gateway makes for itself.  The
-- suppression key turns an erased number into a hash that cannot be
-- reversed by trying every number, without the key.
--
-- SQLite's randomblob(32): gen_random_bytes needs the pgcrypto extension,
-- so two version 4 UUIDs from the built-in gen_random_uuid (the server's
-- strong random source): 244 random bits in 32 bytes.
CREATE TABLE secrets (
	name		text PRIMARY KEY,
	value		bytea NOT NULL
);
INSERT INTO secrets (name, value) VALUES ('suppression',
    decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-',
    ''), 'hex'));
