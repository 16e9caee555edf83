/*
 * checkpoint.h -- WAL checkpoints on a thread and connection of their own.
 *
 * In WAL mode a commit appends to the log; a checkpoint copies the log back
 * into the database file and fsyncs that file, which on a large database
 * takes milliseconds to hundreds of them.  Left to SQLite it runs inside
 * whichever commit crosses wal_autocheckpoint -- the batch writer's, with
 * every waiting webhook behind it.  While a checkpointer runs, connections
 * the server opens have autocheckpoint off, and this thread checkpoints
 * PASSIVEly (never waiting for, nor blocking, a writer) a few times a
 * second while anyone commits, RESTARTs when the log has grown past a
 * bound in spite of that, and TRUNCATEs it when the server is idle.
 */
#ifndef GATEWAY_CHECKPOINT_H
#define GATEWAY_CHECKPOINT_H

struct checkpointer;
struct config;

/* Start the thread with its own connection; NULL after logging why.
 * Call before opening the connections that are to leave it the work. */
struct checkpointer *checkpoint_start(const struct config *);
/* A last TRUNCATE, then stop. */
void		 checkpoint_stop(struct checkpointer *);

struct checkpoint_stats {
	unsigned long	passive, restart, truncate;
	unsigned long	max_wal_frames;		/* the largest log seen */
};
void		 checkpoint_get_stats(struct checkpointer *,
		    struct checkpoint_stats *);

#endif
