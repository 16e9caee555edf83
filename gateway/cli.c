/*
 * cli.c -- `gateway COMMAND ...`: one small function per command, found
 * through the table at the bottom.  Each prints errors to stderr and
 * returns an exit status: 0 done, 1 failed, 2 bad usage.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "alarm.h"
#include "batch.h"
#include "branch_edit.h"
#include "httpd.h"
#include "notify.h"
#include "outbox.h"
#include "webhook.h"
#include "cli.h"
#include "config.h"
#include "provider.h"
#include "checkpoint.h"
#include "csv.h"
#include "export.h"
#include "log.h"
#include "metrics.h"
#include "ops.h"
#include "pipeline.h"
#include "postcode_import.h"
#include "reply.h"
#include "seed.h"
#include "segments.h"
#include "store.h"
#include "util.h"

#define EX_OK		0
#define EX_FAIL		1
#define EX_USAGE	2

/* Who the audit trail says made a change from the command line. */
static const char *
cli_actor(void)
{
	static char actor[128];
	const char *user = getenv("SUDO_USER");
	struct passwd *pw;

	if (user == NULL && (pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	snprintf(actor, sizeof actor, "cli:%s", user ? user : "unknown");
	return actor;
}

/* Open a file argument, "-" being stdin or stdout. */
static FILE *
open_arg(const char *path, const char *mode)
{
	FILE *fp;

	if (!strcmp(path, "-"))
		return *mode == 'r' ? stdin : stdout;
	if ((fp = fopen(path, mode)) == NULL)
		perror(path);
	return fp;
}

static void
close_arg(FILE *fp)
{
	if (fp != stdin && fp != stdout)
		fclose(fp);
}

/* --- locate ----------------------------------------------------------- */

static json_t *
locate_json(const char *text, const struct locate_result *res)
{
	const struct signup *s = &res->signup;
	const struct match *m = &res->match;
	const char *kinds[] = { "none", "outcode", "full" };
	json_t *o = json_object(), *geo, *match;

	json_object_set_new(o, "text", json_string(text));
	json_object_set_new(o, "name", s->name[0] ? json_string(s->name) :
	    json_null());
	json_object_set_new(o, "postcode", s->postcode.kind == POSTCODE_NONE ?
	    json_null() : json_string(s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.district));
	json_object_set_new(o, "postcode_kind",
	    json_string(kinds[s->postcode.kind]));
	json_object_set_new(o, "keyword", s->keyword == KEYWORD_NONE ?
	    json_null() : json_string(keyword_name(s->keyword)));

	geo = json_object();
	json_object_set_new(geo, "level",
	    json_string(geo_level_name(res->geo.level)));
	json_object_set_new(geo, "lat", res->geo.level == GEO_NONE ?
	    json_null() : json_real(res->geo.lat));
	json_object_set_new(geo, "lon", res->geo.level == GEO_NONE ?
	    json_null() : json_real(res->geo.lon));
	json_object_set_new(geo, "terminated", json_boolean(res->geo.terminated));
	json_object_set_new(geo, "country", res->geo.country ?
	    json_string(res->geo.country) : json_null());
	json_object_set_new(o, "geocode", geo);

	match = json_object();
	json_object_set_new(match, "kind", json_string(match_kind_name(m->kind)));
	json_object_set_new(match, "branch", m->branch ?
	    json_string(m->branch->name) : json_null());
	json_object_set_new(match, "region", m->region ?
	    json_string(m->region->name) : json_null());
	json_object_set_new(match, "distance_km", m->distance_km >= 0 ?
	    json_real(round(m->distance_km * 100) / 100) : json_null());
	json_object_set_new(match, "country", m->country ?
	    json_string(m->country) : json_null());
	json_object_set_new(o, "match", match);
	json_object_set_new(o, "reply", json_string(res->reply.data ?
	    res->reply.data : ""));
	struct sms_count c;
	sms_count(res->reply.data ? res->reply.data : "", res->reply.len, &c);
	json_object_set_new(o, "segments", json_integer(c.segments));
	json_object_set_new(o, "encoding", json_string(c.encoding == SMS_GSM7 ?
	    "GSM-7" : "UCS-2"));
	return o;
}

static void
locate_print(const char *text, const struct locate_result *res)
{
	const struct signup *s = &res->signup;
	const struct match *m = &res->match;

	printf("text      %s\n", text);
	if (s->keyword != KEYWORD_NONE)
		printf("keyword   %s\n", keyword_name(s->keyword));
	printf("name      %s\n", s->name[0] ? s->name : "-");
	if (s->postcode.kind == POSTCODE_NONE)
		printf("postcode  -\n");
	else
		printf("postcode  %s (%s)\n", s->postcode.kind == POSTCODE_FULL ?
		    s->postcode.full : s->postcode.district,
		    s->postcode.kind == POSTCODE_FULL ? "full" : "outcode");
	if (s->postcode.kind != POSTCODE_NONE && s->keyword == KEYWORD_NONE) {
		if (res->geo.level == GEO_NONE)
			printf("geocode   none%s\n", res->geo.no_coords ?
			    " (the postcode has no location)" : "");
		else
			printf("geocode   %s %.5f, %.5f%s\n",
			    geo_level_name(res->geo.level), res->geo.lat,
			    res->geo.lon, res->geo.terminated ?
			    " (terminated postcode)" : "");
		printf("match     %s", match_kind_name(m->kind));
		if (m->branch)
			printf(": %s", m->branch->name);
		if (m->distance_km >= 0)
			printf(" (%.1f km)", m->distance_km);
		if (m->region)
			printf(", region %s", m->region->name);
		if (m->country)
			printf(", %s", m->country);
		printf("\n");
	}
	struct sms_count c;
	sms_count(res->reply.data ? res->reply.data : "", res->reply.len, &c);
	printf("reply     %s\n", res->reply.data ? res->reply.data : "");
	printf("segments  %d (%s, %d characters)\n", c.segments,
	    c.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2", c.units);
}

static int
locate_one(struct gateway *gw, const char *text, int json)
{
	struct locate_result res;

	if (pipeline_locate(gw, text, strlen(text), &res) == -1) {
		locate_release(&res);
		return -1;
	}
	if (json) {
		json_t *o = locate_json(text, &res);
		json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
		putchar('\n');
		json_decref(o);
	} else
		locate_print(text, &res);
	locate_release(&res);
	return 0;
}

static int
cmd_locate(const struct config *cf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "null", no_argument, NULL, '0' },
		{ NULL, 0, NULL, 0 }
	};
	struct gateway gw;
	int json = 0, c, rc = EX_OK, delim = '\n';

	while ((c = getopt_long(argc, argv, "j0", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == '0')
			delim = '\0';	/* texts with line breaks in them */
		else
			return EX_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: gateway locate [--json] [-0] TEXT|-\n");
		return EX_USAGE;
	}
	if (gateway_open(&gw, cf) == -1)
		return EX_FAIL;
	if (strcmp(argv[optind], "-") == 0) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		int first = 1;
		while (rc == EX_OK &&
		    (n = getdelim(&line, &cap, delim, stdin)) >= 0) {
			if (delim == '\0' && n > 0 && line[n - 1] == '\0')
				n--;
			else
				while (n > 0 && (line[n - 1] == '\n' ||
				    line[n - 1] == '\r'))
					line[--n] = '\0';
			if (delim == '\0' && n == 0 && feof(stdin))
				break;
			if (!json && !first)
				putchar('\n');
			first = 0;
			if (locate_one(&gw, line, json) == -1)
				rc = EX_FAIL;
		}
		free(line);
	} else if (locate_one(&gw, argv[optind], json) == -1)
		rc = EX_FAIL;
	gateway_close(&gw);
	return rc;
}

/* --- postcodes ------------------------------------------------------- */

static int
cmd_postcodes_import(const struct config *cf, int argc, char **argv)
{
	struct postcode_import_report rep;
	struct store *st;
	FILE *in;
	uint64_t t0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway postcodes import FILE|-\n");
		return EX_USAGE;
	}
	if ((in = open_arg(argv[1], "r")) == NULL)
		return EX_FAIL;
	if ((st = seed_open(cf)) == NULL) {
		close_arg(in);
		return EX_FAIL;
	}
	t0 = now_ns();
	rc = postcode_import(st, in, strcmp(argv[1], "-") ? argv[1] : "stdin",
	    isatty(STDERR_FILENO), stderr, &rep);
	close_arg(in);
	store_close(st);
	if (rc == -1)
		return EX_FAIL;
	double secs = (now_ns() - t0) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("imported %ld postcodes (%ld sectors, %ld districts, %ld areas) "
	    "in %.1f s, %.0f rows/s, peak memory %ld MB, write lock held at "
	    "most %.0f ms (%ld transactions); skipped %ld bad rows\n",
	    rep.imported, rep.sectors, rep.districts, rep.areas, secs,
	    secs > 0 ? rep.rows / secs : 0, ru.ru_maxrss / 1024,
	    rep.longest_ms, rep.txns, rep.skipped);
	if (rep.country_column[0])
		printf("countries from column %s\n", rep.country_column);
	else
		printf("no country column: countries from the built-in area "
		    "table\n");
	return EX_OK;
}

