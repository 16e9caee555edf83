-- 005-district-centroids.sql (PostgreSQL): built-in district centroids
-- (data/district_centroids.csv, derived from ONS data), so that a postcode
-- is placed by its district, a few km, before any import.  The seed step
-- fills the table whenever it is empty.
CREATE TABLE district_centroids (
	district	text PRIMARY KEY,	-- the outward code: "SE1", "SW1A"
	country		text NOT NULL,		-- majority country of its postcodes
	lat		double precision NOT NULL,
	lon		double precision NOT NULL
);

-- The directory keeps the set of known districts (built in and imported)
-- in memory, so both move its version (directory_version_bump: 003).
CREATE TRIGGER district_centroids_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON district_centroids
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();

-- Every import ends with a row here, after replacing postcode_districts.
CREATE TRIGGER postcode_imports_version
    AFTER INSERT ON postcode_imports
    FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump();
