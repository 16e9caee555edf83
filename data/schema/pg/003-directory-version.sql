-- 003-directory-version.sql (PostgreSQL): a counter that moves whenever the
-- data the matcher keeps in memory changes, so that a connection reloads
-- its copy then and not after every write to the database.
--
-- SQLite's triggers run once a row; these run once a statement (TRUNCATE
-- included), which is all a reader relies on: the number moved.  One row
-- lock per writing statement rather than per row keeps a bulk import from
-- queueing every other node's directory writer behind it row by row.
CREATE TABLE directory_version (
	id		integer PRIMARY KEY CHECK (id = 1),
	version		bigint NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE FUNCTION directory_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE directory_version SET version = version + 1;
	RETURN NULL;
END;
$$;

CREATE TRIGGER regions_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
CREATE TRIGGER region_areas_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON region_areas
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
CREATE TRIGGER postcode_areas_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON postcode_areas
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
CREATE TRIGGER district_countries_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON district_countries
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
CREATE TRIGGER branches_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branches
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
CREATE TRIGGER branch_coverage_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branch_coverage
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