/* --- branches -------------------------------------------------------- */

static const struct branch *
find_branch(const struct directory *dir, const char *key)
{
	char *end;
	long long id = strtoll(key, &end, 10);

	for (size_t i = 0; i < dir->nbranches; i++)
		if ((*end == '\0' && dir->branches[i].id == id) ||
		    !strcasecmp(dir->branches[i].name, key))
			return &dir->branches[i];
	fprintf(stderr, "no branch \"%s\"\n", key);
	return NULL;
}

static void
branch_print(const struct branch *b, const struct directory *dir)
{
	char buf[2048];

	printf("id             %lld\n", (long long)b->id);
	for (int i = 0; branch_fields[i]; i++)
		printf("%-14s %s\n", branch_fields[i],
		    branch_get_field(b, dir, branch_fields[i], buf, sizeof buf));
}

/* The --field options of branch add and edit: every field of a branch. */
static const struct option branch_opts[] = {
	{ "name", required_argument, NULL, 0 },
	{ "postcode", required_argument, NULL, 0 },
	{ "latitude", required_argument, NULL, 0 },
	{ "longitude", required_argument, NULL, 0 },
	{ "meets", required_argument, NULL, 0 },
	{ "contact_name", required_argument, NULL, 0 },
	{ "contact_phone", required_argument, NULL, 0 },
	{ "contact_email", required_argument, NULL, 0 },
	{ "region", required_argument, NULL, 0 },
	{ "coverage", required_argument, NULL, 0 },
	{ "notify", required_argument, NULL, 0 },
	{ "active", required_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 }
};

/* Apply --field value options to b; -1 after reporting each bad one. */
static int
branch_options(struct branch *b, const struct directory *dir, int argc,
    char **argv)
{
	char err[256];
	int c, idx, bad = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", branch_opts, &idx)) != -1) {
		if (c != 0)
			return -1;
		if (branch_set_field(b, dir, branch_opts[idx].name, optarg, err,
		    sizeof err) == -1) {
			fprintf(stderr, "--%s: %s\n", branch_opts[idx].name, err);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int
branch_save(struct store *st, const struct directory *dir, struct branch *b,
    int insert)
{
	char err[256];

	if (branch_finish(b, st, dir, err, sizeof err) == -1) {
		fprintf(stderr, "%s\n", err);
		return EX_FAIL;
	}
	if (store_begin(st) == -1 ||
	    (insert ? store_branch_insert(st, cli_actor(), b) :
	    store_branch_update(st, cli_actor(), b)) == -1 ||
	    store_commit(st) == -1) {
		fprintf(stderr, "%s\n", store_error(st));
		store_rollback(st);
		return EX_FAIL;
	}
	printf("%s branch %lld %s\n", insert ? "added" : "updated",
	    (long long)b->id, b->name);
	return EX_OK;
}

static int
cmd_branch_add(struct gateway *gw, int argc, char **argv)
{
	struct branch b;
	int rc;

	branch_init(&b);
	if (branch_options(&b, &gw->dir, argc, argv) == -1 || optind != argc) {
		fprintf(stderr, "usage: gateway branch add --name NAME "
		    "[--postcode PC] [--latitude D --longitude D] [--meets TEXT]\n"
		    "    [--contact_name N] [--contact_phone P] "
		    "[--contact_email E] [--region R]\n"
		    "    [--coverage 'SE1;SE11 4'] [--active yes|no]\n");
		branch_release(&b);
		return EX_USAGE;
	}
	rc = branch_save(gw->st, &gw->dir, &b, 1);
	branch_release(&b);
	return rc;
}

static int
cmd_branch_edit(struct gateway *gw, int argc, char **argv)
{
	const struct branch *old;
	struct branch b;
	int rc;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gateway branch edit NAME|ID --FIELD VALUE ...\n");
		return EX_USAGE;
	}
	if ((old = find_branch(&gw->dir, argv[1])) == NULL)
		return EX_FAIL;
	branch_copy(&b, old);
	if (branch_options(&b, &gw->dir, argc - 1, argv + 1) == -1 ||
	    optind != argc - 1) {
		branch_release(&b);
		return EX_USAGE;
	}
	rc = branch_save(gw->st, &gw->dir, &b, 0);
	branch_release(&b);
	return rc;
}

static int
cmd_branch_remove(struct gateway *gw, int argc, char **argv)
{
	const struct branch *b;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway branch remove NAME|ID\n");
		return EX_USAGE;
	}
	if ((b = find_branch(&gw->dir, argv[1])) == NULL)
		return EX_FAIL;
	if (store_begin(gw->st) == -1 ||
	    store_branch_delete(gw->st, cli_actor(), b->id) == -1 ||
	    store_commit(gw->st) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		store_rollback(gw->st);
		return EX_FAIL;
	}
	printf("removed branch %lld %s\n", (long long)b->id, b->name);
	return EX_OK;
}

