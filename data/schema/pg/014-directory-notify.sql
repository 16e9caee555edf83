-- 014-directory-notify.sql (PostgreSQL): every move of directory_version
-- (003) is also told on the channel gateway_directory, with the new
-- version as its payload, so that every node's connections reload their
-- copy of the directory at once rather than on their own next look.  A
-- notification is sent at commit and only then, and a transaction's
-- several bumps reach a listener as at most a few: the payloads differ,
-- and the listener needs only to know that the number moved.
CREATE OR REPLACE FUNCTION directory_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v bigint;
BEGIN
	UPDATE directory_version SET version = version + 1 RETURNING version
	    INTO v;
	PERFORM pg_notify('gateway_directory', v::text);
	RETURN NULL;
END;
$$;
