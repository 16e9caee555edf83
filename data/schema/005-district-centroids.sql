-- 005-district-centroids.sql: built-in district centroids
-- (data/district_centroids.csv, derived from ONS data), so that a postcode
-- is placed by its district, a few km, before any import.  The seed step
-- fills the table whenever it is empty: on a new database and on one
-- upgraded to this migration.  A release that changes the file adds a
-- migration that empties the table, and the next start refills it.
CREATE TABLE district_centroids (
	district	TEXT PRIMARY KEY,	-- the outward code: "SE1", "SW1A"
	country		TEXT NOT NULL,		-- majority country of its postcodes
	lat		REAL NOT NULL,
	lon		REAL NOT NULL
) WITHOUT ROWID;

-- The directory keeps the set of known districts (built in and imported)
-- in memory, so both move its version.
CREATE TRIGGER district_centroids_insert_version AFTER INSERT ON district_centroids
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER district_centroids_update_version AFTER UPDATE ON district_centroids
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER district_centroids_delete_version AFTER DELETE ON district_centroids
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

-- Every import ends with a row here, after replacing postcode_districts.
CREATE TRIGGER postcode_imports_insert_version AFTER INSERT ON postcode_imports
BEGIN
	UPDATE directory_version SET version = version + 1;
END;