static int
cmd_branch_list(struct gateway *gw, int argc, char **argv)
{
	for (size_t i = 0; i < gw->dir.nbranches; i++) {
		const struct branch *b = &gw->dir.branches[i];
		const struct region *r = directory_region(&gw->dir, b->region_id);
		printf("%-4lld %-28s %-9s %-12s%s\n", (long long)b->id, b->name,
		    b->postcode, r ? r->name : "-", b->active ? "" : " (inactive)");
	}
	return EX_OK;
}

static int
cmd_branch_show(struct gateway *gw, int argc, char **argv)
{
	const struct branch *b;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway branch show NAME|ID\n");
		return EX_USAGE;
	}
	if ((b = find_branch(&gw->dir, argv[1])) == NULL)
		return EX_FAIL;
	branch_print(b, &gw->dir);
	return EX_OK;
}

static int
cmd_branch_import(struct gateway *gw, int argc, char **argv)
{
	const char *file = NULL;
	int replace = 0, rc;
	FILE *in;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--replace"))
			replace = 1;
		else if (file == NULL)
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (file == NULL) {
		fprintf(stderr, "usage: gateway branch import [--replace] FILE|-\n");
		return EX_USAGE;
	}
	if ((in = open_arg(file, "r")) == NULL)
		return EX_FAIL;
	if (store_begin(gw->st) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		close_arg(in);
		return EX_FAIL;
	}
	rc = branch_csv_import(gw->st, in, strcmp(file, "-") ? file : "stdin",
	    cli_actor(), replace, stderr);
	close_arg(in);
	if (rc == 0 && store_commit(gw->st) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		rc = -1;
	}
	if (rc == -1) {
		store_rollback(gw->st);
		return EX_FAIL;
	}
	gateway_refresh(gw);
	printf("imported; %zu branches now\n", gw->dir.nbranches);
	return EX_OK;
}

static int
cmd_branch_export(struct gateway *gw, int argc, char **argv)
{
	FILE *out;

	if (argc > 2) {
		fprintf(stderr, "usage: gateway branch export [FILE|-]\n");
		return EX_USAGE;
	}
	if ((out = open_arg(argc == 2 ? argv[1] : "-", "w")) == NULL)
		return EX_FAIL;
	branch_csv_export(&gw->dir, out);
	if (fflush(out) != 0 || ferror(out)) {
		perror("export");
		close_arg(out);
		return EX_FAIL;
	}
	close_arg(out);
	return EX_OK;
}

/* --- regions --------------------------------------------------------- */

static const struct region *
find_region(const struct directory *dir, const char *name)
{
	for (size_t i = 0; i < dir->nregions; i++)
		if (!strcasecmp(dir->regions[i].name, name))
			return &dir->regions[i];
	fprintf(stderr, "no region \"%s\"\n", name);
	return NULL;
}

static int
cmd_region_list(struct gateway *gw, int argc, char **argv)
{
	for (size_t i = 0; i < gw->dir.nregions; i++) {
		const struct region *r = &gw->dir.regions[i];
		size_t areas = 0;
		for (size_t j = 0; j < gw->dir.region_of.n; j++)
			areas += gw->dir.region_of.entries[j].index == i;
		printf("%-12s %-22s %-15s %-28s %zu areas\n", r->name,
		    r->organiser_name[0] ? r->organiser_name : "-",
		    r->organiser_phone[0] ? r->organiser_phone : "-",
		    r->organiser_email[0] ? r->organiser_email : "-", areas);
	}
	return EX_OK;
}

static int
region_write(struct gateway *gw, struct region *r, int insert)
{
	if (store_begin(gw->st) == -1 ||
	    (insert ? store_region_insert(gw->st, cli_actor(), r) :
	    store_region_update(gw->st, cli_actor(), r)) == -1 ||
	    store_commit(gw->st) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		store_rollback(gw->st);
		return EX_FAIL;
	}
	return EX_OK;
}

/* gateway region set NAME [--organiser N] [--phone P] [--email E] */
static int
cmd_region_set(struct gateway *gw, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "organiser", required_argument, NULL, 'o' },
		{ "phone", required_argument, NULL, 'p' },
		{ "email", required_argument, NULL, 'e' },
		{ "rename", required_argument, NULL, 'r' },
		{ "notify", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const struct region *old;
	struct region r;
	char phone[32];
	int c;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gateway region set NAME [--organiser N] "
		    "[--phone P] [--email E] [--notify CHANNELS] [--rename NEW]\n");
		return EX_USAGE;
	}
	if ((old = find_region(&gw->dir, argv[1])) == NULL)
		return EX_FAIL;
	r = *old;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			r.organiser_name = optarg;
			break;
		case 'p':
			if (*optarg && phone_normalise(optarg, phone,
			    sizeof phone) == -1) {
				fprintf(stderr, "--phone: \"%s\" is not a phone "
				    "number\n", optarg);
				return EX_FAIL;
			}
			r.organiser_phone = *optarg ? phone : "";
			break;
		case 'e':
			if (*optarg && !email_plausible(optarg)) {
				fprintf(stderr, "--email: \"%s\" is not an "
				    "e-mail address\n", optarg);
				return EX_FAIL;
			}
			r.organiser_email = optarg;
			break;
		case 'n': {
			char err[256];
			if (notify_channels_valid(optarg, err, sizeof err) == -1) {
				fprintf(stderr, "--notify: %s\n", err);
				return EX_FAIL;
			}
			r.notify = optarg;
			break;
		}
		case 'r':
			if (*optarg == '\0') {
				fprintf(stderr, "--rename: must not be empty\n");
				return EX_FAIL;
			}
			r.name = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc - 1)
		return EX_USAGE;
	return region_write(gw, &r, 0);
}

static int
cmd_region_add(struct gateway *gw, int argc, char **argv)
{
	struct region r = { .organiser_name = "", .organiser_phone = "",
	    .organiser_email = "" };

	if (argc != 2 || argv[1][0] == '\0') {
		fprintf(stderr, "usage: gateway region add NAME\n");
		return EX_USAGE;
	}
	r.name = argv[1];
	return region_write(gw, &r, 1);
}

