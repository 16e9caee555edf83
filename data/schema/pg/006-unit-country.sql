-- 006-unit-country.sql (PostgreSQL): the country each imported unit is in,
-- and the majority country of each imported sector and district, as a
-- number (enum geo_country in gateway/geo.h: 1 England ... 8 Channel
-- Islands); NULL where the import had none.  smallint: one byte in
-- SQLite, two here, where bigint would be eight on each of millions of
-- rows.  No index: every look-up is by the tables' primary keys.
ALTER TABLE postcodes ADD COLUMN country smallint;
ALTER TABLE postcode_sectors ADD COLUMN country smallint;
ALTER TABLE postcode_districts ADD COLUMN country smallint;
