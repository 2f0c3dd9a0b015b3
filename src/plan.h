/* A migration plan as read from its YAML file: settings and operations. */
#ifndef PGSTEP_PLAN_H
#define PGSTEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "fields.h"
#include "yamldoc.h"

enum kill_blockers {
	KILL_NONE,		/* the operator decides (:cancel, :terminate) */
	KILL_CANCEL,		/* pg_cancel_backend after the deadline */
	KILL_TERMINATE,		/* pg_terminate_backend after the deadline */
};

struct plan_settings {
	int lock_timeout_ms;	/* per DDL attempt */
	int lock_retries;	/* attempts before the phase fails */
	int batch_size;		/* starting rows per backfill batch */
	int batch_target_ms;	/* batch size adapts to this duration */
	int max_replica_lag_ms;	/* backfill waits while lag is above */
	int statement_timeout_ms;	/* per backfill batch */
	bool vacuum;		/* VACUUM (ANALYZE) after a backfill */
	enum kill_blockers kill_blockers;
};

struct op_kind;

struct op {
	const struct op_kind *kind;
	int line, col;		/* of the operation in the file, 1-based */
	void *data;		/* the kind's own struct */
	struct strlist lint_ignore;	/* lint rules silenced for its steps */
	struct field_sites sites;	/* its scalars and where they were written */
};

struct plan {
	char *path;		/* as given */
	char *name;		/* name: or the file name without extension */
	char *description;
	struct plan_settings settings;
	struct op *ops;
	size_t n_ops;
	char checksum[65];	/* SHA-256 of the file, hex */
};

void plan_settings_default(struct plan_settings *s);
/* Reads and validates a plan file. On any problem, reports every one of
 * them into diag and returns NULL. */
struct plan *plan_load(const char *path, struct diag *diag);
/* The same from a buffer (tests, fuzzing); `name` stands in for the path. */
struct plan *plan_load_buffer(const char *name, const unsigned char *buf, size_t len,
			      struct diag *diag);
void plan_free(struct plan *p);

#endif
