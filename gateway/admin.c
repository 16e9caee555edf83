/*
 * admin.c -- see admin.h.  Every write goes through the same checked
 * paths as the CLI (branch_edit.c, store.c) and lands in the audit trail
 * under the token's name; the next text sees it (the directory reloads
 * when the database changes).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin.h"
#include "branch_edit.h"
#include "config.h"
#include "crypto.h"
#include "embedded.h"
#include "export.h"
#include "pipeline.h"
#include "notify.h"
#include "simulate.h"
#include "store.h"
#include "util.h"

#define ADMIN_PAGE_MAX	500	/* leads a page at most */
#define ADMIN_MAX_PAGES	1000000	/* so that (page - 1) * per_page fits */

enum role { ROLE_NONE, ROLE_VIEWER, ROLE_ADMIN };

int
admin_check_tokens(const struct config *cf)
{
	const char *file = cf->file ? cf->file : "(defaults)";
	int errors = 0;

	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		if (strcmp(b->kind, "token") != 0)
			continue;
		const struct config_pair *role = config_block_get(b, "role");
		const struct config_pair *hash = config_block_get(b, "sha256");
		unsigned char raw[32];
		for (size_t j = 0; j < b->npairs; j++)
			if (strcmp(b->pairs[j].key, "role") &&
			    strcmp(b->pairs[j].key, "sha256")) {
				fprintf(stderr, "%s:%d: [token %s]: unknown key "
				    "\"%s\" (role, sha256)\n", file,
				    b->pairs[j].line, b->name, b->pairs[j].key);
				errors++;
			}
		if (role == NULL || (strcmp(role->value, "admin") &&
		    strcmp(role->value, "viewer"))) {
			fprintf(stderr, "%s:%d: [token %s]: role is admin or "
			    "viewer\n", file, role ? role->line : b->line, b->name);
			errors++;
		}
		if (hash == NULL || hex_decode(hash->value, raw, sizeof raw)) {
			fprintf(stderr, "%s:%d: [token %s]: sha256 is the token's "
			    "SHA-256 in hex (never the token itself)\n", file,
			    hash ? hash->line : b->line, b->name);
			errors++;
		}
	}
	return errors ? -1 : 0;
}

int
admin_once_token(struct app *app, char *out, size_t outlen)
{
	unsigned char raw[32];

	if (outlen < ADMIN_ONCE_LEN || crypto_random(raw, sizeof raw) == -1)
		return -1;
	hex_encode(raw, sizeof raw, out);
	crypto_digest(HASH_SHA256, out, strlen(out), app->admin_once);
	app->has_admin_once = 1;
	explicit_bzero(raw, sizeof raw);
	return 0;
}

/* Who is calling: the token's name and role, compared in constant time
 * against every configured hash, and against the one-time token while no
 * [token NAME] is configured. */
static enum role
authenticate(const struct app *app, const struct config *cf,
    const struct http_req *req, char *who, size_t wholen)
{
	const char *auth = http_req_header(req, "Authorization");
	unsigned char got[CRYPTO_MAX_DIGEST], want[32];
	enum role role = ROLE_NONE;
	int configured = 0;

	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0 ||
	    auth[7] == '\0')
		return ROLE_NONE;
	crypto_digest(HASH_SHA256, auth + 7, strlen(auth + 7), got);
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		const struct config_pair *hash, *r;
		if (strcmp(b->kind, "token") != 0 ||
		    (hash = config_block_get(b, "sha256")) == NULL ||
		    (r = config_block_get(b, "role")) == NULL ||
		    hex_decode(hash->value, want, sizeof want) == -1)
			continue;
		configured = 1;
		if (crypto_eq(got, want, sizeof want)) {
			role = strcmp(r->value, "admin") == 0 ? ROLE_ADMIN :
			    ROLE_VIEWER;
			snprintf(who, wholen, "token:%s", b->name);
		}
	}
	if (!configured && app->has_admin_once &&
	    crypto_eq(got, app->admin_once, sizeof app->admin_once)) {
		role = ROLE_ADMIN;
		snprintf(who, wholen, "token:first-run");
	}
	return role;
}

static void
reply_json(struct http_resp *resp, int status, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));

	http_resp_set(resp, status, "application/json", text ? text : "{}");
	free(text);
	json_decref(o);
}