/* gateway region map CODE... REGION | region unmap CODE... */
static int
region_map(struct gateway *gw, int argc, char **argv, int unmap)
{
	const struct region *r = NULL;
	int ncodes = unmap ? argc - 1 : argc - 2;

	if (ncodes < 1) {
		fprintf(stderr, unmap ? "usage: gateway region unmap CODE...\n" :
		    "usage: gateway region map CODE... REGION\n");
		return EX_USAGE;
	}
	if (!unmap && (r = find_region(&gw->dir, argv[argc - 1])) == NULL)
		return EX_FAIL;
	if (store_begin(gw->st) == -1)
		goto fail;
	for (int i = 1; i <= ncodes; i++) {
		char code[8];
		if (region_code(argv[i], code, sizeof code) == -1) {
			fprintf(stderr, "\"%s\" is not a postcode area (SE) or "
			    "district (SE1)\n", argv[i]);
			store_rollback(gw->st);
			return EX_FAIL;
		}
		if (store_region_map(gw->st, cli_actor(), code, r ? r->id : 0) == -1)
			goto fail;
	}
	if (store_commit(gw->st) == -1)
		goto fail;
	return EX_OK;
fail:
	fprintf(stderr, "%s\n", store_error(gw->st));
	store_rollback(gw->st);
	return EX_FAIL;
}

static int
cmd_region_map(struct gateway *gw, int argc, char **argv)
{
	return region_map(gw, argc, argv, 0);
}

static int
cmd_region_unmap(struct gateway *gw, int argc, char **argv)
{
	return region_map(gw, argc, argv, 1);
}

static int
cmd_region_import(struct gateway *gw, int argc, char **argv)
{
	FILE *in;
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway region import FILE|-   "
		    "(columns code,region)\n");
		return EX_USAGE;
	}
	if ((in = open_arg(argv[1], "r")) == NULL)
		return EX_FAIL;
	if (store_begin(gw->st) == -1) {
		close_arg(in);
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	n = region_csv_import(gw->st, in, argv[1], cli_actor(), stderr);
	close_arg(in);
	if (n == -1 || store_commit(gw->st) == -1) {
		store_rollback(gw->st);
		return EX_FAIL;
	}
	printf("%d areas and districts mapped\n", n);
	return EX_OK;
}

static int
cmd_region_areas(struct gateway *gw, int argc, char **argv)
{
	const struct region *only = NULL;

	if (argc > 2)
		return EX_USAGE;
	if (argc == 2 && (only = find_region(&gw->dir, argv[1])) == NULL)
		return EX_FAIL;
	for (size_t j = 0; j < gw->dir.region_of.n; j++) {
		const struct code_entry *e = &gw->dir.region_of.entries[j];
		const struct region *r = &gw->dir.regions[e->index];
		if (only == NULL || only == r)
			printf("%-6s %s\n", e->code, r->name);
	}
	return EX_OK;
}

/* --- audit ----------------------------------------------------------- */

static int
print_audit(const struct audit_entry *e, void *arg)
{
	char when[32];
	time_t t = (time_t)e->at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
	printf("%s %-18s %-7s %s\n", when, e->actor, e->action, e->record);
	if (e->before)
		printf("    before %s\n", e->before);
	if (e->after)
		printf("    after  %s\n", e->after);
	return 0;
}

static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0') {
		fprintf(stderr, "\"%s\" is not a date (YYYY-MM-DD)\n", s);
		return -1;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int
cmd_audit(struct gateway *gw, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	const char *record = NULL;
	int64_t since = 0, until = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			record = optarg;
			break;
		case 's':
			if (parse_date(optarg, &since) == -1)
				return EX_USAGE;
			break;
		case 'u':
			if (parse_date(optarg, &until) == -1)
				return EX_USAGE;
			until += 86400;		/* the whole of that day */
			break;
		default:
			fprintf(stderr, "usage: gateway audit [--record branch|"
			    "branch:ID|region|...] [--since YYYY-MM-DD] "
			    "[--until YYYY-MM-DD]\n");
			return EX_USAGE;
		}
	}
	if (store_audit_list(gw->st, record, since, until, print_audit,
	    NULL) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	return EX_OK;
}

/* --- leads and opt-outs --------------------------------------------- */

static int
print_lead(const struct lead_row *l, void *arg)
{
	char when[32];

	printf("%-6lld %s %-16s %-22s %-9s %-12s %s%s%s\n", (long long)l->id,
	    iso_time_utc(l->created_at, when, sizeof when), l->phone,
	    l->name[0] ? l->name : "-", l->postcode, l->branch[0] ? l->branch :
	    l->region[0] ? l->region : "-", l->match_kind,
	    l->campaign[0] ? " campaign=" : "", l->campaign);
	return 0;
}

static int parse_date(const char *, int64_t *);

/* Options shared by lead list and lead export; -1 on a bad one. */
static int
lead_options(struct gateway *gw, int argc, char **argv, struct lead_filter *f,
    const char **file)
{
	static const struct option opts[] = {
		{ "branch", required_argument, NULL, 'b' },
		{ "region", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "campaign", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const struct branch *b;
	const struct region *r;
	int c;

	memset(f, 0, sizeof *f);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if ((b = find_branch(&gw->dir, optarg)) == NULL)
				return -1;
			f->branch_id = b->id;
			break;
		case 'r':
			if ((r = find_region(&gw->dir, optarg)) == NULL)
				return -1;
			f->region_id = r->id;
			break;
		case 's':
			if (parse_date(optarg, &f->since) == -1)
				return -1;
			break;
		case 'u':
			if (parse_date(optarg, &f->until) == -1)
				return -1;
			f->until += 86400;	/* the whole of that day */
			break;
		case 'c':
			/* As stored: a campaign since removed from the
			 * config still has its leads. */
			f->campaign = optarg;
			break;
		default:
			return -1;
		}
	}
	if (file)
		*file = optind < argc ? argv[optind++] : "-";
	return optind == argc ? 0 : -1;
}

