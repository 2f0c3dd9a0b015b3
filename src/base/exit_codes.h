/* pgstep's exit codes, documented in pgstep(1): the headless commands'
 * (cli/) and the console's (ui/). */
#ifndef PGSTEP_EXIT_CODES_H
#define PGSTEP_EXIT_CODES_H

enum {
	EXIT_OK = 0,
	EXIT_FAILURE_RUNTIME = 1,	/* database or runtime failure */
	EXIT_USAGE = 2,			/* usage or plan error */
	EXIT_HELD = 3,			/* migration held by another operator */
};

#endif
