/* The console: what `pgstep` with no command opens. */
#ifndef PGSTEP_CONSOLE_H
#define PGSTEP_CONSOLE_H

#include <stdio.h>

/* What the command line gives the console. */
struct console_opts {
	const char *conninfo;	/* -d; NULL: libpq's defaults */
	const char *plans_dir;	/* -P */
	const char *hooks_dir;	/* -H; NULL: the plans' `hooks` */
	int interval_ms;	/* --interval; 0: the default */
};

/* Runs the console until the operator quits or a signal (SIGTERM, SIGHUP,
 * SIGINT) asks it to stop; the worker writes its checkpoint first and the
 * terminal is restored on every way out. Returns an exit code. */
int console_run(const struct console_opts *opts);

/* The key table and the `:` commands, one per line, tab-separated: what
 * the help screen shows (for tests and the man page). */
void console_list_keys(FILE *out);

#endif