static int
cmd_lead_list(struct gateway *gw, int argc, char **argv)
{
	struct lead_filter f;

	if (lead_options(gw, argc, argv, &f, NULL) == -1) {
		fprintf(stderr, "usage: gateway lead list [--branch B] [--region R] "
		    "[--campaign C] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n");
		return EX_USAGE;
	}
	if (store_leads_each(gw->st, &f, print_lead, NULL) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	return EX_OK;
}

static int
cmd_lead_export(struct gateway *gw, int argc, char **argv)
{
	struct lead_filter f;
	const char *file;
	FILE *out;
	int rc;

	if (lead_options(gw, argc, argv, &f, &file) == -1) {
		fprintf(stderr, "usage: gateway lead export [--branch B] "
		    "[--region R] [--campaign C] [--since D] [--until D] "
		    "[FILE|-]\n");
		return EX_USAGE;
	}
	if ((out = open_arg(file, "w")) == NULL)
		return EX_FAIL;
	rc = export_leads_csv(gw->st, &f, out);
	if (rc == -1)
		fprintf(stderr, "%s\n", store_error(gw->st));
	if (fflush(out) != 0 || ferror(out)) {
		perror(file);
		rc = -1;
	}
	close_arg(out);
	return rc == -1 ? EX_FAIL : EX_OK;
}

static int
print_optout(const struct optout_row *o, void *arg)
{
	char when[32];

	/* The supporter's words, or else what the provider said. */
	printf("%-16s %s %-8s %s\n", o->phone, iso_time_utc(o->at, when,
	    sizeof when), o->source, o->text && *o->text ? o->text :
	    o->evidence ? o->evidence : "");
	return 0;
}

static int
cmd_optout_list(struct gateway *gw, int argc, char **argv)
{
	if (store_optouts_each(gw->st, print_optout, NULL) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	return EX_OK;
}

static int
cmd_optout_export(struct gateway *gw, int argc, char **argv)
{
	const char *file = argc > 1 ? argv[1] : "-";
	FILE *out;
	int rc;

	if (argc > 2) {
		fprintf(stderr, "usage: gateway optout export [FILE|-]\n");
		return EX_USAGE;
	}
	if ((out = open_arg(file, "w")) == NULL)
		return EX_FAIL;
	rc = export_optouts_csv(gw->st, out);
	if (rc == -1)
		fprintf(stderr, "%s\n", store_error(gw->st));
	if (fflush(out) != 0 || ferror(out)) {
		perror(file);
		rc = -1;
	}
	close_arg(out);
	return rc == -1 ? EX_FAIL : EX_OK;
}

/* Numbers from argv (or a CSV with a "phone" column) opted out or in, all
 * or nothing. */
static int
optout_change(struct gateway *gw, char **numbers, int n, int add,
    const char *source)
{
	char phone[32];
	int bad = 0;

	for (int i = 0; i < n; i++)
		if (phone_normalise(numbers[i], phone, sizeof phone) == -1) {
			fprintf(stderr, "\"%s\" is not a phone number\n",
			    numbers[i]);
			bad = 1;
		}
	if (bad)
		return EX_FAIL;
	if (store_begin(gw->st) == -1)
		goto fail;
	for (int i = 0; i < n; i++) {
		phone_normalise(numbers[i], phone, sizeof phone);
		if (store_optout_change(gw->st, cli_actor(), phone, add,
		    source) == -1)
			goto fail;
	}
	if (store_commit(gw->st) == -1)
		goto fail;
	return EX_OK;
fail:
	fprintf(stderr, "%s\n", store_error(gw->st));
	store_rollback(gw->st);
	return EX_FAIL;
}

static int
cmd_optout_add(struct gateway *gw, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gateway optout add NUMBER...\n");
		return EX_USAGE;
	}
	return optout_change(gw, argv + 1, argc - 1, 1, "cli");
}

static int
cmd_optout_remove(struct gateway *gw, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gateway optout remove NUMBER...\n");
		return EX_USAGE;
	}
	return optout_change(gw, argv + 1, argc - 1, 0, "cli");
}

static int
cmd_optout_import(struct gateway *gw, int argc, char **argv)
{
	struct csv_reader r;
	char **numbers = NULL, phone[32];
	int n = 0, bad = 0, col, rc;
	FILE *in;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway optout import FILE|-\n");
		return EX_USAGE;
	}
	if ((in = open_arg(argv[1], "r")) == NULL)
		return EX_FAIL;
	csv_init(&r, in);
	if (csv_read(&r) != 1 || (col = csv_column(&r, "phone")) < 0) {
		fprintf(stderr, "%s:1: the header needs a \"phone\" column\n",
		    argv[1]);
		bad = 1;
	}
	while (!bad && (rc = csv_read(&r)) != 0) {
		if (rc == -1 || (size_t)col >= r.nfields ||
		    phone_normalise(r.fields[col], phone, sizeof phone) == -1) {
			fprintf(stderr, "%s:%ld: phone: %s\n", argv[1], r.lineno,
			    rc == -1 ? r.error : "not a phone number");
			bad++;
			continue;
		}
		numbers = xrealloc(numbers, (size_t)(n + 1) * sizeof *numbers);
		numbers[n++] = xstrdup(phone);
	}
	csv_release(&r);
	close_arg(in);
	rc = bad ? EX_FAIL : optout_change(gw, numbers, n, 1, "import");
	if (bad)
		fprintf(stderr, "%s: nothing imported\n", argv[1]);
	else if (rc == EX_OK)
		printf("%d numbers opted out\n", n);
	for (int i = 0; i < n; i++)
		free(numbers[i]);
	free(numbers);
	return rc;
}

/* --- erasure and retention ------------------------------------------- */

static int
cmd_forget(struct gateway *gw, int argc, char **argv)
{
	struct forget_counts c;
	char phone[32];

	if (argc != 2 || phone_normalise(argv[1], phone, sizeof phone) == -1) {
		fprintf(stderr, "usage: gateway forget NUMBER\n");
		return EX_USAGE;
	}
	if (store_forget(gw->st, cli_actor(), phone, &c) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	printf("erased %ld leads, %ld messages, %ld conversations, %ld outbox "
	    "rows, %ld language choices; the number stays opted out as a "
	    "hash\n", c.leads, c.messages, c.conversations, c.outbox,
	    c.languages);
	return EX_OK;
}

static int
cmd_purge(struct gateway *gw, int argc, char **argv)
{
	struct forget_counts c;
	char *end = NULL;
	double days = -1;

	if (argc == 3 && strcmp(argv[1], "--older-than") == 0)
		days = strtod(argv[2], &end);
	if (days < 0 || end == argv[2] || *end != '\0') {
		fprintf(stderr, "usage: gateway purge --older-than DAYS\n");
		return EX_USAGE;
	}
	if (store_purge(gw->st, cli_actor(), now_unix() - (int64_t)(days *
	    86400), &c) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	printf("purged %ld leads, %ld messages, %ld conversations, %ld outbox "
	    "rows\n", c.leads, c.messages, c.conversations, c.outbox);
	return EX_OK;
}

/* --- outbox ---------------------------------------------------------- */

static int
print_outbox(const struct outbox_item *it, const char *state,
    const char *last_error, void *arg)
{
	char masked[64];

	printf("%-6lld %-9s %-7s %-8s %-16s %d  %s%s%s\n", (long long)it->id,
	    state, it->channel, it->purpose, strcmp(it->channel, "sms") ?
	    it->recipient : log_mask_phone(it->recipient, masked,
	    sizeof masked), it->attempts, it->idem_key,
	    last_error && *last_error ? "  " : "", last_error ? last_error : "");
	return 0;
}

/* gateway outbox list [--state S] [--limit N] */
static int
cmd_outbox_list(struct gateway *gw, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *state = NULL;
	int limit = 100, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			state = optarg;
		else if (c == 'l')
			limit = atoi(optarg);
		else
			return EX_USAGE;
	}
	if (store_outbox_list(gw->st, state, limit > 0 ? limit : 100,
	    print_outbox, NULL) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		return EX_FAIL;
	}
	return EX_OK;
}

static int
outbox_revive(struct gateway *gw, int argc, char **argv, int discard)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gateway outbox %s ID...\n",
		    discard ? "discard" : "retry");
		return EX_USAGE;
	}
	if (store_begin(gw->st) == -1)
		goto fail;
	for (int i = 1; i < argc; i++) {
		char *end;
		long long id = strtoll(argv[i], &end, 10);
		if (*end != '\0' || id <= 0) {
			fprintf(stderr, "\"%s\" is not an outbox id\n", argv[i]);
			store_rollback(gw->st);
			return EX_USAGE;
		}
		if (store_outbox_revive(gw->st, cli_actor(), id, discard) == -1)
			goto fail;
	}
	if (store_commit(gw->st) == -1)
		goto fail;
	return EX_OK;
