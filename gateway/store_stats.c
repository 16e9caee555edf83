/*
 * store_stats.c -- what the dashboard's figures are counted from
 * (admin_stats.c): the leads of a range of days, read through
 * leads_created (data/schema/012), the opt-outs of that range, and the
 * dead letters.
 */
#include <string.h>

#include "store_impl.h"

#define STATS_DAY	86400

int
store_stats_leads(struct store *st, const struct stats_filter *f,
    int (*cb)(const struct stats_lead *, void *), void *arg)
{
	struct db_stmt *s;
	int rc = 0, stop = 0;

	if ((s = store_stmt(st, "SELECT created_at, coalesce(branch_id, 0), "
	    "coalesce(region_id, 0), match_kind, coalesce(campaign, ''), "
	    "postcode, phone FROM leads WHERE created_at >= $1 AND "
	    "created_at < $2 AND (coalesce(campaign, '') = $3 OR $3 = '') AND "
	    "test = 0")) == NULL)
		return -1;
	for (int64_t at = f->since; at < f->until && !stop && rc != -1;
	    at += STATS_DAY) {
		int64_t end = at + STATS_DAY < f->until ? at + STATS_DAY :
		    f->until;
		db_reset(s);
		if (db_bind_int64(s, 1, at) == -1 ||
		    db_bind_int64(s, 2, end) == -1 ||
		    db_bind_text(s, 3, f->campaign ? f->campaign : "") == -1) {
			rc = -1;
			break;
		}
		while (!stop && (rc = db_step(s)) == 1) {
			const char *k = db_column_text(s, 3);
			const char *c = db_column_text(s, 4);
			const char *pc = db_column_text(s, 5);
			const char *ph = db_column_text(s, 6);
			struct stats_lead l = {
				.created_at = db_column_int64(s, 0),
				.branch_id = db_column_int64(s, 1),
				.region_id = db_column_int64(s, 2),
				.match_kind = k ? k : "",
				.campaign = c ? c : "",
				.postcode = pc ? pc : "",
				.phone = ph ? ph : "",
			};
			stop = cb(&l, arg);
		}
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc == -1 ? -1 : 0;
}

int
store_stats_optouts(struct store *st, int64_t since, int64_t until,
    int (*cb)(const char *, void *), void *arg)
{
	/* No index on opted_out_at: a STOP would pay for it, and the table
	 * is a small fraction of leads. */
	struct db_stmt *s;
	int rc;

	if ((s = store_stmt(st, "SELECT phone FROM optouts WHERE "
	    "opted_out_at >= $1 AND opted_out_at < $2 AND test = 0")) == NULL)
		return -1;
	if (db_bind_int64(s, 1, since) == -1 ||
	    db_bind_int64(s, 2, until) == -1)
		rc = -1;
	else
		while ((rc = db_step(s)) == 1) {
			const char *p = db_column_text(s, 0);
			if (cb(p ? p : "", arg))
				break;
		}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc == -1 ? -1 : 0;
}

int
store_stats_dead_letters(struct store *st, int64_t *n)
{
	/* outbox_due (state, next_attempt_at) answers it. */
	*n = 0;
	return store_query_int(st, n, "SELECT count(*) FROM outbox WHERE "
	    "state = 'dead' AND test = 0", "") == -1 ? -1 : 0;
}