static enum route_result
error(struct http_resp *resp, int status, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum route_result
error(struct http_resp *resp, int status, const char *field,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reply_json(resp, status, field ? json_pack("{s:s, s:s}", "error", msg,
	    "field", field) : json_pack("{s:s}", "error", msg));
	return ROUTE_DONE;
}

static json_t *
branch_json(const struct branch *b, const struct directory *dir)
{
	json_t *o = json_object();
	char buf[2048];

	json_object_set_new(o, "id", json_integer(b->id));
	for (int i = 0; branch_fields[i]; i++) {
		const char *f = branch_fields[i];
		if (!strcmp(f, "latitude") || !strcmp(f, "longitude"))
			json_object_set_new(o, f, b->has_coords ?
			    json_real(f[1] == 'a' ? b->lat : b->lon) :
			    json_null());
		else if (!strcmp(f, "active"))
			json_object_set_new(o, f, json_boolean(b->active));
		else if (!strcmp(f, "coverage")) {
			json_t *a = json_array();
			for (size_t j = 0; j < b->ncoverage; j++)
				json_array_append_new(a,
				    json_string(b->coverage[j]));
			json_object_set_new(o, f, a);
		} else
			json_object_set_new(o, f, json_string(branch_get_field(b,
			    dir, f, buf, sizeof buf)));
	}
	return o;
}

static json_t *
region_json(const struct region *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)r->id, "name", r->name, "organiser_name",
	    r->organiser_name, "organiser_phone", r->organiser_phone,
	    "organiser_email", r->organiser_email, "notify", r->notify);
}

/* A query parameter's value, or NULL. */
static const char *
qparam(const struct http_params *q, const char *name)
{
	const char *v = http_param(q, name);

	return v && *v ? v : NULL;
}

/*
 * The query's numbers, all read here: a whole number within [min, max]
 * (query_int) or a day YYYY-MM-DD (query_day, as Unix time at its start).
 * An absent or empty parameter leaves *out alone.  0, or -1 with a 400
 * naming the parameter in resp: nothing the caller computes from *out can
 * overflow.
 */
/* v as a whole number within [min, max] (min >= 0): digits only. */
static int
parse_int(const char *v, int64_t min, int64_t max, int64_t *out)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; v[i] >= '0' && v[i] <= '9'; i++) {
		if (n > (max - (v[i] - '0')) / 10)
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	if (i == 0 || v[i] != '\0' || n < min)
		return -1;
	*out = n;
	return 0;
}

static int
query_int(const struct http_params *q, const char *name, int64_t min,
    int64_t max, int64_t *out, struct http_resp *resp)
{
	const char *v = qparam(q, name);

	if (v == NULL || parse_int(v, min, max, out) == 0)
		return 0;
	error(resp, 400, name, "%s: a whole number from %lld to %lld", name,
	    (long long)min, (long long)max);
	return -1;
}

static int
query_day(const struct http_params *q, const char *name, int64_t *out,
    struct http_resp *resp)
{
	const char *v = qparam(q, name);
	struct tm tm;
	const char *end;

