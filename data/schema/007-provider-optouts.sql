-- 007-provider-optouts.sql: what a provider said, kept with an opt-out, and
-- replies given inline recorded among the sends.
--
-- optouts.evidence: for an opt-out the provider reported (Twilio's error
-- 21610 or OptOutType=STOP, Telnyx's 40300, Plivo's error 200, Vonage's
-- err-code 9), the provider type, where it said so and the raw indicator,
-- as "twilio send: HTTP 400: 21610 Attempt to send to unsubscribed
-- recipient"; '' for a supporter's own words, which text holds.
--
-- outbox.inline: 1 for a reply the webhook's answer carried (TwiML, Plivo
-- XML, Kannel), recorded as sent so that a receipt can find it under
-- (instance, ext_id) by the outbox_ext index; the worker never sends one
-- (it takes only queued rows).  No index: nothing looks rows up by it.
ALTER TABLE optouts ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN inline INTEGER NOT NULL DEFAULT 0;
