/* pgstep: zero-downtime PostgreSQL migrations, stepped phase by phase. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "sql.h"
#include "xalloc.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{"show", cmd_show, "show PLAN...", "print every statement of every phase and its rollback, offline"},
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
		"      --to=PHASE         with run: the phase to stop after\n"
		"      --json             with status: machine-readable output\n"
		"  -h, --help             this help\n"
		"  -V, --version          print the version\n"
		"\n"
		"See pgstep(1) and pgstep-plan(5).\n");
}

char *
cli_resolve_plan(const struct cli *cli, const char *arg)
{
	static const char *const exts[] = {".yaml", ".yml", ".json"};
	struct stat st;

	if (stat(arg, &st) == 0)
		return xstrdup(arg);
	if (!strchr(arg, '/')) {
		for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
			char *p = xasprintf("%s/%s%s", cli->plans_dir, arg, exts[i]);

			if (stat(p, &st) == 0)
				return p;
			free(p);
		}
	}
	fprintf(stderr, "pgstep: no plan file %s (nor %s/%s.yaml)\n", arg, cli->plans_dir, arg);
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
		{NULL, 0, NULL, 0}
	};
	struct cli cli = {.plans_dir = "plans", .interval_ms = 1000};
	const struct command *cmd;
	int c, rc;

	setlocale(LC_ALL, "");
	while ((c = getopt_long(argc, argv, "d:P:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.dbname = optarg;
			break;
		case 'P':
			cli.plans_dir = optarg;
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
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("pgstep: the console is not built yet; see `pgstep --help` for the commands\n", stderr);
		return EXIT_USAGE;
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