	if (v == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	/* Four-digit years only: strptime takes any number of digits. */
	if (strlen(v) != 10 || strspn(v, "0123456789") != 4 ||
	    (end = strptime(v, "%Y-%m-%d", &tm)) == NULL || *end != '\0' ||
	    tm.tm_year < 70) {
		error(resp, 400, name, "%s: a day as YYYY-MM-DD, from "
		    "1970-01-01", name);
		return -1;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* Run a write in a transaction; the store's error becomes a 422 or 500. */
#define WRITE(gw, resp, expr) do {					\
	if (store_begin((gw)->st) == -1 || (expr) == -1 ||		\
	    store_commit((gw)->st) == -1) {				\
		store_rollback((gw)->st);				\
		return error(resp, 422, NULL, "%s",			\
		    store_error((gw)->st));				\
	}								\
	gateway_changed(gw);						\
} while (0)

/* Apply a JSON object's fields to b, through the same checks as the CLI. */
static enum route_result
apply_branch(struct gateway *gw, json_t *o, struct branch *b,
    struct http_resp *resp)
{
	const char *key;
	json_t *v;
	char err[256], text[64];

	json_object_foreach(o, key, v) {
		const char *s = NULL;
		int known = 0;
		for (int i = 0; branch_fields[i]; i++)
			known |= strcmp(branch_fields[i], key) == 0;
		if (!known)
			return error(resp, 422, key, "unknown field");
		if (json_is_string(v))
			s = json_string_value(v);
		else if (json_is_number(v)) {
			snprintf(text, sizeof text, "%.8g", json_number_value(v));
			s = text;
		} else if (json_is_boolean(v))
			s = json_is_true(v) ? "yes" : "no";
		else if (json_is_null(v))
			s = "";
		else if (json_is_array(v) && !strcmp(key, "coverage")) {
			struct buf cov;
			size_t i;
			json_t *c;
			buf_init(&cov, 0);
			json_array_foreach(v, i, c)
				buf_printf(&cov, "%s%s", i ? ";" : "",
				    json_is_string(c) ? json_string_value(c) : "?");
			int rc = branch_set_field(b, &gw->dir, key, cov.data ?
			    cov.data : "", err, sizeof err);
			buf_release(&cov);
			if (rc == -1)
				return error(resp, 422, key, "%s", err);
			continue;
		} else
			return error(resp, 422, key, "must be text");
		if (branch_set_field(b, &gw->dir, key, s, err, sizeof err) == -1)
			return error(resp, 422, key, "%s", err);
	}
	if (branch_finish(b, gw->st, &gw->dir, err, sizeof err) == -1) {
		const char *colon = strchr(err, ':');
		char field[32] = "";
		if (colon && (size_t)(colon - err) < sizeof field)
			snprintf(field, sizeof field, "%.*s", (int)(colon - err),
			    err);
		return error(resp, 422, field[0] ? field : NULL, "%s", err);
	}
	return ROUTE_WAIT;	/* "go on": the caller writes */
}

/* An id in a path ("branches/12"); 0, which no row has, when it is not
 * one. */
static int64_t
path_id(const char *id)
{
	int64_t n = 0;

	return parse_int(id, 1, INT64_MAX, &n) == 0 ? n : 0;
}

static const struct branch *
branch_by_id(const struct directory *dir, const char *id)
{
	int64_t n = path_id(id);

	for (size_t i = 0; i < dir->nbranches; i++)
		if (dir->branches[i].id == n)
			return &dir->branches[i];
	return NULL;
}

static enum route_result
branches(struct gateway *gw, const char *actor, const char *method,
    const char *id, json_t *body, struct http_resp *resp)
{
	const struct branch *old = id ? branch_by_id(&gw->dir, id) : NULL;
	struct branch b;

	if (id && old == NULL)
		return error(resp, 404, NULL, "no branch %s", id);
	if (!strcmp(method, "GET")) {
		json_t *a;
		if (old)
			reply_json(resp, 200, branch_json(old, &gw->dir));
		else {
			a = json_array();
			for (size_t i = 0; i < gw->dir.nbranches; i++)
				json_array_append_new(a,
				    branch_json(&gw->dir.branches[i], &gw->dir));
			reply_json(resp, 200, a);
		}
		return ROUTE_DONE;
	}
	if (!strcmp(method, "DELETE") && old) {
		int64_t bid = old->id;
		WRITE(gw, resp, store_branch_delete(gw->st, actor, bid));
		http_resp_set(resp, 204, NULL, NULL);
		return ROUTE_DONE;
	}
	if ((!strcmp(method, "POST") && old == NULL && id == NULL) ||
	    (!strcmp(method, "PUT") && old)) {
		if (!json_is_object(body))
			return error(resp, 400, NULL, "expected a JSON object");
		if (old)
			branch_copy(&b, old);
		else
			branch_init(&b);
		if (apply_branch(gw, body, &b, resp) == ROUTE_DONE) {
			branch_release(&b);
			return ROUTE_DONE;
		}
		if (store_begin(gw->st) == -1 || (old ?
		    store_branch_update(gw->st, actor, &b) :
		    store_branch_insert(gw->st, actor, &b)) == -1 ||
		    store_commit(gw->st) == -1) {
			store_rollback(gw->st);
			branch_release(&b);
			return error(resp, 422, NULL, "%s", store_error(gw->st));
		}
		gateway_changed(gw);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(b.id));
		reply_json(resp, old ? 200 : 201, o);
		branch_release(&b);
		return ROUTE_DONE;
	}
	return error(resp, 405, NULL, "method not allowed here");
}

static enum route_result
regions(struct gateway *gw, const char *actor, const char *method,
    const char *id, json_t *body, struct http_resp *resp)
{
	const struct region *old = id ? directory_region(&gw->dir, path_id(id)) :
	    NULL;
	char phone[32], err[256];

	if (id && old == NULL)
		return error(resp, 404, NULL, "no region %s", id);
	if (!strcmp(method, "GET")) {
		json_t *a = json_array();
		if (old) {
			reply_json(resp, 200, region_json(old));
			json_decref(a);
			return ROUTE_DONE;
		}
		for (size_t i = 0; i < gw->dir.nregions; i++)
			json_array_append_new(a, region_json(&gw->dir.regions[i]));
		reply_json(resp, 200, a);
		return ROUTE_DONE;
	}
	if (strcmp(method, "PUT") != 0 || old == NULL)
		return error(resp, 405, NULL, "method not allowed here");
	if (!json_is_object(body))
		return error(resp, 400, NULL, "expected a JSON object");
	struct region r = *old;
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		const char *s = json_string_value(v);
		if (s == NULL)
			return error(resp, 422, key, "must be text");
		if (!strcmp(key, "name")) {
			if (*s == '\0')
				return error(resp, 422, key, "must not be empty");
			r.name = (char *)(uintptr_t)s;
		} else if (!strcmp(key, "organiser_name"))
			r.organiser_name = (char *)(uintptr_t)s;
		else if (!strcmp(key, "organiser_phone")) {
			if (*s && phone_normalise(s, phone, sizeof phone) == -1)
				return error(resp, 422, key, "\"%s\" is not a "
				    "phone number", s);
			r.organiser_phone = *s ? phone : "";
		} else if (!strcmp(key, "organiser_email")) {
			if (*s && !email_plausible(s))
				return error(resp, 422, key, "\"%s\" is not an "
				    "e-mail address", s);
			r.organiser_email = (char *)(uintptr_t)s;
		} else if (!strcmp(key, "notify")) {
			if (notify_channels_valid(s, err, sizeof err) == -1)
				return error(resp, 422, key, "%s", err);
			r.notify = (char *)(uintptr_t)s;
		} else
			return error(resp, 422, key, "unknown field");
	}
	WRITE(gw, resp, store_region_update(gw->st, actor, &r));
	reply_json(resp, 200, json_pack("{s:I}", "id", (json_int_t)r.id));
	return ROUTE_DONE;
}