fail:
	fprintf(stderr, "%s\n", store_error(gw->st));
	store_rollback(gw->st);
	return EX_FAIL;
}

static int
cmd_outbox_retry(struct gateway *gw, int argc, char **argv)
{
	return outbox_revive(gw, argc, argv, 0);
}

static int
cmd_outbox_discard(struct gateway *gw, int argc, char **argv)
{
	return outbox_revive(gw, argc, argv, 1);
}

/* --- the rest -------------------------------------------------------- */

static int
cmd_check_config(const struct config *cf, int argc, char **argv)
{
	struct provider_set set;

	/* config_load has already reported its errors; the providers check
	 * their own sections. */
	if (provider_set_load(cf, &set) == -1)
		return EX_FAIL;
	if (admin_check_tokens(cf) == -1 || metrics_check_config(cf) == -1) {
		provider_set_free(&set);
		return EX_FAIL;
	}
	printf("%s: ok (%zu provider%s)\n", cf->file ? cf->file :
	    "(built-in defaults)", set.n, set.n == 1 ? "" : "s");
	provider_set_free(&set);
	return EX_OK;
}

/*
 * Wait for SIGTERM or SIGINT and return it.  Under systemd's watchdog
 * (WATCHDOG_USEC), wake at half its interval and feed it while the writer
 * stores its batches and the HTTP server goes round: a server wedged in
 * either stops feeding it, and systemd restarts it.
 */
static int
serve_wait(const sigset_t *sigs, struct httpd *h, struct batch *b)
{
	struct timespec ts;
	uint64_t usec;
	int64_t since;
	char why[256];
	int sig, fed = 1;

	if (sd_watchdog_enabled(0, &usec) <= 0) {
		sigwait(sigs, &sig);
		return sig;
	}
	ts.tv_sec = (time_t)(usec / 2 / 1000000);
	ts.tv_nsec = (long)(usec / 2 % 1000000 * 1000);
	for (;;) {
		int ok = batch_health(b, why, sizeof why, &since) == 0;

		if (ok && httpd_alive(h) == -1) {
			strlcpy_(why, "the HTTP server stopped", sizeof why);
			ok = 0;
		}
		if (ok)
			sd_notify(0, "WATCHDOG=1");
		if (ok != fed)
			log_warn(ok ? "serve: healthy again; feeding the "
			    "watchdog" : "serve: %s; no longer feeding the "
			    "watchdog", why);
		fed = ok;
		if ((sig = sigtimedwait(sigs, NULL, &ts)) > 0)
			return sig;
		if (errno != EAGAIN && errno != EINTR)
			fatal("serve: sigtimedwait: %s", strerror(errno));
	}
}

/* Is stdout the journal (systemd's JOURNAL_STREAM names it)?  What is
 * printed there is kept. */
static int
stdout_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDOUT_FILENO, &st) == -1)
		return 1;	/* cannot tell: take it that it is */
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/*
 * A first run: the embedded defaults (no gateway.conf), listening on
 * loopback alone, no [token NAME].  Then a one-time admin token into
 * token, so that the admin page can be tried at once; 1 when made.  Only
 * the terminal is to see it: never the log, the journal or the disk.
 */
static int
serve_first_run(struct app *app, const struct config *cf, char *token,
    size_t len)
{
	if (cf->file != NULL || !httpd_listen_loopback(cf->listen) ||
	    stdout_is_journal())
		return 0;
	for (size_t i = 0; i < cf->nblocks; i++)
		if (strcmp(cf->blocks[i].kind, "token") == 0)
			return 0;
	if (admin_once_token(app, token, len) == -1) {
		log_warn("serve: no one-time admin token: no randomness");
		return 0;
	}
	return 1;
}

