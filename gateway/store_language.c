/*
 * store_language.c -- the reply language each number chose (CYMRAEG,
 * ENGLISH), the simulator's apart (test).  Erased with the number's other
 * rows by store_privacy.c.
 */
#include <string.h>

#include "store_impl.h"
#include "util.h"

int
store_language_get(struct store *st, const char *phone, int test,
    char *lang, size_t len)
{
	struct db_stmt *s;
	int rc;

	lang[0] = '\0';
	if ((s = store_stmt(st, "SELECT language FROM language_prefs WHERE "
	    "phone = $1 AND test = $2")) == NULL)
		return -1;
	if (db_bind_text_lent(s, 1, phone) == -1 ||
	    db_bind_int64(s, 2, test != 0) == -1)
		rc = -1;
	else if ((rc = db_step(s)) == 1)
		store_col_copy(s, 0, lang, len);
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc;
}

int
store_language_set(struct store *st, const char *phone, int test,
    const char *lang, int64_t now)
{
	return store_run(st, "INSERT INTO language_prefs (phone, test, "
	    "language, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT "
	    "(phone, test) DO UPDATE SET language = excluded.language, "
	    "updated_at = excluded.updated_at", "sisi", phone,
	    (int64_t)(test != 0), lang, now);
}
