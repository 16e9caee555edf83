-- 001-init.sql: the whole schema as first designed.  Migrations are applied
-- in order at start, each in its own transaction, and never edited once
-- released: a change is a new numbered file.  PRAGMA user_version holds the
-- number of the last one applied.

-- The organisation's own regions (not the ONS's) and their organisers.
CREATE TABLE regions (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	organiser_name	TEXT NOT NULL DEFAULT '',
	organiser_phone	TEXT NOT NULL DEFAULT '',
	organiser_email	TEXT NOT NULL DEFAULT '',
	notify		TEXT NOT NULL DEFAULT ''	-- notification channels
);

-- Which postcode areas ("SE") or districts ("TD15") belong to a region; a
-- district row wins over its area's.
CREATE TABLE region_areas (
	code		TEXT PRIMARY KEY,
	region_id	INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Built in (data/postcode_areas.csv): every postcode area's name, country
-- and approximate centroid, so the gateway answers before any import.
CREATE TABLE postcode_areas (
	area		TEXT PRIMARY KEY,
	name		TEXT NOT NULL,
	country		TEXT NOT NULL,
	lat		REAL NOT NULL,
	lon		REAL NOT NULL
) WITHOUT ROWID;

-- Built in (data/district_overrides.csv): districts whose country differs
-- from their area's (CH5 is in Wales, TD15 in England).
CREATE TABLE district_countries (
	district	TEXT PRIMARY KEY,
	country		TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE branches (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	postcode	TEXT NOT NULL DEFAULT '',
	lat		REAL,			-- NULL: matched by coverage only
	lon		REAL,
	meets		TEXT NOT NULL DEFAULT '',
	contact_name	TEXT NOT NULL DEFAULT '',
	contact_phone	TEXT NOT NULL DEFAULT '',
	contact_email	TEXT NOT NULL DEFAULT '',
	region_id	INTEGER REFERENCES regions(id) ON DELETE SET NULL,
	notify		TEXT NOT NULL DEFAULT '',	-- notification channels
	active		INTEGER NOT NULL DEFAULT 1,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- Explicit coverage: a district ("SE1") or sector ("SE1 7") that a branch
-- says is its own.  One branch per code, so the rule is never ambiguous.
CREATE TABLE branch_coverage (
	code		TEXT PRIMARY KEY,
	branch_id	INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX branch_coverage_branch ON branch_coverage(branch_id);

-- Imported postcode units (gateway postcodes import).  Coordinates are in
-- micro-degrees, which keeps a row small; NULL where the source has none
-- (the Channel Islands and the Isle of Man in ONS data).
CREATE TABLE postcodes (
	postcode	TEXT PRIMARY KEY,	-- "SE1 7PB"
	lat		INTEGER,
	lon		INTEGER,
	terminated	INTEGER NOT NULL DEFAULT 0	-- YYYYMM, 0 while live
) WITHOUT ROWID;

-- Centroids derived by each import from the units above.
CREATE TABLE postcode_sectors (
	code		TEXT PRIMARY KEY,	-- "SE1 7"
	lat		INTEGER NOT NULL,
	lon		INTEGER NOT NULL,
	units		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE postcode_districts (
	code		TEXT PRIMARY KEY,	-- "SE1"
	lat		INTEGER NOT NULL,
	lon		INTEGER NOT NULL,
	units		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE postcode_area_centroids (
	code		TEXT PRIMARY KEY,	-- "SE"
	lat		INTEGER NOT NULL,
	lon		INTEGER NOT NULL,
	units		INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE postcode_imports (
	id		INTEGER PRIMARY KEY,
	imported_at	INTEGER NOT NULL,
	source		TEXT NOT NULL,
	units		INTEGER NOT NULL,
	skipped		INTEGER NOT NULL
);

-- Every message received, once per (provider instance, provider id).
CREATE TABLE inbound (
	id		INTEGER PRIMARY KEY,
	instance	TEXT NOT NULL,
	ext_id		TEXT NOT NULL,
	sender		TEXT NOT NULL,
	recipient	TEXT NOT NULL DEFAULT '',
	text		TEXT NOT NULL,
	received_at	INTEGER NOT NULL,
	outcome		TEXT NOT NULL DEFAULT '',	-- what the pipeline did
	reply		TEXT,		-- the answer, given again to a retry
	UNIQUE (instance, ext_id)
);

CREATE TABLE leads (
	id		INTEGER PRIMARY KEY,
	phone		TEXT NOT NULL,
	name		TEXT NOT NULL DEFAULT '',
	postcode	TEXT NOT NULL DEFAULT '',
	branch_id	INTEGER REFERENCES branches(id) ON DELETE SET NULL,
	region_id	INTEGER REFERENCES regions(id) ON DELETE SET NULL,
	match_kind	TEXT NOT NULL,
	-- The evidence of consent: which message, what it said, when, and
	-- the wording of the reply that was sent.
	inbound_id	INTEGER REFERENCES inbound(id) ON DELETE SET NULL,
	consent_ext_id	TEXT NOT NULL DEFAULT '',
	consent_text	TEXT NOT NULL DEFAULT '',
	consent_at	INTEGER NOT NULL,
	consent_reply	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);
-- Every index here is written on every commit of the ingest path, so only
-- the ones that path needs: by phone (a number signing up again) and by
-- branch (its organiser's list).  Leads by date follow their ids.
CREATE INDEX leads_phone ON leads(phone);
CREATE INDEX leads_branch ON leads(branch_id, created_at);

-- What we asked a number and are waiting for ("postcode", "name").
CREATE TABLE conversations (
	phone		TEXT PRIMARY KEY,
	instance	TEXT NOT NULL,
	waiting_for	TEXT NOT NULL,
	name		TEXT NOT NULL DEFAULT '',
	postcode	TEXT NOT NULL DEFAULT '',
	lead_id		INTEGER REFERENCES leads(id) ON DELETE SET NULL,
	expires_at	INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE optouts (
	phone		TEXT PRIMARY KEY,
	opted_out_at	INTEGER NOT NULL,
	source		TEXT NOT NULL,		-- "sms", "cli", "api", "import"
	instance	TEXT NOT NULL DEFAULT '',
	inbound_id	INTEGER REFERENCES inbound(id) ON DELETE SET NULL,
	text		TEXT NOT NULL DEFAULT ''	-- the words of the opt-out
) WITHOUT ROWID;

-- Numbers erased on request: only a keyed hash is kept, so that the number
-- stays opted out without being stored.
CREATE TABLE suppressions (
	phone_hash	TEXT PRIMARY KEY,
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	idem_key	TEXT NOT NULL UNIQUE,	-- inbound message + purpose
	channel		TEXT NOT NULL,		-- "sms", "email", "webhook"
	instance	TEXT NOT NULL DEFAULT '',	-- provider or channel instance
	recipient	TEXT NOT NULL,
	subject		TEXT NOT NULL DEFAULT '',
	body		TEXT NOT NULL,
	purpose		TEXT NOT NULL,		-- "reply", "notify", "confirm", ...
	inbound_id	INTEGER REFERENCES inbound(id) ON DELETE SET NULL,
	state		TEXT NOT NULL DEFAULT 'queued' CHECK (state IN
			    ('queued', 'sending', 'sent', 'delivered',
			     'failed', 'dead', 'discarded')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	INTEGER NOT NULL,
	last_error	TEXT NOT NULL DEFAULT '',
	ext_id		TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_ext ON outbox(instance, ext_id);

-- Who changed what: actor is a token name or a system user; before and
-- after are JSON images of the record.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,		-- "create", "update", "delete", ...
	record		TEXT NOT NULL,		-- "branch:12", "region:3"
	before		TEXT,
	after		TEXT
);
CREATE INDEX audit_record ON audit(record, at);
CREATE INDEX audit_at ON audit(at);
