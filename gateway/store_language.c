/*
 * store_language.c -- the reply language each number chose (CYMRAEG,
 * ENGLISH).  Erased with the number's other rows by store_privacy.c.
 */
#include <string.h>

#include "store_impl.h"
#include "util.h"

int
store_language_get(struct store *st, const char *phone, char *lang,
    size_t len)
{
	struct db_stmt *s;
	int rc;

	lang[0] = '\0';
	if ((s = store_stmt(st, "SELECT language FROM language_prefs WHERE "
	    "phone = $1")) == NULL)
		return -1;
	if (db_bind_text_lent(s, 1, phone) == -1)
		rc = -1;
	else if ((rc = db_step(s)) == 1)
		store_col_copy(s, 0, lang, len);
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc;
}

int
store_language_set(struct store *st, const char *phone, const char *lang,
    int64_t now)
{
	return store_run(st, "INSERT INTO language_prefs (phone, language, "
	    "updated_at) VALUES ($1, $2, $3) ON CONFLICT (phone) DO UPDATE "
	    "SET language = excluded.language, updated_at = "
	    "excluded.updated_at", "ssi", phone, lang, now);
}
