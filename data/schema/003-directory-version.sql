-- 003-directory-version.sql: a counter that moves whenever the data the
-- matcher keeps in memory changes, so that a connection reloads its copy
-- then and not after every write to the database (PRAGMA data_version
-- moves on every commit by anyone, leads included).
CREATE TABLE directory_version (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	version		INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE TRIGGER regions_insert_version AFTER INSERT ON regions
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER regions_update_version AFTER UPDATE ON regions
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER regions_delete_version AFTER DELETE ON regions
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER region_areas_insert_version AFTER INSERT ON region_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER region_areas_update_version AFTER UPDATE ON region_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER region_areas_delete_version AFTER DELETE ON region_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER postcode_areas_insert_version AFTER INSERT ON postcode_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER postcode_areas_update_version AFTER UPDATE ON postcode_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER postcode_areas_delete_version AFTER DELETE ON postcode_areas
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER district_countries_insert_version AFTER INSERT ON district_countries
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER district_countries_update_version AFTER UPDATE ON district_countries
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER district_countries_delete_version AFTER DELETE ON district_countries
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branches_insert_version AFTER INSERT ON branches
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branches_update_version AFTER UPDATE ON branches
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branches_delete_version AFTER DELETE ON branches
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branch_coverage_insert_version AFTER INSERT ON branch_coverage
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branch_coverage_update_version AFTER UPDATE ON branch_coverage
BEGIN
	UPDATE directory_version SET version = version + 1;
END;

CREATE TRIGGER branch_coverage_delete_version AFTER DELETE ON branch_coverage
BEGIN
	UPDATE directory_version SET version = version + 1;
END;
