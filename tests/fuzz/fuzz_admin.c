/*
 * fuzz_admin.c -- the admin HTTP API (gateway/admin.c) over a scratch
 * SQLite database in a temporary folder, with a viewer's and an admin's
 * token.  The input is
 *
 *	ROLE METHOD PATH[?QUERY]
 *	body
 *
 * ROLE is "admin", "viewer" or anything else (no token); PATH is what
 * follows /admin/api/.  The database goes back to its first state after
 * every request that may have written, so each input sees the same data.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "admin.h"
#include "config.h"
#include "crypto.h"
#include "fuzz.h"
#include "log.h"
#include "webhook.h"

#define ADMIN_TOKEN	"fuzz-admin-token-not-real"
#define VIEWER_TOKEN	"fuzz-viewer-token-not-real"

static char dir[256];
static struct config_gen *gen;
static struct app app;
static sqlite3 *pristine, *restorer;

static void
cleanup(void)
{
	static const char *const files[] = { "gateway.conf", "gateway.db",
	    "gateway.db-wal", "gateway.db-shm", "gateway.db-journal" };
	char path[300];

	sqlite3_close(restorer);
	sqlite3_close(pristine);
	app_release(&app);
	for (size_t i = 0; i < nitems(files); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
sha256_hex(const char *s, char out[65])
{
	unsigned char md[CRYPTO_MAX_DIGEST];

	crypto_digest(HASH_SHA256, s, strlen(s), md);
	hex_encode(md, 32, out);
}

/* Copy from into to, whole. */
static void
copy_db(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");

	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK) {
		fprintf(stderr, "fuzz_admin: backup: %s\n", sqlite3_errmsg(to));
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char conf[300], db[300], admin[65], viewer[65];
	FILE *fp;

	fuzz_scratch(dir, sizeof dir, "admin");
	snprintf(conf, sizeof conf, "%s/gateway.conf", dir);
	snprintf(db, sizeof db, "%s/gateway.db", dir);
	sha256_hex(ADMIN_TOKEN, admin);
	sha256_hex(VIEWER_TOKEN, viewer);
	if ((fp = fopen(conf, "w")) == NULL)
		abort();
	fprintf(fp, "[database]\npath = %s\nsynchronous = off\n"
	    "example_data = yes\n[token ada]\nrole = admin\nsha256 = %s\n"
	    "[token val]\nrole = viewer\nsha256 = %s\n", db, admin, viewer);
	fclose(fp);
	log_set_quiet(1);
	if ((gen = app_gen_load(conf)) == NULL || app_init(&app, gen) == -1 ||
	    app_thread_gateway(&app) == NULL)
		abort();
	atexit(cleanup);
	/* The first state, kept in memory; restorer writes it back. */
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK ||
	    sqlite3_open(db, &restorer) != SQLITE_OK)
		abort();
	sqlite3_busy_timeout(restorer, 10000);
	copy_db(pristine, restorer);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_header hdr[2];
	struct http_resp resp;
	struct http_req req;
	struct pending pend;
	char *copy = fuzz_string(data, size), *rest = copy, *line;
	char role[16], method[16], target[2048], auth[64], *q;

	line = fuzz_line(&rest);
	if (sscanf(line, "%15s %15s %2047s", role, method, target) != 3)
		goto out;
	memset(&req, 0, sizeof req);
	req.method = method;
	if ((q = strchr(target, '?')) != NULL)
		*q++ = '\0';
	req.path = target;
	req.query = q ? q : "";
	req.url = "https://gw.example.org/admin/api/";
	req.remote_addr = "127.0.0.1";
	req.headers = hdr;
	hdr[0].name = "Content-Type";
	hdr[0].value = "application/json";
	req.nheaders = 1;
	if (!strcmp(role, "admin") || !strcmp(role, "viewer")) {
		snprintf(auth, sizeof auth, "Bearer %s", role[0] == 'a' ?
		    ADMIN_TOKEN : VIEWER_TOKEN);
		hdr[1].name = "Authorization";
		hdr[1].value = auth;
		req.nheaders = 2;
	}
	req.body = rest;
	req.body_len = size - (size_t)(rest - copy);

	memset(&pend, 0, sizeof pend);
	http_resp_init(&resp);
	if (admin_api(&app, target, &req, &resp, &pend) != ROUTE_DONE)
		abort();
	if (resp.status < 200 || resp.status > 599)
		abort();
	/* A server error is a bug, whatever was asked. */
	if (resp.status == 500) {
		fprintf(stderr, "fuzz_admin: 500: %.*s\n", (int)resp.body.len,
		    resp.body.data ? resp.body.data : "");
		abort();
	}
	http_resp_release(&resp);
	if (strcmp(method, "GET") != 0)
		copy_db(restorer, pristine);
out:
	free(copy);
	return 0;
}
