/* pgstep lint [--format=json] [PLAN...]: every statement of every plan read
 * by PostgreSQL's parser, and the ones that would take a dangerous lock or
 * rewrite a table reported, offline. For CI: exit 0 clean, 1 warnings, 2
 * errors or plans that do not load. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "compile/compile.h"
#include "base/diag.h"
#include "lint/lint.h"
#include "plan/plan.h"
#include "base/xalloc.h"
#include "lint/validate.h"

static int
plan_file(const struct dirent *e)
{
	const char *dot = strrchr(e->d_name, '.');

	return e->d_name[0] != '.' && dot &&
		(strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 || strcmp(dot, ".json") == 0);
}

/* What was checked, for the summary of a clean run. */
struct lint_counts {
	int plans, statements;
};

static void
lint_file(struct lint_session *s, const char *path, struct lint_report *r, struct lint_counts *n)
{
	struct diag d = {0};
	struct plan *p = plan_validate_load(path, &d);
	struct compiled *c;

	if (!p) {
		lint_report_diag(r, &d);
		diag_free(&d);
		return;
	}
	c = compile_plan(p, NULL);
	lint_plan(s, p, c, r);
	n->plans++;
	for (int ph = 0; ph < N_PHASES; ph++)
		for (size_t i = 0; i < c->n[ph]; i++)
			n->statements += (c->steps[ph][i].sql != NULL) + (c->steps[ph][i].rollback != NULL);
	compiled_free(c);
	plan_free(p);
	diag_free(&d);
}

/* A directory: its plan files in name order, the order they apply in. */
static bool
lint_dir(struct lint_session *s, const char *dir, struct lint_report *r, struct lint_counts *counts)
{
	struct dirent **names;
	int n = scandir(dir, &names, plan_file, alphasort);

	if (n < 0) {
		fprintf(stderr, "pgstep: cannot read the directory %s\n", dir);
		return false;
	}
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]->d_name);

		lint_file(s, path, r, counts);
		free(path);
		free(names[i]);
	}
	free(names);
	return true;
}

int
cmd_lint(struct cli *cli, int argc, char **argv)
{
	struct lint_session *s;
	struct lint_report r = {0};
	struct lint_counts counts = {0};
	bool json = false, ok = true;
	int rc;

	if (cli->lint_list) {
		lint_list_rules(stdout);
		return EXIT_OK;
	}
	if (cli->format && strcmp(cli->format, "json") == 0)
		json = true;
	else if (cli->format && strcmp(cli->format, "text") != 0) {
		fprintf(stderr, "pgstep: --format must be text or json, not \"%s\"\n", cli->format);
		return EXIT_USAGE;
	}
	s = lint_session_new();
	if (argc == 0)
		ok = lint_dir(s, cli->plans_dir, &r, &counts);
	for (int i = 0; i < argc; i++) {
		struct stat st;
		char *path;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			ok = lint_dir(s, argv[i], &r, &counts) && ok;
			continue;
		}
		if (!(path = cli_resolve_plan(cli, argv[i]))) {
			ok = false;
			continue;
		}
		lint_file(s, path, &r, &counts);
		free(path);
	}
	rc = ok ? lint_report_status(&r) : EXIT_USAGE;
	if (json)
		lint_report_json(stdout, &r);
	else
		lint_report_text(stdout, &r);
	if (!json && rc == EXIT_OK) {
		size_t silenced = r.n;	/* a clean report holds only silenced findings */

		printf("ok: %d plan%s, %d statement%s with their rollbacks: nothing takes a dangerous lock or rewrites a table",
		       counts.plans, counts.plans == 1 ? "" : "s", counts.statements, counts.statements == 1 ? "" : "s");
		if (silenced)
			printf(" (%zu finding%s silenced by lint_ignore)", silenced, silenced == 1 ? "" : "s");
		putchar('\n');
	}
	lint_report_free(&r);
	lint_session_free(s);
	return rc;
}