struct lead_page {
	json_t	*items;
	long	 skip, take;
};

static int
lead_item(const struct lead_row *l, void *arg)
{
	struct lead_page *pg = arg;

	if (pg->skip > 0) {
		pg->skip--;
		return 0;
	}
	if (pg->take-- <= 0)
		return 1;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:{s:s, s:s, s:I, s:s}, s:I}", "id", (json_int_t)l->id,
	    "phone", l->phone, "name", l->name, "postcode", l->postcode,
	    "branch", l->branch, "region", l->region, "match", l->match_kind,
	    "consent", "message_id", l->consent_ext_id, "text", l->consent_text,
	    "at", (json_int_t)l->consent_at, "reply", l->consent_reply,
	    "created_at", (json_int_t)l->created_at);
	json_object_set_new(o, "campaign", l->campaign[0] ?
	    json_string(l->campaign) : json_null());
	json_array_append_new(pg->items, o);
	return 0;
}

/* ?branch=ID&region=ID&campaign=NAME&since=DAY&until=DAY; -1 with resp
 * set.  f->campaign is lent by q. */
static int
lead_filter(const struct http_params *q, struct lead_filter *f,
    struct http_resp *resp)
{
	int64_t until = -1;

	memset(f, 0, sizeof *f);
	if (query_int(q, "branch", 1, INT64_MAX, &f->branch_id, resp) == -1 ||
	    query_int(q, "region", 1, INT64_MAX, &f->region_id, resp) == -1 ||
	    query_day(q, "since", &f->since, resp) == -1 ||
	    query_day(q, "until", &until, resp) == -1)
		return -1;
	f->campaign = http_param(q, "campaign");
	if (until != -1)
		f->until = until + 86400;	/* the whole of that day */
	return 0;
}

