/*
 * notify.c -- see notify.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "branch.h"
#include "config.h"
#include "notify.h"
#include "store.h"
#include "util.h"

static const char *channels[] = { "email", "sms", "webhook" };

int
notify_channels_valid(const char *list, char *err, size_t errlen)
{
	const char *p = list;

	while (*p) {
		size_t n;
		int ok = 0;
		while (*p == ' ' || *p == ',')
			p++;
		if ((n = strcspn(p, ", ")) == 0)
			break;
		for (size_t i = 0; i < nitems(channels); i++)
			ok |= strlen(channels[i]) == n &&
			    strncmp(channels[i], p, n) == 0;
		if (!ok) {
			snprintf(err, errlen, "\"%.*s\" is not a channel (email, "
			    "sms, webhook)", (int)n, p);
			return -1;
		}
		p += n;
	}
	return 0;
}

static int
has_channel(const char *list, const char *ch)
{
	size_t n = strlen(ch);

	for (const char *p = list; (p = strstr(p, ch)) != NULL; p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

int64_t
notify_due(const struct config *cf, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	int from, to, m, wait;

	/* Checked at load (KEY_HOURS); none, or the whole day, is no
	 * quiet at all. */
	if (hours_parse(cf->quiet_hours, &from, &to) == -1 || from == to)
		return now;
	localtime_r(&t, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	/* Inside [from, to), which may wrap past midnight? */
	if (from < to ? (m < from || m >= to) : (m < from && m >= to))
		return now;
	wait = (to - m + 24 * 60) % (24 * 60);
	return now + wait * 60 - tm.tm_sec;
}

/* The words of the notification. */
static char *
wording(const struct config *cf, const struct notify_lead *l,
    const char *where)
{
	const char *name = l->name[0] ? l->name : "(no name yet)";

	if (cf->notify_include_phone)
		return xasprintf("New supporter for %s: %s, %s, %s", where, name,
		    l->postcode, l->phone);
	if (cf->admin_url[0])
		return xasprintf("New supporter for %s: %s, %s. Details: "
		    "%s/leads/%lld", where, name, l->postcode, cf->admin_url,
		    (long long)l->lead_id);
	return xasprintf("New supporter for %s: %s, %s (lead %lld)", where,
	    name, l->postcode, (long long)l->lead_id);
}

static int
queue(struct store *st, const struct notify_lead *l, const char *channel,
    const char *instance, const char *to, const char *subject,
    const char *body, int64_t due)
{
	char *key = xasprintf("%s:%s:notify:%s", l->instance, l->ext_id,
	    channel);
	struct outbox_row row = {
		.idem_key = key, .channel = channel, .instance = instance,
		.recipient = to, .subject = subject, .body = body,
		.purpose = "notify", .due = due, .test = l->test,
	};
	int rc = store_outbox_enqueue(st, &row);

	free(key);
	return rc == -1 ? -1 : 0;
}

int
notify_queue(struct store *st, const struct config *cf,
    const struct directory *dir, const struct notify_lead *l)
{
	const struct branch *b = NULL;
	const struct region *r = directory_region(dir, l->region_id);
	const char *list = cf->notify_channels, *email, *phone, *where;
	int64_t due = notify_due(cf, l->now);
	char *text, *subject;
	int rc = 0;

	for (size_t i = 0; i < dir->nbranches; i++)
		if (dir->branches[i].id == l->branch_id)
			b = &dir->branches[i];
	/* Who: the branch's contact, else the region's organiser, else the
	 * national contact; and by the channels they asked for. */
	if (b != NULL) {
		email = b->contact_email;
		phone = b->contact_phone;
		where = b->name;
		if (b->notify[0])
			list = b->notify;
	} else if (r != NULL && strcmp(l->match_kind, "region") == 0) {
		email = r->organiser_email;
		phone = r->organiser_phone;
		where = r->name;
		if (r->notify[0])
			list = r->notify;
	} else {
		email = cf->national_email;
		phone = cf->national_phone;
		where = "the national team";
	}
	text = wording(cf, l, where);
	subject = xasprintf("New supporter for %s", where);
	if (has_channel(list, "email") && email[0])
		rc |= queue(st, l, "email", "", email, subject, text, due);
	if (has_channel(list, "sms") && phone[0])
		rc |= queue(st, l, "sms", cf->notify_sms_instance[0] ?
		    cf->notify_sms_instance : l->sms_via ? l->sms_via :
		    l->instance, phone, "", text, due);
	if (has_channel(list, "webhook") && cf->notify_webhook_url[0]) {
		json_t *o = json_pack("{s:s, s:{s:I, s:s, s:s, s:s, s:s, s:s}}",
		    "text", text, "lead", "id", (json_int_t)l->lead_id, "name",
		    l->name, "postcode", l->postcode, "phone",
		    cf->notify_include_phone ? l->phone : "", "for", where,
		    "match", l->match_kind);
		char *json = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (json)
			rc |= queue(st, l, "webhook", "", cf->notify_webhook_url,
			    "", json, due);
		else
			rc = -1;
		free(json);
		json_decref(o);
	}
	free(text);
	free(subject);
	return rc;
}

int
notify_question(struct store *st, const struct config *cf,
    const struct notify_lead *q, const char *text)
{
	const char *phone = q->phone;
	int64_t due = notify_due(cf, q->now);
	char *body, *subject = xstrdup("A question by text");
	int rc = 0;

	body = xasprintf("A supporter asked: \"%s\"%s%s", text,
	    cf->notify_include_phone ? " from " : "",
	    cf->notify_include_phone ? phone : "");
	if (cf->national_email[0])
		rc = queue(st, q, "email", "", cf->national_email, subject,
		    body, due);
	else if (cf->national_phone[0])
		rc = queue(st, q, "sms", cf->notify_sms_instance[0] ?
		    cf->notify_sms_instance : q->sms_via ? q->sms_via :
		    q->instance, cf->national_phone, "", body, due);
	free(body);
	free(subject);
	return rc;
}
