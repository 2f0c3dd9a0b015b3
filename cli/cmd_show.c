#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "compile/compile.h"
#include "base/diag.h"
#include "plan/plan.h"
#include "compile/show.h"
#include "engine/live.h"
#include "lint/validate.h"

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	int rc = EXIT_OK;

	if (argc < 1) {
		fputs("usage: pgstep show PLAN...\n", stderr);
		return EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++) {
		struct diag d = {0};
		char *path = cli_resolve_plan(cli, argv[i]);
		struct plan *p;
		struct compiled *c;

		if (!path) {
			rc = EXIT_USAGE;
			continue;
		}
		p = plan_validate_load(path, &d);
		free(path);
		if (!p) {
			diag_print(&d, stderr);
			diag_free(&d);
			rc = EXIT_USAGE;
			continue;
		}
		c = compile_plan(p, NULL);
		if (i > 0)
			fputc('\n', stdout);
		show_plan(stdout, p, c, live_is);
		compiled_free(c);
		plan_free(p);
		diag_free(&d);
	}
	return rc;
}
