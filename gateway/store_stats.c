/*
 * store_stats.c -- the dashboard's figures (admin_stats.c): leads of a
 * range of days counted by what the page breaks them down by, the distinct
 * numbers among them and the share of those that opted out, and the dead
 * letters.  Every query reads the range through leads_created
 * (data/schema/011), and groups in the database, so that what comes back
 * is a few hundred rows however many leads the range holds.
 */
#include <string.h>

#include "store_impl.h"

/* A lead's district: its postcode is a whole unit ("SE1 7PB", whose
 * inward code is always three characters after a space) or an outward
 * code alone ("SE1", four characters at most). */
#define STATS_DISTRICT "CASE WHEN length(postcode) > 4 THEN " \
	"substr(postcode, 1, length(postcode) - 4) ELSE postcode END"
/* The range and the campaign ($1, $2, $3; '' for any). */
#define STATS_WHERE "created_at >= $1 AND created_at < $2 AND " \
	"(coalesce(campaign, '') = $3 OR $3 = '')"

static struct db_stmt *
stats_query(struct store *st, const char *sql, const struct stats_filter *f)
{
	struct db_stmt *s;

	if ((s = store_stmt(st, sql)) == NULL)
		return NULL;
	if (db_bind_int64(s, 1, f->since) == -1 ||
	    db_bind_int64(s, 2, f->until) == -1 ||
	    db_bind_text(s, 3, f->campaign ? f->campaign : "") == -1) {
		store_dberror(st);
		store_done(st, s);
		return NULL;
	}
	return s;
}

static int
stats_end(struct store *st, struct db_stmt *s, int rc)
{
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc == -1 ? -1 : 0;
}

int
store_stats_groups(struct store *st, const struct stats_filter *f,
    int (*cb)(const struct stats_group *, void *), void *arg)
{
	struct db_stmt *s = stats_query(st, "SELECT created_at / 86400, "
	    "coalesce(branch_id, 0), coalesce(region_id, 0), match_kind, "
	    "coalesce(campaign, ''), count(*) FROM leads WHERE " STATS_WHERE
	    " GROUP BY created_at / 86400, coalesce(branch_id, 0), "
	    "coalesce(region_id, 0), match_kind, coalesce(campaign, '')", f);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		struct stats_group g = {
			.day = db_column_int64(s, 0),
			.branch_id = db_column_int64(s, 1),
			.region_id = db_column_int64(s, 2),
			.match_kind = db_column_text(s, 3),
			.campaign = db_column_text(s, 4),
			.leads = db_column_int64(s, 5),
		};
		if (g.match_kind == NULL)
			g.match_kind = "";
		if (g.campaign == NULL)
			g.campaign = "";
		if (cb(&g, arg))
			break;
	}
	return stats_end(st, s, rc);
}

int
store_stats_districts(struct store *st, const struct stats_filter *f,
    int (*cb)(const char *, const char *, int64_t, void *), void *arg)
{
	struct db_stmt *s = stats_query(st, "SELECT " STATS_DISTRICT ", "
	    "match_kind, count(*) FROM leads WHERE " STATS_WHERE " AND "
	    "postcode <> '' GROUP BY " STATS_DISTRICT ", match_kind", f);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		const char *d = db_column_text(s, 0), *k = db_column_text(s, 1);
		if (cb(d ? d : "", k ? k : "", db_column_int64(s, 2), arg))
			break;
	}
	return stats_end(st, s, rc);
}

int
store_stats_numbers(struct store *st, const struct stats_filter *f,
    int64_t *numbers, int64_t *optouts)
{
	/* Of the numbers with a lead in the range, those that opted out in
	 * it: one look-up by key in optouts per distinct number. */
	struct db_stmt *s = stats_query(st, "SELECT count(*), count(o.phone) "
	    "FROM (SELECT DISTINCT phone FROM leads WHERE " STATS_WHERE ") d "
	    "LEFT JOIN optouts o ON o.phone = d.phone AND "
	    "o.opted_out_at >= $1 AND o.opted_out_at < $2", f);
	int rc;

	*numbers = *optouts = 0;
	if (s == NULL)
		return -1;
	if ((rc = db_step(s)) == 1) {
		*numbers = db_column_int64(s, 0);
		*optouts = db_column_int64(s, 1);
	}
	return stats_end(st, s, rc);
}

int
store_stats_dead_letters(struct store *st, int64_t *n)
{
	/* outbox_due (state, next_attempt_at) answers it. */
	*n = 0;
	return store_query_int(st, n, "SELECT count(*) FROM outbox WHERE "
	    "state = 'dead'", "") == -1 ? -1 : 0;
}