static enum route_result
leads(struct gateway *gw, const struct http_params *q, struct http_resp *resp)
{
	struct lead_filter f;
	struct lead_page pg;
	int64_t page = 1, per = 50;

	if (lead_filter(q, &f, resp) == -1 ||
	    query_int(q, "page", 1, ADMIN_MAX_PAGES, &page, resp) == -1 ||
	    query_int(q, "per_page", 1, ADMIN_PAGE_MAX, &per, resp) == -1)
		return ROUTE_DONE;
	pg.items = json_array();
	pg.skip = (long)((page - 1) * per);
	pg.take = (long)per;
	if (store_leads_each(gw->st, &f, lead_item, &pg) == -1) {
		json_decref(pg.items);
		return error(resp, 500, NULL, "%s", store_error(gw->st));
	}
	reply_json(resp, 200, json_pack("{s:o, s:i, s:i}", "leads", pg.items,
	    "page", (int)page, "per_page", (int)per));
	return ROUTE_DONE;
}

/* GET leads.csv (with the filters of leads) and optouts.csv: the same
 * files as `gateway lead export` and `optout export`, formulas and all
 * neutralised there. */
static enum route_result
csv_download(struct gateway *gw, const char *what,
    const struct http_params *q, struct http_resp *resp)
{
	struct lead_filter f;
	char *data = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if (!strcmp(what, "leads.csv") && lead_filter(q, &f, resp) == -1)
		return ROUTE_DONE;
	if ((fp = open_memstream(&data, &len)) == NULL)
		return error(resp, 500, NULL, "out of memory");
	rc = !strcmp(what, "leads.csv") ? export_leads_csv(gw->st, &f, fp) :
	    export_optouts_csv(gw->st, fp);
	if (fclose(fp) != 0 || rc == -1) {
		free(data);
		return error(resp, 500, NULL, "%s", store_error(gw->st));
	}
	http_resp_set(resp, 200, "text/csv; charset=utf-8", NULL);
	buf_append(&resp->body, data, len);
	free(data);
	http_resp_header(resp, "Content-Disposition",
	    !strcmp(what, "leads.csv") ? "attachment; filename=\"leads.csv\"" :
	    "attachment; filename=\"optouts.csv\"");
	return ROUTE_DONE;
}

static int
optout_item(const struct optout_row *o, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}",
	    "phone", o->phone, "at", (json_int_t)o->at, "source", o->source,
	    "instance", o->instance ? o->instance : "", "text",
	    o->text ? o->text : "", "evidence", o->evidence ? o->evidence :
	    ""));
	return 0;
}

static enum route_result
optouts(struct gateway *gw, const char *actor, const char *method,
    const char *id, json_t *body, struct http_resp *resp)
{
	char phone[32];
	const char *number = id;

	if (!strcmp(method, "GET") && id == NULL) {
		json_t *a = json_array();
		if (store_optouts_each(gw->st, optout_item, a) == -1) {
			json_decref(a);
			return error(resp, 500, NULL, "%s", store_error(gw->st));
		}
		reply_json(resp, 200, a);
		return ROUTE_DONE;
	}
	if (!strcmp(method, "POST") && id == NULL)
		number = json_string_value(json_object_get(body, "phone"));
	else if (strcmp(method, "DELETE") != 0 || id == NULL)
		return error(resp, 405, NULL, "method not allowed here");
	if (number == NULL || phone_normalise(number, phone, sizeof phone))
		return error(resp, 422, "phone", "not a phone number");
	WRITE(gw, resp, store_optout_change(gw->st, actor, phone,
	    !strcmp(method, "POST"), "api"));
	http_resp_set(resp, 204, NULL, NULL);
	return ROUTE_DONE;
}

static int
outbox_item(const struct outbox_item *it, const char *state,
    const char *last_error, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, "
	    "s:i, s:s, s:s}", "id", (json_int_t)it->id, "key", it->idem_key,
	    "channel", it->channel, "purpose", it->purpose, "recipient",
	    it->recipient, "state", state, "attempts", it->attempts,
	    "last_error", last_error ? last_error : "", "body", it->body));
	return 0;
}

static enum route_result
outbox(struct gateway *gw, const char *actor, const char *method,
    const char *rest, const struct http_params *q, struct http_resp *resp)
{
	if (rest == NULL && !strcmp(method, "GET")) {
		json_t *a = json_array();
		if (store_outbox_list(gw->st, qparam(q, "state"), 500,
		    outbox_item, a) == -1) {
			json_decref(a);
			return error(resp, 500, NULL, "%s", store_error(gw->st));
		}
		reply_json(resp, 200, a);
		return ROUTE_DONE;
	}
	/* ID/retry, ID/discard */
	const char *slash = rest ? strchr(rest, '/') : NULL;
	if (slash == NULL || strcmp(method, "POST") != 0 ||
	    (strcmp(slash, "/retry") && strcmp(slash, "/discard")))
		return error(resp, 405, NULL, "method not allowed here");
	char num[24];
	snprintf(num, sizeof num, "%.*s", (int)(slash - rest), rest);
	int64_t id = path_id(num);
	int discard = strcmp(slash, "/discard") == 0;
	WRITE(gw, resp, store_outbox_revive(gw->st, actor, id, discard));
	http_resp_set(resp, 204, NULL, NULL);
	return ROUTE_DONE;
}