static int
cmd_serve(const struct config *cf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *listen_at = NULL;
	char once[ADMIN_ONCE_LEN];
	int first_run, c;
	struct outbox *ob = NULL;
	struct checkpointer *ck;
	struct httpd *h;
	struct app app;
	struct config_gen *gen;
	sigset_t sigs;
	char err[512];
	int sig, lock;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'l') {
			fprintf(stderr, "usage: gateway serve [--listen "
			    "HOST:PORT]\n");
			return EX_USAGE;
		}
		listen_at = optarg;
	}
	/* Every thread started from here on leaves these to sigwait. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The server's own copy of the config, which SIGHUP replaces. */
	if ((gen = app_gen_load(cf->file)) == NULL)
		return EX_FAIL;
	/* --listen over [server] listen, until a restart (as listen is):
	 * `make run LISTEN=...`, a test on a free port. */
	if (listen_at != NULL) {
		free(gen->cf->listen);
		gen->cf->listen = xstrdup(listen_at);
	}
	cf = gen->cf;
	/* For its lifetime: `gateway restore` refuses while it is held.  A
	 * file's lock: PostgreSQL has no file here, and no restore. */
	if (cf->db_url != NULL && cf->db_url[0] != '\0')
		lock = -1;
	else if ((lock = store_serve_lock(cf->db_path, err, sizeof err)) == -1) {
		log_error("serve: %s: %s", cf->db_path, err);
		app_gen_unref(gen);
		return EX_FAIL;
	}
	app_init(&app, gen);
	/* Before the first request can ask for it. */
	first_run = serve_first_run(&app, cf, once, sizeof once);
	/* Counters per instance are sized here: instances a reload adds
	 * are counted as "(unknown)" until the next start. */
	if (metrics_init(cf, &app.gen->providers) == -1) {
		app_release(&app);
		return EX_FAIL;
	}
	if (app.gen->providers.n == 0)
		log_warn("serve: no [provider NAME] configured; only /healthz "
		    "will answer");
	/* The checkpointer first: the connections opened after it leave
	 * checkpoints to it. */
	if ((ck = checkpoint_start(cf)) == NULL) {
		app_release(&app);
		if (lock != -1)
			close(lock);
		return EX_FAIL;
	}
	/* The alarms after the writer and the outbox, whose health and
	 * queue they use, and before the first request can ask for them. */
	if ((app.batch = batch_start(cf)) == NULL ||
	    (ob = app.outbox = outbox_start(cf, &app.gen->providers)) == NULL ||
	    (app.alarms = alarm_start(&app)) == NULL ||
	    (h = httpd_start(cf, &app)) == NULL) {
		alarm_stop(app.alarms);
		outbox_stop(ob);
		batch_stop(app.batch);
		app_release(&app);
		checkpoint_stop(ck);
		if (lock != -1)
			close(lock);
		return EX_FAIL;
	}
	batch_on_commit(app.batch, outbox_poke, ob);
	for (size_t i = 0; i < app.gen->providers.n; i++)
		log_info("serve: /webhooks/%s (%s)",
		    app.gen->providers.v[i].name,
		    app.gen->providers.v[i].ops->name);
	/* Tests and scripts read this line for the port. */
	printf("listening on port %d\n", httpd_port(h));
	if (first_run) {
		printf("admin page: http://%.*s:%d/admin/#token=%s\n"
		    "admin token: %s (for this run only: not saved, and a "
		    "restart makes another; [token NAME] in gateway.conf "
		    "keeps one)\n", (int)(strrchr(cf->listen, ':') -
		    cf->listen), cf->listen, httpd_port(h), once, once);
		explicit_bzero(once, sizeof once);
	}
	fflush(stdout);
	log_info("serve: listening on %s (port %d), database %s", cf->listen,
	    httpd_port(h), cf->db_url && cf->db_url[0] ? "on PostgreSQL" :
	    cf->db_path);

	/* systemd (Type=notify): the database is open and the port bound. */
	sd_notifyf(0, "READY=1\nSTATUS=listening on port %d", httpd_port(h));

	while ((sig = serve_wait(&sigs, h, app.batch)) == SIGHUP) {
		sd_notify(0, "RELOADING=1");
		ops_reload(&app, ob);
		sd_notify(0, "READY=1");
	}
	sd_notify(0, "STOPPING=1");
	log_info("serve: %s: finishing requests in flight",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	httpd_stop(h, 10);
	alarm_stop(app.alarms);
	app.alarms = NULL;
	struct batch_stats bs;
	batch_get_stats(app.batch, &bs);
	batch_on_commit(app.batch, NULL, NULL);
	batch_stop(app.batch);
	outbox_stop(ob);
	metrics_free();
	app_release(&app);
	struct checkpoint_stats cs;
	checkpoint_get_stats(ck, &cs);
	checkpoint_stop(ck);
	if (lock != -1)
		close(lock);
	log_info("serve: stopped after %lu messages in %lu commits (largest "
	    "batch %lu, %lu decided again in the writer)", bs.jobs, bs.commits,
	    bs.largest, bs.stale);
	log_info("serve: checkpoints: %lu passive, %lu restart, %lu truncate; "
	    "longest log %lu pages", cs.passive, cs.restart, cs.truncate,
	    cs.max_wal_frames);
	return EX_OK;
}

static int
cmd_config_show(const struct config *cf, int argc, char **argv)
{
	config_dump(cf, stdout);
	provider_dump(cf, stdout);
	return EX_OK;
}

static int
cmd_config_keys(const struct config *cf, int argc, char **argv)
{
	provider_keys_markdown(stdout);
	return EX_OK;
}

static int
cmd_demo(const struct config *cf, int argc, char **argv)
{
	static const char *texts[] = {
		"Jane Smith SE1 7PB",
		"se17pb jane",
		"hi it's Siân, CF10 1EP",
		"Name: Aisha Khan Postcode: LS1 4AP",
		"Tom M1 1AD",
		"Olu EH1 1YZ",
		"HELP",
	};
	struct gateway gw;
	int rc = EX_OK;

	if (gateway_open(&gw, cf) == -1)
		return EX_FAIL;
	printf("The gateway's answers, using %s (branches: %zu):\n\n",
	    cf->db_path, gw.dir.nbranches);
	for (size_t i = 0; i < nitems(texts) && rc == EX_OK; i++) {
		if (locate_one(&gw, texts[i], 0) == -1)
			rc = EX_FAIL;
		putchar('\n');
	}
	printf("Try: build/gateway locate \"your name and postcode\"\n");
	gateway_close(&gw);
	return rc;
}

/* gateway template list|show|set|reset: the default rows of the reply
 * templates (reply.h), through the same checks as the admin API. */
static int
template_arg(const char *name)
{
	int kind = reply_kind(name);

	if (kind < 0) {
		fprintf(stderr, "gateway: no template \"%s\"; known:", name);
		for (int k = 0; k < RK_COUNT; k++)
			fprintf(stderr, " %s", reply_kind_name(k));
		fputc('\n', stderr);
	}
	return kind;
}

static int
template_edited(const struct gateway *gw, int kind)
{
	for (size_t i = 0; i < gw->texts.n; i++)
		if (!strcmp(gw->texts.v[i].name, reply_kind_name(kind)) &&
		    !gw->texts.v[i].campaign[0] && !gw->texts.v[i].language[0])
			return 1;
	return 0;
}

static int
cmd_template_list(struct gateway *gw, int argc, char **argv)
{
	struct reply_ctx rc;

	gateway_reply_ctx(gw, NULL, &rc);
	for (int k = 0; k < RK_COUNT; k++)
		printf("%-17s %-11s %s\n", reply_kind_name(k),
		    template_edited(gw, k) ? "database" : "gateway.conf",
		    reply_template(&rc, k));
	return EX_OK;
}

static int
cmd_template_show(struct gateway *gw, int argc, char **argv)
{
	struct reply_ctx rc;
	struct template_vars ex;
	struct sms_count full, sent;
	struct buf out;
	int kind;

	if (argc != 2)
		return EX_USAGE;
	if ((kind = template_arg(argv[1])) < 0)
		return EX_FAIL;
	gateway_reply_ctx(gw, NULL, &rc);
	const char *text = reply_template(&rc, kind);
	printf("name: %s (%s)\nfrom: %s\ntext: %s\ndefault: %s\n",
	    reply_kind_name(kind), reply_kind_about(kind),
	    template_edited(gw, kind) ? "database" : "gateway.conf", text,
	    reply_default(gw->cf, kind));
	for (int longest = 0; longest < 2; longest++) {
		reply_example(&gw->dir, gw->cf, kind, longest, &ex);
		buf_init(&out, 0);
		reply_render(&rc, text, &ex, &out, &full, &sent);
		printf("%s: %s\n  %d segment%s, %s, %d %s\n",
		    longest ? "longest" : "example", out.data ? out.data : "",
		    sent.segments, sent.segments == 1 ? "" : "s",
		    sent.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2", sent.units,
		    sent.encoding == SMS_GSM7 ? "septets" : "UTF-16 units");
		buf_release(&out);
	}
	return EX_OK;
}

