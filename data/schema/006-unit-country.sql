-- 005-unit-country.sql: the country each imported unit is in, where the
-- import carries one (the ONSPD's and NSPL's ctry), and the majority
-- country of each imported sector and district, derived with their
-- centroids.  Border districts (TD15, TD12, DG16, CH5, ...) hold units of
-- two countries, which one district-wide country cannot say.
--
-- A number, as enum geo_country in gateway/geo.h names it (never
-- renumbered): 1 England, 2 Wales, 3 Scotland, 4 Northern Ireland,
-- 5 Guernsey, 6 Jersey, 7 Isle of Man, 8 Channel Islands (neither).  One
-- byte a unit, where a name would add several to each of millions of
-- rows.  NULL: the import had no country for it, and the built-in area
-- table and district overrides decide, as they do for rows imported
-- before this column.
--
-- No index: every look-up is by the tables' primary keys, as before.
ALTER TABLE postcodes ADD COLUMN country INTEGER;
ALTER TABLE postcode_sectors ADD COLUMN country INTEGER;
ALTER TABLE postcode_districts ADD COLUMN country INTEGER;