static int
audit_item(const struct audit_entry *e, void *arg)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id",
	    (json_int_t)e->id, "at", (json_int_t)e->at, "actor", e->actor,
	    "action", e->action, "record", e->record);

	json_object_set_new(o, "before", e->before ?
	    json_loads(e->before, 0, NULL) : json_null());
	json_object_set_new(o, "after", e->after ?
	    json_loads(e->after, 0, NULL) : json_null());
	json_array_append_new(arg, o);
	return json_array_size(arg) >= 1000;
}

static enum route_result
audit(struct gateway *gw, const struct http_params *q, struct http_resp *resp)
{
	int64_t since = 0, until = -1;
	json_t *a;

	if (query_day(q, "since", &since, resp) == -1 ||
	    query_day(q, "until", &until, resp) == -1)
		return ROUTE_DONE;
	/* until: the whole of that day; 0: no end. */
	until = until == -1 ? 0 : until + 86400;
	a = json_array();
	if (store_audit_list(gw->st, qparam(q, "record"), since, until,
	    audit_item, a) == -1) {
		json_decref(a);
		return error(resp, 500, NULL, "%s", store_error(gw->st));
	}
	reply_json(resp, 200, a);
	return ROUTE_DONE;
}

/* Region areas: GET the map; PUT CODE {"region": NAME}; DELETE CODE. */
static enum route_result
region_areas(struct gateway *gw, const char *actor, const char *method,
    const char *code, json_t *body, struct http_resp *resp)
{
	char norm[8];

	if (!strcmp(method, "GET") && code == NULL) {
		json_t *o = json_object();
		for (size_t i = 0; i < gw->dir.region_of.n; i++) {
			const struct code_entry *e = &gw->dir.region_of.entries[i];
			json_object_set_new(o, e->code,
			    json_string(gw->dir.regions[e->index].name));
		}
		reply_json(resp, 200, o);
		return ROUTE_DONE;
	}
	if (code == NULL || (strcmp(method, "PUT") && strcmp(method, "DELETE")))
		return error(resp, 405, NULL, "method not allowed here");
	if (region_code(code, norm, sizeof norm) == -1)
		return error(resp, 422, "code", "\"%s\" is not a postcode area "
		    "(SE) or district (SE1)", code);
	int64_t rid = 0;
	if (!strcmp(method, "PUT")) {
		const char *name = json_string_value(json_object_get(body,
		    "region"));
		for (size_t i = 0; name && i < gw->dir.nregions; i++)
			if (!strcasecmp(gw->dir.regions[i].name, name))
				rid = gw->dir.regions[i].id;
		if (rid == 0)
			return error(resp, 422, "region", "no such region");
	}
	WRITE(gw, resp, store_region_map(gw->st, actor, norm, rid));
	http_resp_set(resp, 204, NULL, NULL);
	return ROUTE_DONE;
}

