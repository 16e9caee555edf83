/*
 * pipeline.h -- the one place that sequences what happens to a text:
 * keyword, parse, geocode, match, reply.
 */
#ifndef GATEWAY_PIPELINE_H
#define GATEWAY_PIPELINE_H

#include <stdint.h>

#include "branch.h"
#include "geo.h"
#include "message.h"
#include "reply.h"
#include "util.h"

struct config;
struct store;

/* What one thread needs to answer texts: its own database connection and
 * its own copy of the directory, reloaded when the database changes. */
struct gateway {
	const struct config	*cf;
	struct store		*st;
	struct directory	 dir;
	int64_t			 data_version;	/* PRAGMA data_version seen */
	int64_t			 dir_version;	/* directory_version loaded */
	struct reply_texts	 texts;		/* the templates' rows, loaded
						   with dir */
	struct message_places	 places;	/* from dir, for the parser */
	char			**place_words;	/* owned: places.places */
	char			**area_codes;	/* owned: places.areas */
	const char		**district_codes; /* owned array: places.districts,
						   into dir */
};

/* Open the database (seeding a new one) and load the directory; 0 or -1. */
int	gateway_open(struct gateway *, const struct config *);
void	gateway_close(struct gateway *);
/* Reload the directory if another connection wrote; 0 or -1. */
int	gateway_refresh(struct gateway *);
/* This connection wrote to the directory itself (PRAGMA data_version only
 * counts others' writes): reload it now. */
int	gateway_changed(struct gateway *);
/* What a reply from this thread is worded under, for an instance (NULL:
 * none, as `gateway locate`); lent from gw and prov. */
struct provider;
void	gateway_reply_ctx(const struct gateway *, const struct provider *,
	    struct reply_ctx *);

struct locate_result {
	struct signup	signup;		/* .campaign: the text's, else the
					   conversation's it answers */
	struct geocode	geo;
	struct match	match;		/* points into gw->dir */
	struct buf	reply;
	struct buf	reply_ask;	/* the reply asking for a name too,
					   for a postcode alone; else empty */
	const char	*language;	/* the reply's (language.h), static */
};

/*
 * What the gateway would do with a text, without storing anything: the
 * parse, the geocode, the match and the reply.  0, or -1 on a database
 * error.  Release the result with locate_release().
 */
int	pipeline_locate(struct gateway *, const char *text, size_t len,
	    struct locate_result *);
void	locate_release(struct locate_result *);

struct provider;
struct inbound;
struct decision;

/*
 * What the pipeline saw on its way to a decision, for the admin's
 * simulator to show: filled by each decision taken for the job (the last
 * one stands: a reply to "what is your postcode?" is decided as the name
 * and postcode together).  Copies, never pointers into a directory.
 */
struct job_trace {
	enum geo_level	 geo_level;	/* GEO_NONE: not located */
	double		 lat, lon;
	int		 no_coords;
	char		 country[32];	/* geo's, else the directory's; "" */
	enum match_kind	 match;
	char		 branch[128];	/* "" none */
	char		 region[128];
	double		 distance_km;	/* -1 unknown */
	int		 approximate;
};

/*
 * One received message on its way to the database.  pipeline_prepare
 * fills it in the request's thread, reading only; pipeline_commit writes it
 * inside the writer's transaction (batch.c).  Nothing in it points into a
 * directory, which the request thread may reload meanwhile.
 */
struct job {
	/* what arrived */
	const struct provider	*prov;
	char			*instance;
	char			*ext_id;
	char			*sender;
	char			*recipient;
	char			*text;
	int64_t			 received_at;
	int			 unique_ids;	/* else dedup by sender + text */
	char			*part_ref;	/* a part of a long message, or NULL */
	int			 part, parts;
	/* A keyword the provider matched itself (Twilio's OptOutType), which
	 * wins over what the words say; KEYWORD_NONE when it said nothing.
	 * optout_evidence: "twilio inbound: OptOutType=STOP", or NULL. */
	enum keyword		 forced;
	char			*optout_evidence;

