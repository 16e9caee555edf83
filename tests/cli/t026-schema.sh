# t026-schema: rules the schema keeps, checked on the database the gateway
# makes, so that a migration that breaks one is caught however it is worded.
. tests/cli/lib.sh

gw branch list >/dev/null
# Every column that refers to a row that purge, forget or retention delete
# in bulk has an index that starts with it: SQLite looks for the children
# of each deleted row, and without one that is a scan per row.
check_eq "bulk-deleted parents: every child column indexed" "" "$(sql "
SELECT m.name || '.' || f.\"from\" FROM sqlite_master m,
    pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND f.\"table\" IN ('inbound', 'leads', 'outbox')
AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) il,
    pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = f.\"from\")
AND NOT (f.\"from\" = 'id')")"
check_eq "foreign keys hold" "" "$(sql 'PRAGMA foreign_key_check')"

# A year-old backlog, purged: 20,000 messages, each with its lead, an
# opt-out for every hundredth and an outbox row for every tenth.
now=$(date +%s)
sql "
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO inbound (id, instance, ext_id, sender, recipient, text,
    received_at, outcome, reply)
SELECT i, 'fk', 'SM' || i, printf('+447700900%03d', i % 1000),
    '+447700900000', 'Jane SE1 7PB', $now - 400 * 86400 + i, 'nearest', 'hi'
FROM n;
INSERT INTO leads (phone, name, postcode, match_kind, inbound_id,
    consent_at, created_at, updated_at)
SELECT sender, 'Jane', 'SE1 7PB', 'nearest', id, received_at,
    $now - 1000, $now - 1000 FROM inbound;
INSERT INTO optouts (phone, opted_out_at, source, inbound_id)
SELECT printf('+447700900%03d', id / 100), received_at, 'sms', id
FROM inbound WHERE id % 100 = 0 AND id / 100 < 1000;
INSERT INTO outbox (idem_key, channel, recipient, body, purpose, inbound_id,
    state, next_attempt_at, created_at, updated_at)
SELECT 'k' || id, 'sms', sender, 'hi', 'reply', id, 'sent', 0,
    received_at, received_at FROM inbound WHERE id % 10 = 0;
COMMIT;"
out=$(gw purge --older-than 365 2>&1)
check_eq "purged" "0" "$?"
check_eq "the old messages are gone" "0" "$(sql 'SELECT count(*) FROM inbound')"
check_eq "the newer leads stay, without the link" "20000 0" "$(sql "SELECT count(*) || ' ' || count(inbound_id) FROM leads")"
check_eq "opt-outs stay" "$(sql 'SELECT count(*) FROM optouts') 0" "$(sql "SELECT count(*) || ' ' || count(inbound_id) FROM optouts")"
check_eq "foreign keys still hold" "" "$(sql 'PRAGMA foreign_key_check')"
finish
