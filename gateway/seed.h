/*
 * seed.h -- open the database and, when it is new, fill it with the
 * built-in postcode-area table and regions (and the example branches and
 * organisers when the config asks for them).  The built-in district
 * centroids are loaded whenever their table is empty, new database or not.
 */
#ifndef GATEWAY_SEED_H
#define GATEWAY_SEED_H

struct config;
struct store;

/* store_open() plus seeding of a new database; NULL after logging. */
struct store	*seed_open(const struct config *);
/* Load the example regions' organisers and branches (one transaction). */
int		 seed_example(struct store *);

#endif
