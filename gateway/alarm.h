/*
 * alarm.h -- alarms for whoever runs the server: a provider instance that
 * has received no message for longer than its alarm_silence (counted in
 * [alerts] alarm_hours only), and a database that refuses writes.  Each is
 * raised once and cleared once, logged, listed in /readyz, and sent to
 * [alerts] (email, webhook_url) through the outbox, so that it is durable
 * and retried like any notification.
 *
 * One thread of its own, with its own connection, looking once a second:
 * nothing is done on the request path, which already writes the inbound
 * rows the silence is read from (see data/schema/008-activity.sql).
 */
#ifndef GATEWAY_ALARM_H
#define GATEWAY_ALARM_H

#include <jansson.h>

struct alarms;
struct app;

/* Start the thread once app's batch writer and outbox run (serve); NULL
 * after logging why. */
struct alarms	*alarm_start(struct app *);
/* Stop it, before the batch writer and the outbox stop. */
void		 alarm_stop(struct alarms *);
/* The active alarms, as a new JSON array of {"kind", "instance",
 * "since", "text"}; an empty one for NULL.  Any thread. */
json_t		*alarm_json(struct alarms *);

#endif
