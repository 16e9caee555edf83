/*
 * batch.h -- group commit.  Request threads hand their jobs to one writer
 * thread and wait; the writer commits whatever has queued as one
 * transaction (one fsync) and wakes them all.  A fsync costs what it costs,
 * so this is what lets durable ingest go faster than the disk's fsync rate.
 */
#ifndef GATEWAY_BATCH_H
#define GATEWAY_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

struct config;
struct batch;

/* Start the writer with its own database connection; NULL on failure. */
struct batch	*batch_start(const struct config *);
/* Finish what is queued, then stop the writer and close its database. */
void		 batch_stop(struct batch *);

/*
 * Queue job; job->done(job, job->done_arg) is called from the writer
 * thread once the job is committed (job->status 200) or failed (503).
 */
void		 batch_submit(struct batch *, struct job *);

/* Call fn(arg) from the writer after each commit (the outbox wants to
 * know that there may be something to send). */
void		 batch_on_commit(struct batch *, void (*fn)(void *), void *arg);

struct batch_stats {
	unsigned long	commits;
	unsigned long	jobs;
	unsigned long	largest;
	unsigned long	stale;		/* jobs decided again in the writer */
};
void		 batch_get_stats(struct batch *, struct batch_stats *);

/* The last batch committed, as a sequence number: a request thread takes
 * it before reading what it will decide by (pipeline_prepare).  Any
 * thread. */
uint64_t	 batch_seq(struct batch *);

/* 0 when the last batch was stored; -1 when it could not be, with why and
 * since when.  Any thread. */
int		 batch_health(struct batch *, char *why, size_t whylen,
		    int64_t *since);

/* A request thread could not open the database: nothing it is sent can
 * be stored.  The same health as a failed batch, logged once; the next
 * batch the writer stores clears it.  Any thread. */
void		 batch_unreachable(struct batch *, const char *why);

#endif
