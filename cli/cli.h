/*
 * Headless commands: what the console does, for scripts and CI.
 *
 * Layer rule (script/check-layers, run first by script/test): cli is the
 * top layer and may include every other (base, pg, plan, store, compile,
 * ops, lint, convert, engine, threads, ui); none includes it.
 */
#ifndef PGSTEP_CLI_H
#define PGSTEP_CLI_H

#include <stdbool.h>

#include "base/exit_codes.h"


struct cli {
	const char *dbname;	/* -d: conninfo or URI; NULL: libpq's defaults */
	const char *plans_dir;	/* -P */
	const char *to_phase;	/* --to */
	bool json;		/* --json */
	int interval_ms;	/* --interval */
	const char *format;	/* --format: lint's text or json */
	bool lint_list;		/* --list: lint's rules */
	const char *output;	/* -o: convert's plan file; NULL: stdout */
	const char *hooks_dir;	/* -H: hooks directory, over the plans' `hooks` */
};

int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_step(struct cli *cli, int argc, char **argv);
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_rollback(struct cli *cli, int argc, char **argv);
int cmd_pause(struct cli *cli, int argc, char **argv);
int cmd_resume(struct cli *cli, int argc, char **argv);
int cmd_release(struct cli *cli, int argc, char **argv);
int cmd_set(struct cli *cli, int argc, char **argv);
int cmd_lint(struct cli *cli, int argc, char **argv);
int cmd_convert(struct cli *cli, int argc, char **argv);

/* Finds a plan given as a path, or as a migration name in the plans
 * directory; returns a malloc'd path or NULL after printing why. */
char *cli_resolve_plan(const struct cli *cli, const char *arg);
/* The plan file of the plans directory whose name (as status shows it)
 * or file name is `name`, malloc'd; NULL when none, or when several are
 * (*ambiguous set, and all of them named on stderr). */
char *cli_find_plan(const struct cli *cli, const char *name, bool *ambiguous);

#endif