static int
template_write(struct gateway *gw, int kind, const char *text)
{
	const char *name = reply_kind_name(kind);

	if (store_begin(gw->st) == -1 || (text ?
	    store_template_put(gw->st, cli_actor(), name, "", "", text) :
	    store_template_delete(gw->st, cli_actor(), name, "", "")) == -1 ||
	    store_commit(gw->st) == -1) {
		fprintf(stderr, "%s\n", store_error(gw->st));
		store_rollback(gw->st);
		return EX_FAIL;
	}
	return EX_OK;
}

static int
cmd_template_set(struct gateway *gw, int argc, char **argv)
{
	char err[256], field[64];
	int kind;

	if (argc != 3)
		return EX_USAGE;
	if ((kind = template_arg(argv[1])) < 0)
		return EX_FAIL;
	if (reply_check(argv[2], err, sizeof err, field, sizeof field) == -1) {
		fprintf(stderr, "gateway: template %s: %s\n", argv[1], err);
		return EX_FAIL;
	}
	return template_write(gw, kind, argv[2]);
}

static int
cmd_template_reset(struct gateway *gw, int argc, char **argv)
{
	int kind;

	if (argc != 2)
		return EX_USAGE;
	if ((kind = template_arg(argv[1])) < 0)
		return EX_FAIL;
	return template_write(gw, kind, NULL);
}

/* Commands that work on an open gateway (database and directory). */
typedef int (*gw_cmd)(struct gateway *, int, char **);
/* Commands that open what they need themselves. */
typedef int (*cf_cmd)(const struct config *, int, char **);

static const struct command {
	const char	*name;		/* one or two words */
	cf_cmd		 cf;
	gw_cmd		 gw;
	const char	*help;
} commands[] = {
	{ "locate", cmd_locate, NULL, "[--json] [-0] TEXT|-   what the gateway would answer (-0: stdin NUL-separated)" },
	{ "serve", cmd_serve, NULL, "                 the webhook server, until SIGTERM" },
	{ "demo", cmd_demo, NULL, "                  answers to a few example texts" },
	{ "postcodes import", cmd_postcodes_import, NULL, "FILE|-  load ONSPD, NSPL or postcode,lat,long CSV" },
	{ "branch list", NULL, cmd_branch_list, "" },
	{ "branch show", NULL, cmd_branch_show, "NAME|ID" },
	{ "branch add", NULL, cmd_branch_add, "--name N [--FIELD VALUE ...]" },
	{ "branch edit", NULL, cmd_branch_edit, "NAME|ID --FIELD VALUE ..." },
	{ "branch remove", NULL, cmd_branch_remove, "NAME|ID" },
	{ "branch import", NULL, cmd_branch_import, "[--replace] FILE|-" },
	{ "branch export", NULL, cmd_branch_export, "[FILE|-]" },
	{ "region list", NULL, cmd_region_list, "" },
	{ "region add", NULL, cmd_region_add, "NAME" },
	{ "region set", NULL, cmd_region_set, "NAME [--organiser N] [--phone P] [--email E] [--rename NEW]" },
	{ "region map", NULL, cmd_region_map, "CODE... REGION   (areas SE, districts SE1)" },
	{ "region unmap", NULL, cmd_region_unmap, "CODE..." },
	{ "region areas", NULL, cmd_region_areas, "[REGION]" },
	{ "region import", NULL, cmd_region_import, "FILE|-   code,region (all or nothing)" },
	{ "lead list", NULL, cmd_lead_list, "[--branch B] [--region R] [--campaign C] [--since D] [--until D]" },
	{ "lead export", NULL, cmd_lead_export, "[--branch B] [--region R] [--campaign C] [--since D] [--until D] [FILE|-]" },
	{ "optout list", NULL, cmd_optout_list, "" },
	{ "optout add", NULL, cmd_optout_add, "NUMBER..." },
	{ "optout remove", NULL, cmd_optout_remove, "NUMBER..." },
	{ "optout import", NULL, cmd_optout_import, "FILE|-   (a \"phone\" column; all or nothing)" },
	{ "optout export", NULL, cmd_optout_export, "[FILE|-]" },
	{ "forget", NULL, cmd_forget, "NUMBER   erase a number; it stays opted out as a hash" },
	{ "purge", NULL, cmd_purge, "--older-than DAYS   retention" },
	{ "outbox list", NULL, cmd_outbox_list, "[--state queued|sending|sent|dead|...] [--limit N]" },
	{ "outbox retry", NULL, cmd_outbox_retry, "ID...   a dead letter, queued again" },
	{ "outbox discard", NULL, cmd_outbox_discard, "ID... a dead letter, given up" },
	{ "template list", NULL, cmd_template_list, "   each reply template and where its wording comes from" },
	{ "template show", NULL, cmd_template_show, "NAME   its wording, default and an example" },
	{ "template set", NULL, cmd_template_set, "NAME TEXT   word it (over gateway.conf)" },
	{ "template reset", NULL, cmd_template_reset, "NAME   back to gateway.conf" },
	{ "audit", NULL, cmd_audit, "[--record R] [--since DATE] [--until DATE]" },
	{ "backup", ops_backup, NULL, "FILE             a consistent copy, while serving" },
	{ "restore", ops_restore, NULL, "FILE            replace the database (server stopped)" },
	{ "doctor", ops_doctor, NULL, "                 check config, database, postcodes and URLs" },
	{ "check-config", cmd_check_config, NULL, "      check gateway.conf and exit" },
	{ "config show", cmd_config_show, NULL, "     every setting, as gateway.conf would hold it" },
	{ "config keys", cmd_config_keys, NULL, "     each provider type's keys (the README's list)" },
};

void
cli_usage(FILE *fp)
{
	fprintf(fp, "usage: gateway [--config FILE] [--verbose|--quiet] "
	    "COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < nitems(commands); i++)
		fprintf(fp, "  %s %s\n", commands[i].name, commands[i].help);
}

int
cli_run(const struct config *cf, int argc, char **argv)
{
	for (size_t i = 0; i < nitems(commands); i++) {
		const struct command *c = &commands[i];
		const char *space = strchr(c->name, ' ');
		int words = space ? 2 : 1;

		if (argc < words)
			continue;
		if (space ? (strncmp(argv[0], c->name, (size_t)(space - c->name))
		    || argv[0][space - c->name] != '\0' ||
		    strcmp(argv[1], space + 1)) : strcmp(argv[0], c->name))
			continue;
		/* getopt_long in each command starts from its own argv. */
		optind = 1;
		if (c->cf)
			return c->cf(cf, argc - words + 1, argv + words - 1);
		struct gateway gw;
		if (gateway_open(&gw, cf) == -1)
			return EX_FAIL;
		int rc = c->gw(&gw, argc - words + 1, argv + words - 1);
		gateway_close(&gw);
		return rc;
	}
	fprintf(stderr, "gateway: unknown command \"%s%s%s\"\n\n", argv[0],
	    argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	cli_usage(stderr);
	return EX_USAGE;
}