	/* what the pipeline made of it */
	enum message_kind	 kind;
	enum keyword		 keyword;
	char			*name;
	char			*postcode;
	int64_t			 branch_id;
	int64_t			 region_id;
	const char		*match_kind;	/* static string */
	char			*reply;		/* the wording; NULL: none */
	char			*reply_ask;	/* it, asking the name too */
	char			*campaign;	/* NULL: none */
	const char		*language;	/* the reply's; static */
	char			 chosen[8];	/* the number's language
						   choice; "": none */
	struct decision		*dec;		/* from reads of the sender's
						   state; NULL: to be made */
	uint64_t		 seen_seq;	/* batch_seq() before those reads */
	const struct config	*cf;		/* what it was decided under, kept
						   by the request; NULL: the
						   writer's own */
	/* The admin's simulator: every row it writes is marked test, and it
	 * counts in no metric; its organisers are told only with notify,
	 * their SMS going by sms_via unless notify_sms_instance says.
	 * trace, when set, is filled as above; actor: who sent it, for
	 * the audit.  Both owned. */
	int			 test;
	int			 notify;
	char			*sms_via;
	struct job_trace	*trace;
	char			*actor;

	/* the outcome, set by pipeline_commit */
	int			 status;	/* 200, or 503 to be retried */
	int			 duplicate;
	int			 stored;	/* a new inbound row */
	int			 new_optout;	/* a new optouts row */
	int			 new_lead;	/* a new leads row */
	int64_t			 lead_id;	/* the lead written or updated;
						   0: none */
	char			*answer;	/* the reply to give inline, or NULL */
	char			*answer_ref;	/* the id it is recorded under in the
						   outbox, for its receipts */

	/* a delivery receipt instead of a message (pipeline_receipt); an
	 * opt-out it reports goes in optout_evidence above */
	int			 delivery_state;
	char			*delivery_error;

	/* for batch.c: what the writer runs for it (pipeline_commit for a
	 * message), inside its transaction; 0 or -1 (rolled back alone) */
	int			(*write)(struct gateway *, struct job *,
				    int stale);
	struct job		*next;
	void			(*done)(struct job *, void *);
	void			*done_arg;
};

/*
 * Fill job from a decoded message, in the request's thread, reading only:
 * keyword, parse, geocode, match, reply, and what the sender's opt-out,
 * open conversation and recent lead make of it.  seen_seq is batch_seq(),
 * taken before the first read, so that the writer can tell whether a
 * batch wrote for this sender since.  0, or -1 on a database error.  Free
 * with job_free.
 */
int	pipeline_prepare(struct gateway *, const struct provider *,
	    const struct inbound *, int is_part, int64_t now,
	    uint64_t seen_seq, struct job *);
/*
 * The same for the admin's simulator (simulate.c): the job marked test,
 * its organisers told only with notify (SMS by sms_via, may be NULL), and
 * job->trace filled.  Never a part.
 */
int	pipeline_prepare_test(struct gateway *, const struct provider *,
	    const struct inbound *, int notify, const char *sms_via,
	    int64_t now, uint64_t seen_seq, struct job *);
/*
 * Write job inside the writer's open transaction: claim, opt-outs, lead,
 * conversation, outbox.  stale: a commit after job->seen_seq (or a job
 * before this one in the batch) wrote for the same sender, so the reads
 * pipeline_prepare decided by may be out of date; they are made again
 * here first, on the writer's connection, which sees this transaction.
 * A long message's last part is understood here too, as only the writer
 * sees all its parts.  0, or -1 (roll back to before it).
 */
int	pipeline_commit(struct gateway *, struct job *, int stale);
/* A delivery receipt for the writer to record: the outbox row sent under
 * (instance, ext_id) is delivered or failed; with optout_evidence (else
 * NULL), the provider refused it because the number opted out there, and
 * the number it went to is opted out with that evidence.  In the
 * request's thread; no reads.  Free with job_free. */
void	pipeline_receipt(struct job *, const char *instance,
	    const char *ext_id, int state, const char *error,
	    const char *optout_evidence);
void	job_free(struct job *);

#endif
