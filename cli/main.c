/* pgstep: zero-downtime PostgreSQL migrations, stepped phase by phase. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include "ui/console.h"	/* the program entry opens the console; no curses here */
#include "engine/catalog.h"
#include "cli/cli.h"
#include "store/conn.h"
#include "plan/plan.h"
#include "pg/sql.h"
#include "base/xalloc.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{"show", cmd_show, "show PLAN...", "print every statement of every phase and its rollback, offline"},
	{"status", cmd_status, "status [--json]", "every migration, its phase and status"},
	{"step", cmd_step, "step NAME", "run the next phase of a migration"},
	{"run", cmd_run, "run NAME [--to PHASE]", "run phases up to PHASE (default: contract)"},
	{"rollback", cmd_rollback, "rollback NAME", "undo the last completed phase"},
	{"pause", cmd_pause, "pause NAME", "ask the running pgstep to pause the backfill"},
	{"resume", cmd_resume, "resume NAME", "ask the running pgstep to resume the backfill"},
	{"release", cmd_release, "release NAME", "ask the running pgstep to open the switch gate"},
	{"set", cmd_set, "set NAME KEY=VALUE...", "ask the running pgstep to change a live setting"},
	{"lint", cmd_lint, "lint PLAN...", "report what would lock or rewrite a table (--format=json; --list)"},
	{"convert", cmd_convert, "convert FILE.sql", "turn plain DDL into a plan, on stdout or into -o PLAN"},
	{NULL, NULL, NULL, NULL}
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: pgstep [OPTIONS] [COMMAND [ARGS]]\n"
		"\n"
		"With no command, pgstep opens the console.\n"
		"\n"
		"Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-22s %s\n", c->usage, c->help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -d, --dbname=CONNINFO  database to migrate (conninfo string or URI)\n"
		"  -P, --plans=DIR        directory of plan files (default ./plans)\n"
		"  -H, --hooks=DIR        directory of hook executables (over the plan's hooks setting)\n"
		"      --to=PHASE         with run: the phase to stop after\n"
		"      --json             with status: machine-readable output\n"
		"      --format=FORMAT    with lint: text (default) or json\n"
		"      --list             with lint: every rule, why and the safe alternative\n"
		"  -o, --output=FILE      with convert: write the plan into FILE, not to stdout\n"
		"      --interval=SECS    console: refresh the lock waits every SECS seconds (default 1)\n"
		"      --version-schema   run every plan with a versioned schema of views for the new version\n"
		"  -h, --help             this help\n"
		"  -V, --version          print the version\n"
		"\n"
		"See pgstep(1) and pgstep-plan(5).\n");
}

static bool
regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool
path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Whether path's file name, without its extension, is stem. */
static bool
file_stem_is(const char *path, const char *stem)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot ? (size_t) (dot - base) : strlen(base);

	return strlen(stem) == n && strncmp(base, stem, n) == 0;
}

char *
cli_find_plan(const struct cli *cli, const char *name, bool *ambiguous)
{
	struct catalog cat;
	char err[512];
	char *found = NULL;
	const char *first = NULL;

	*ambiguous = false;
	if (!catalog_load(&cat, cli->plans_dir, NULL, err, sizeof(err))) {
		catalog_free(&cat);
		return NULL;
	}
	for (size_t i = 0; i < cat.n; i++) {
		const struct catalog_entry *en = &cat.v[i];

		if (!en->path || (strcmp(en->name, name) != 0 && !file_stem_is(en->path, name)))
			continue;
		if (!first) {
			first = en->path;
			continue;
		}
		if (!*ambiguous)
			fprintf(stderr, "pgstep: %s names more than one plan: %s", name, first);
		fprintf(stderr, " and %s", en->path);
		*ambiguous = true;
	}
	if (*ambiguous)
		fprintf(stderr, "; give each plan its own name, or the file's path\n");
	else if (first)
		found = xstrdup(first);
	catalog_free(&cat);
	return found;
}

/*
 * A bare name (no "/", no .yaml, .yml or .json) is a migration of the
 * plans directory first, by the name `status` shows (the plan's name:,
 * else its file name) or by its file name: a file or a directory of the
 * same name where pgstep runs must not stand in for it. Anything else is
 * a path first.
 */
