/*
 * A migration plan as read from its YAML file: settings and operations.
 *
 * Layer rule (script/check-layers, run first by script/test): plan may
 * include base, pg; nothing of store, compile, ops, lint, convert, engine,
 * threads, ui, cli.
 */
#ifndef PGSTEP_PLAN_H
#define PGSTEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "plan/fields.h"
#include "plan/yamldoc.h"

enum kill_blockers {
	KILL_NONE,		/* the operator decides (:cancel, :terminate) */
	KILL_CANCEL,		/* pg_cancel_backend after the deadline */
	KILL_TERMINATE,		/* pg_terminate_backend after the deadline */
};

/* backfill_workers is at most this. */
#define PLAN_MAX_WORKERS 16

/* Limits on a load signal of the server (throttle.h); 0 turns one off. */
struct load_limits {
	int active_sessions;	/* sessions running a query (pg_stat_activity), pgstep's own excluded */
	int64_t wal_per_second;	/* bytes of WAL the server writes a second, everyone's */
	int replica_lag_ms;	/* critical_load only: max_replica_lag throttles */
	int checks;		/* critical_load only: consecutive checks over a limit before the abort */
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
	bool version_schema;	/* expose the new schema as views in <schema>_<migration> */
	char *schema;		/* the schema whose tables the views show; NULL: public */
	/* The switch gate: `run` waits after the backfill until released
	 * (gate.c). A flag file also turns it on, and its removal releases it. */
	bool postpone_switch;
	char *postpone_switch_flag_file;	/* relative to the plan's directory; NULL none */
	char *hooks;		/* directory of hook executables (hookrun.h); NULL none */
	int hook_timeout_ms;	/* a hook is killed (its process group) after this */
	int hook_progress_ms;	/* backfill-progress runs this often */
	/* The backfill's load controls (throttle.h): max_load throttles
	 * (finish the batch, then wait), critical_load aborts the phase;
	 * throttle_query is the DBA's own SELECT of one boolean, checked at
	 * load, throttling while it returns true. */
	struct load_limits max_load, critical_load;
	char *throttle_query;
	int throttle_query_timeout_ms;
	int max_rows_per_second;	/* 0: no limit */
	int64_t max_wal_per_second;	/* bytes of the backfill's WAL a second; 0: no limit */
	int backfill_workers;	/* connections walking disjoint key ranges */
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
	/* The versioned schema this migration creates (pgroll's version
	 * schemas), or NULL: from the top-level version_schema (pgroll's),
	 * or <schema>_<name> with settings.version_schema or
	 * --version-schema. */
	char *version_schema;
};

void plan_settings_default(struct plan_settings *s);
/* Reads one setting as a plan's settings: would (key: value), with the
 * plan's own parsers (durations, bounds): into s, or false with why in
 * err (an unknown key names the known ones). `pgstep set` and the
 * console's :set check what they are given here. */
bool plan_setting_parse(const char *key, const char *value, struct plan_settings *s, char *err, size_t errlen);
/* Whether key names a setting. */
bool plan_setting_known(const char *key);
/* Frees what plan_setting_parse allocated in s (a path, a name). */
void plan_settings_free(struct plan_settings *s);
/* Every setting of s, in the order pgstep-plan(5) gives them, as a plan
 * would write its value ("" for a path or name that is not set). */
void plan_settings_each(const struct plan_settings *s, void (*fn)(void *ud, const char *key, const char *value),
			void *ud);
/* A path a plan names (a flag file, the hooks directory): an absolute one
 * as it is, a relative one from the plan file's directory. The caller
 * frees. */
char *plan_relative_path(const struct plan *p, const char *path);

/* The schema of the plan's tables: settings.schema, or public. */
const char *plan_schema(const struct plan *p);
/* A relation or function of the plan's schema, as "schema"."name"; the
 * caller frees. Every statement pgstep compiles names the objects of the
 * plan this way, so no search_path decides what a name means. */
char *plan_qualified(const struct plan *p, const char *name);
/* The search_path the plan's own SQL runs with (its expressions, raw_sql
 * and sql steps): "schema", pg_temp. pg_catalog, not named, is searched
 * first, so nothing in the schema stands in for a built-in of the same
 * name and arguments; pg_temp, named last, is never searched before it.
 * Objects created without a schema go into the plan's schema. The caller
 * frees. */
char *plan_search_path(const struct plan *p);
/* The same, spelled out for a function's SET search_path: pg_catalog,
 * "schema", pg_temp. The caller frees. */
char *plan_function_path(const struct plan *p);
/* Reads and validates a plan file. On any problem, reports every one of
 * them into diag and returns NULL. */
struct plan *plan_load(const char *path, struct diag *diag);
/* The same from a buffer (tests, fuzzing); `name` stands in for the path. */
struct plan *plan_load_buffer(const char *name, const unsigned char *buf, size_t len,
			      struct diag *diag);
void plan_free(struct plan *p);

/* --version-schema: every plan loaded from now on is run with versioned
 * schema views. It counts in the checksum, so a migration started with it
 * cannot be carried on without it, nor the other way round. */
void plan_force_version_schema(bool on);

#endif
