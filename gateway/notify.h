/*
 * notify.h -- telling organisers of a new lead: which channels, to whom,
 * in what words, and when (quiet hours).  Notifications are outbox rows,
 * so they are retried, paced and never duplicated like any send.
 */
#ifndef GATEWAY_NOTIFY_H
#define GATEWAY_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct directory;
struct store;

/* Is list ("email,sms") made of known channels?  0, or -1 with err. */
int	notify_channels_valid(const char *list, char *err, size_t errlen);

/* The new lead the organisers are to hear of. */
struct notify_lead {
	int64_t		 lead_id;
	const char	*instance;	/* the provider instance it came by */
	const char	*ext_id;	/* its message, for the idempotency keys */
	const char	*name;
	const char	*postcode;
	const char	*phone;
	int64_t		 branch_id;
	int64_t		 region_id;
	const char	*match_kind;
	int64_t		 now;
	/* The simulator's (its rows marked test), and the instance its SMS
	 * notifications go by when notify_sms_instance is unset (NULL: the
	 * one it came by, which for the simulator is no provider). */
	int		 test;
	const char	*sms_via;
};

/* Queue the notifications of a lead, inside the caller's transaction.
 * 0 or -1. */
int	notify_queue(struct store *, const struct config *,
	    const struct directory *, const struct notify_lead *);

/*
 * Forward a question (or chat) a supporter texted to the national contact,
 * by e-mail, else by SMS through the instance it came by; inside the
 * caller's transaction.  q gives instance, ext_id, phone, now, test and
 * sms_via.  0 or -1.
 */
int	notify_question(struct store *, const struct config *,
	    const struct notify_lead *q, const char *text);

/* When a notification made at now may go: now, or the end of the quiet
 * hours now falls in. */
int64_t	notify_due(const struct config *, int64_t now);

#endif