char *
cli_resolve_plan(const struct cli *cli, const char *arg)
{
	static const char *const exts[] = {".yaml", ".yml", ".json"};
	bool has_ext = false, bare, ambiguous;
	char *found;

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t n = strlen(arg), e = strlen(exts[i]);

		if (n > e && strcmp(arg + n - e, exts[i]) == 0)
			has_ext = true;
	}
	bare = !strchr(arg, '/') && !has_ext;
	/* A path names itself; plan_load says what is wrong with it. */
	if (!bare && path_exists(arg))
		return xstrdup(arg);
	if (bare) {
		if ((found = cli_find_plan(cli, arg, &ambiguous)) || ambiguous)
			return found;
	} else if (!strchr(arg, '/')) {
		char *p = xasprintf("%s/%s", cli->plans_dir, arg);

		if (regular_file(p))
			return p;
		free(p);
	}
	if (bare && regular_file(arg))
		return xstrdup(arg);
	if (strchr(arg, '/'))
		fprintf(stderr, "pgstep: no plan file %s\n", arg);
	else if (bare)
		fprintf(stderr, "pgstep: no plan file %s (nor %s/%s.yaml, nor a plan named %s in %s)\n", arg,
			cli->plans_dir, arg, arg, cli->plans_dir);
	else
		fprintf(stderr, "pgstep: no plan file %s (nor %s/%s)\n", arg, cli->plans_dir, arg);
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"plans", required_argument, NULL, 'P'},
		{"to", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"interval", required_argument, NULL, 'i'},
		{"list-keys", no_argument, NULL, 'K'},	/* hidden: for tests and the man page */
		{"format", required_argument, NULL, 'f'},
		{"list", no_argument, NULL, 'L'},
		{"version-schema", no_argument, NULL, 'S'},
		{"output", required_argument, NULL, 'o'},
		{"hooks", required_argument, NULL, 'H'},
		{NULL, 0, NULL, 0}
	};
	struct cli cli = {.plans_dir = "plans", .interval_ms = 1000};
	const struct command *cmd;
	/* static: the copy lives as long as the program */
	static char *dbname;
	int c, rc;

#ifdef HAVE_SYS_PRCTL_H
	/* No core dump, no ptrace and no /proc/PID/mem or environ for other
	 * processes of the user: pgstep holds the database password. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	setlocale(LC_ALL, "");
	while ((c = getopt_long(argc, argv, "d:P:H:hVo:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			/* copied, then scrubbed: ps shows argv for the whole run */
			free(dbname);
			cli.dbname = dbname = xstrdup(optarg);
			conn_scrub_arg(optarg);
			break;
		case 'P':
			cli.plans_dir = optarg;
			break;
		case 'H':
			cli.hooks_dir = optarg;
			break;
		case 't':
			cli.to_phase = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("pgstep %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		case 'i': {
			char *end;
			double secs = strtod(optarg, &end);

			if (end == optarg || *end || !(secs >= 1 && secs <= 3600)) {
				fprintf(stderr, "pgstep: --interval %s: give seconds, at least 1\n", optarg);
				return EXIT_USAGE;
			}
			cli.interval_ms = (int) (secs * 1000);
			break;
		}
		case 'K':
			console_list_keys(stdout);
			return EXIT_OK;
		case 'f':
			cli.format = optarg;
			break;
		case 'L':
			cli.lint_list = true;
			break;
		case 'S':
			plan_force_version_schema(true);
			break;
		case 'o':
			cli.output = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		rc = console_run(&(struct console_opts) {.conninfo = cli.dbname, .plans_dir = cli.plans_dir,
						       .hooks_dir = cli.hooks_dir, .interval_ms = cli.interval_ms});
		sql_cleanup();
		return rc;
	}
	for (cmd = commands; cmd->name; cmd++)
		if (strcmp(cmd->name, argv[optind]) == 0)
			break;
	if (!cmd->name) {
		fprintf(stderr, "pgstep: unknown command \"%s\"\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	rc = cmd->run(&cli, argc - optind - 1, argv + optind + 1);
	sql_cleanup();
	return rc;
}
