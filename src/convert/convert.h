/* pgstep convert: plain DDL, the migration a DBA would otherwise run by
 * hand, read by PostgreSQL's own parser and turned into a plan of pgstep's
 * operations, one per statement (one per ALTER TABLE subcommand). No
 * connection: what the file does not say about the schema is guessed, and
 * every guess is a warning.
 *
 * Layer rule (script/check-layers, run first by script/test): convert may
 * include base, pg, plan, store, compile, ops, lint; nothing of engine,
 * threads, ui, cli.
 */
#ifndef PGSTEP_CONVERT_H
#define PGSTEP_CONVERT_H

#include "base/diag.h"

enum convert_status {
	CONVERT_OK = 0,		/* every statement became an operation as it is */
	CONVERT_REVIEW = 1,	/* some became sql operations or need review: see the warnings */
	CONVERT_FAILED = 2,	/* the text does not parse: no plan */
};

/*
 * Converts the statements of `sql`, the text of `file` (the name messages
 * print), into a plan: *yaml gets its YAML (the caller frees), or NULL on
 * failure. Warnings go into `warnings` and the reason of a failure into
 * `errors`, each at the FILE:LINE:COL of its statement. The plan written
 * always loads (plan_load_buffer): an operation pgstep would refuse becomes
 * a sql operation instead, with a warning.
 */
enum convert_status convert_sql(const char *file, const char *sql, char **yaml, struct diag *warnings,
				struct diag *errors);

#endif
