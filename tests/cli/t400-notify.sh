# t400-notify: organisers hear of each new lead by e-mail (a local SMTP
# sink), webhook (a local sink, signed) and SMS; repeat signups tell no one
# again; quiet hours hold notifications back and send one digest.
. tests/cli/lib.sh

start_fake smtp --smtp
SMTP=$FAKE_PORT
start_fake hook
HOOK=$FAKE_PORT
start_fake api
API=$FAKE_PORT
cat >"$T/providers.conf" <<CONF
[notify]
channels = email, webhook
from = gateway@example.org
smtp_url = smtp://127.0.0.1:$SMTP
smtp_user = gateway
smtp_password = smtp-password-not-real
smtp_starttls = no
webhook_url = http://127.0.0.1:$HOOK/hooks/leads
webhook_secret = hook-secret-not-real
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:$API
CONF
start_server "$T/providers.conf"

post /webhooks/fk 'from=%2B447700900701&text=Jane+Smith+SE1+7PB&id=n1' >/dev/null
wait_for "e-mail sent" "SELECT state FROM outbox WHERE idem_key = 'fk:n1:notify:email'" "sent"
wait_for "webhook sent" "SELECT state FROM outbox WHERE idem_key = 'fk:n1:notify:webhook'" "sent"
mail=$(head -1 "$T/smtp.log")
check_eq "to the branch contact" '["grace.mensah@example.org"]' "$(jget "$mail" '$.to')"
check_eq "authenticated" "gateway" "$(jget "$mail" '$.user')"
check_contains "subject" "Subject: New supporter for Southwark" "$(jget "$mail" '$.data')"
check_contains "what the organiser needs" "Jane Smith, SE1 7PB, +447700900701" "$(jget "$mail" '$.data')"
hook=$(head -1 "$T/hook.log")
body=$(jget "$hook" '$.body')
check_eq "webhook path" "/hooks/leads" "$(jget "$hook" '$.path')"
check_contains "Slack-compatible text" "New supporter for Southwark: Jane Smith" "$(jget "$body" '$.text')"
check_eq "lead in the webhook" "SE1 7PB" "$(jget "$body" '$.lead.postcode')"
sig=$(printf '%s' "$body" | hmac_hex hook-secret-not-real)
check_eq "webhook signed" "sha256=$sig" "$(jget "$hook" '$.headers."X-Gateway-Signature"')"

# A repeat signup updates the lead and tells no one again.
post /webhooks/fk 'from=%2B447700900701&text=Jane+Smith+SE1+7PB+again&id=n2' >/dev/null
check_eq "no second notification" "0" "$(sql "SELECT count(*) FROM outbox WHERE idem_key LIKE 'fk:n2:notify%'")"

# SMS to the regional organiser, chosen by the region.
gw region set "South West" --notify sms >/dev/null
post /webhooks/fk 'from=%2B447700900702&text=Ann+TR1+1AA&id=n3' >/dev/null
wait_for "sms notification" "SELECT channel || ' ' || state FROM outbox WHERE idem_key = 'fk:n3:notify:sms'" "sms sent"
check_eq "to the organiser's phone" "$(sql "SELECT organiser_phone FROM regions WHERE name = 'South West'")" \
    "$(sql "SELECT recipient FROM outbox WHERE idem_key = 'fk:n3:notify:sms'")"
check_contains "through the provider" "New supporter for South West: Ann" "$(cat "$T/api.log")"
stop_server

# Quiet hours all day long: held back, then one digest per recipient.
cat >>"$T/providers.conf" <<CONF
[notify]
quiet_hours = 00:00-23:59
include_phone = no
admin_url = https://admin.example.org
CONF
start_server "$T/providers.conf"
post /webhooks/fk 'from=%2B447700900703&text=Kim+SE1+7PB&id=q1' >/dev/null
post /webhooks/fk 'from=%2B447700900704&text=Lee+SE1+7PB&id=q2' >/dev/null
check_eq "held back" "2" "$(sql "SELECT count(*) FROM outbox WHERE idem_key IN ('fk:q1:notify:email', 'fk:q2:notify:email') AND state = 'queued' AND next_attempt_at > $(date +%s)")"
before=$(wc -l <"$T/smtp.log")
sql "UPDATE outbox SET next_attempt_at = 0 WHERE idem_key IN ('fk:q1:notify:email', 'fk:q2:notify:email')"
wait_for "digest sent" "SELECT count(*) FROM outbox WHERE idem_key IN ('fk:q1:notify:email', 'fk:q2:notify:email') AND state = 'sent'" "2"
check_eq "one e-mail for both" "$((before + 1))" "$(wc -l <"$T/smtp.log")"
digest=$(tail -1 "$T/smtp.log")
check_contains "digest subject" "Subject: 2 new supporters" "$(jget "$digest" '$.data')"
check_contains "a link, not the number" "https://admin.example.org/leads/" "$(jget "$digest" '$.data')"
case $(jget "$digest" '$.data') in *447700900703*) bad "phone number in the e-mail" ;; *) ok ;; esac
stop_server
finish
