/*
 * export.h -- the CSV files the gateway writes for people: leads and
 * opt-outs.  The CLI writes them to a file, the admin API to a download;
 * both through here, so both neutralise formulas (csv_write_field) and
 * carry the same columns.
 */
#ifndef GATEWAY_EXPORT_H
#define GATEWAY_EXPORT_H

#include <stdio.h>

struct lead_filter;
struct store;

/* Header and one row per lead matching f; 0, or -1 (store_error). */
int	export_leads_csv(struct store *, const struct lead_filter *, FILE *);
/* Header and one row per opt-out; 0 or -1. */
int	export_optouts_csv(struct store *, FILE *);

#endif