enum route_result
admin_api(struct app *app, const char *rest, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	struct http_params q = { 0 };
	struct gateway *gw;
	json_t *body = NULL;
	char actor[96], what[64];
	const char *id;
	enum route_result rc;
	enum role role;

	if ((role = authenticate(app, app_config(app), req, actor,
	    sizeof actor)) ==
	    ROLE_NONE) {
		http_resp_header(resp, "WWW-Authenticate", "Bearer");
		return error(resp, 401, NULL, "a valid bearer token is needed");
	}
	/* A preview writes nothing: a viewer may ask for one. */
	if (role != ROLE_ADMIN && strcmp(req->method, "GET") != 0 &&
	    strcmp(rest, "templates/preview") != 0)
		return error(resp, 403, NULL, "this token may only read");
	if ((gw = app_thread_gateway(app)) == NULL || gateway_refresh(gw) == -1)
		return error(resp, 503, NULL, "database unavailable");
	if (req->body_len > 0) {
		json_error_t je;
		if ((body = json_loadb(req->body, req->body_len, 0, &je)) == NULL)
			return error(resp, 400, NULL, "bad JSON: %s (line %d)",
			    je.text, je.line);
	}
	http_parse_form(req->query, strlen(req->query), &q);
	/* "branches", "branches/12", "outbox/12/retry" */
	id = strchr(rest, '/');
	snprintf(what, sizeof what, "%.*s", (int)(id ? (size_t)(id - rest) :
	    strlen(rest)), rest);
	if (id)
		id++;
	if (!strcmp(what, "branches"))
		rc = branches(gw, actor, req->method, id, body, resp);
	else if (!strcmp(what, "regions"))
		rc = regions(gw, actor, req->method, id, body, resp);
	else if (!strcmp(what, "region-areas"))
		rc = region_areas(gw, actor, req->method, id, body, resp);
	else if (!strcmp(what, "leads") && id == NULL &&
	    !strcmp(req->method, "GET"))
		rc = leads(gw, &q, resp);
	else if ((!strcmp(what, "leads.csv") || !strcmp(what, "optouts.csv")) &&
	    id == NULL && !strcmp(req->method, "GET"))
		rc = csv_download(gw, what, &q, resp);
	else if (!strcmp(what, "optouts"))
		rc = optouts(gw, actor, req->method, id, body, resp);
	else if (!strcmp(what, "templates"))
		rc = admin_templates(gw, actor, req->method, id, body, resp);
	else if (!strcmp(what, "outbox"))
		rc = outbox(gw, actor, req->method, id, &q, resp);
	else if (!strcmp(what, "forget") && !strcmp(req->method, "POST")) {
		const char *n = json_string_value(json_object_get(body, "phone"));
		char phone[32];
		struct forget_counts c;
		if (n == NULL || phone_normalise(n, phone, sizeof phone) == -1)
			rc = error(resp, 422, "phone", "not a phone number");
		else {
			if (store_forget(gw->st, actor, phone, &c) == -1) {
				rc = error(resp, 500, NULL, "%s",
				    store_error(gw->st));
			} else {
				reply_json(resp, 200, json_pack("{s:i, s:i}",
				    "leads", (int)c.leads, "messages",
				    (int)c.messages));
				rc = ROUTE_DONE;
			}
		}
	} else if (!strcmp(what, "audit") && !strcmp(req->method, "GET"))
		rc = audit(gw, &q, resp);
	else if (!strcmp(what, "simulate") && id == NULL &&
	    !strcmp(req->method, "POST"))
		rc = simulate_post(app, gw, actor, body, resp, pend);
	else if (!strcmp(what, "simulate") && ((id == NULL &&
	    !strcmp(req->method, "DELETE")) || (id && !strcmp(id, "clear") &&
	    !strcmp(req->method, "POST"))))
		rc = simulate_clear(gw, actor, resp);
	else if (!strcmp(what, "stats") && id == NULL &&
	    !strcmp(req->method, "GET"))
		rc = admin_stats(gw, &q, resp);
	else
		rc = error(resp, 404, NULL, "no such resource");
	http_params_release(&q);
	json_decref(body);
	return rc;
}

enum route_result
admin_page(struct app *app, const char *rest, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	static const struct {
		const char	*suffix;
		const char	*type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
	};
	const struct embedded_file *f;
	char name[128];

	snprintf(name, sizeof name, "web/admin/%s", *rest ? rest : "index.html");
	if ((f = embedded_get(name)) == NULL) {
		http_resp_set(resp, 404, "text/plain", "not found\n");
		return ROUTE_DONE;
	}
	for (size_t i = 0; i < nitems(types); i++) {
		size_t n = strlen(name), m = strlen(types[i].suffix);
		if (n > m && strcmp(name + n - m, types[i].suffix) == 0) {
			http_resp_set(resp, 200, types[i].type, NULL);
			buf_append(&resp->body, f->data, f->len);
		}
	}
	/* The page talks to this server alone, and no other site may frame
	 * it (clickjacking an admin into a click). */
	http_resp_header(resp, "Content-Security-Policy", "default-src 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
	    "object-src 'none'");
	http_resp_header(resp, "X-Frame-Options", "DENY");
	http_resp_header(resp, "X-Content-Type-Options", "nosniff");
	http_resp_header(resp, "Referrer-Policy", "no-referrer");
	return ROUTE_DONE;
}
