/* The `:` commands: one table gives the parser, completion, the help
 * screen and --list-keys. Each command does what a key does, through the
 * same actions. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum arg_kind {
	A_NONE,
	A_MIG,			/* a migration name */
	A_PHASE,		/* expand, backfill, switch, contract */
	A_PID,			/* a backend the monitor shows */
};

struct command {
	const char *name;
	const char *args;	/* shown in usage and help */
	int min_args, max_args;
	enum arg_kind kinds[2];
	int (*run)(struct ui *ui, int argc, char **argv);
	const char *help;
};

/* The selected migration when NAME is left out. */
static const char *
name_or_selected(struct ui *ui, int argc, char **argv)
{
	const struct mig_row *m;

	if (argc > 0)
		return argv[0];
	m = ui_selected_mig(ui);
	if (!m)
		ui_message(ui, MSG_ERROR, "no migration selected: give its name");
	return m ? m->name : NULL;
}

static bool
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int
cmd_step(struct ui *ui, int argc, char **argv)
{
	const char *name = name_or_selected(ui, argc, argv);

	return name ? action_step(ui, name, -1) : RD_STATUS;
}

static int
cmd_run(struct ui *ui, int argc, char **argv)
{
	enum phase ph;

	if (!phase_parse(argv[1], &ph)) {
		ui_message(ui, MSG_ERROR, "no phase \"%s\": expand, backfill, switch or contract", argv[1]);
		return RD_STATUS;
	}
	return action_step(ui, argv[0], (int) ph);
}

static int
cmd_rollback(struct ui *ui, int argc, char **argv)
{
	const char *name = name_or_selected(ui, argc, argv);

	return name ? action_rollback(ui, name) : RD_STATUS;
}

static int
cmd_pause(struct ui *ui, int argc, char **argv)
{
	return action_pause(ui, true);
}

static int
cmd_resume(struct ui *ui, int argc, char **argv)
{
	return action_pause(ui, false);
}

static int
cmd_batch(struct ui *ui, int argc, char **argv)
{
	long n;

	if (!parse_int(argv[0], 0, 10000000, &n)) {
		ui_message(ui, MSG_ERROR, "batch size \"%s\": give a number of rows, 0 for adaptive", argv[0]);
		return RD_STATUS;
	}
	return action_batch(ui, (int) n);
}

static int
cmd_set(struct ui *ui, int argc, char **argv)
{
	int rd = RD_NONE;

	for (int i = 0; i < argc; i++)
		rd |= action_set(ui, argv[i]);
	return rd;
}

static int
cmd_release(struct ui *ui, int argc, char **argv)
{
	return action_release(ui);
}

static int
cmd_interval(struct ui *ui, int argc, char **argv)
{
	char *end;
	double s = strtod(argv[0], &end);

	if (end == argv[0] || *end || !(s >= 1 && s <= 3600)) {
		ui_message(ui, MSG_ERROR, "interval \"%s\": give seconds, at least 1", argv[0]);
		return RD_STATUS;
	}
	ui->interval_ms = (int) (s * 1000);
	monitor_set_interval(ui->monitor, ui->interval_ms);
	ui_message(ui, MSG_INFO, "lock waits refreshed every %gs", s);
	return RD_STATUS | RD_LOCKS;
}

static int
kill_pid(struct ui *ui, char **argv, bool terminate)
{
	long pid;

	if (!parse_int(argv[0], 1, 2147483647L, &pid)) {
		ui_message(ui, MSG_ERROR, "pid \"%s\": give a backend's process id", argv[0]);
		return RD_STATUS;
	}
	return action_kill_pid(ui, (int) pid, terminate);
}

static int
cmd_cancel(struct ui *ui, int argc, char **argv)
{
	return kill_pid(ui, argv, false);
}

static int
cmd_terminate(struct ui *ui, int argc, char **argv)
{
	return kill_pid(ui, argv, true);
}

static int
cmd_abort(struct ui *ui, int argc, char **argv)
{
	return action_abort(ui);
}

static int
cmd_refresh(struct ui *ui, int argc, char **argv)
{
	struct worker_cmd c = {.kind = WCMD_REFRESH};

	worker_send(ui->worker, &c);
	ui_message(ui, MSG_INFO, "reloading plans and state");
	return RD_STATUS;
}

static int
cmd_help(struct ui *ui, int argc, char **argv)
{
	help_open(ui);
	return RD_ALL;
}

static int
cmd_quit(struct ui *ui, int argc, char **argv)
{
	return action_quit(ui);
}

static const struct command commands[] = {
	{"step", "[NAME]", 0, 1, {A_MIG}, cmd_step,
	 "run the next phase of NAME (default: the selected migration)"},
	{"run", "NAME PHASE", 2, 2, {A_MIG, A_PHASE}, cmd_run,
	 "run the phases of NAME up to and including PHASE"},
	{"pause", "", 0, 0, {A_NONE}, cmd_pause, "pause the running backfill at the next batch"},
	{"resume", "", 0, 0, {A_NONE}, cmd_resume, "resume the paused backfill"},
	{"rollback", "[NAME]", 0, 1, {A_MIG}, cmd_rollback,
	 "roll back the last completed phase of NAME (asks for its name)"},
	{"batch", "N", 1, 1, {A_NONE}, cmd_batch, "set the backfill batch size to N rows (0: adaptive)"},
	{"set", "KEY=VALUE", 1, 4, {A_NONE}, cmd_set,
	 "change a live setting of the running migration (pgstep show marks them *)"},
	{"release", "", 0, 0, {A_NONE}, cmd_release, "open the switch gate the run waits at (asks y/n)"},
	{"interval", "SECONDS", 1, 1, {A_NONE}, cmd_interval, "refresh the lock waits every SECONDS"},
	{"cancel", "PID", 1, 1, {A_PID}, cmd_cancel, "cancel the query of backend PID (asks y/n)"},
	{"terminate", "PID", 1, 1, {A_PID}, cmd_terminate,
	 "terminate backend PID, ending its session (asks y/n)"},
	{"abort", "", 0, 0, {A_NONE}, cmd_abort,
	 "cancel the running statement: the phase fails and is undone (asks y/n)"},
	{"refresh", "", 0, 0, {A_NONE}, cmd_refresh, "reload the plans and the recorded state now"},
	{"help", "", 0, 0, {A_NONE}, cmd_help, "show the keys and the commands"},
	{"quit", "", 0, 0, {A_NONE}, cmd_quit, "quit, as q does"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* An exact name, or a prefix of exactly one (":q" is :quit). */
static const struct command *
find_command(struct ui *ui, const char *name)
{
	const struct command *found = NULL;
	size_t len = strlen(name);
	int n = 0;

	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
		if (strncmp(commands[i].name, name, len) == 0) {
			found = &commands[i];
			n++;
		}
	}
	if (n == 1)
		return found;
	if (ui && n > 1)
		ui_message(ui, MSG_ERROR, "ambiguous command \"%s\": :help lists the commands", name);
	else if (ui)
		ui_message(ui, MSG_ERROR, "unknown command \"%s\": :help lists the commands", name);
	return NULL;
}

int
commands_exec(struct ui *ui, const char *line)
{
	char buf[512], *argv[8], *p, *save = NULL;
	int argc = 0;
	const struct command *c;

	snprintf(buf, sizeof(buf), "%s", line);
	p = buf;
	while (*p == ':' || isspace((unsigned char) *p))
		p++;
	for (char *tok = strtok_r(p, " \t\r\n", &save); tok && argc < 8; tok = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = tok;
	if (argc == 0)
		return RD_NONE;
	c = find_command(ui, argv[0]);
	if (!c)
		return RD_STATUS;
	if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
		ui_message(ui, MSG_ERROR, "usage: :%s%s%s", c->name, c->args[0] ? " " : "", c->args);
		return RD_STATUS;
	}
	return c->run(ui, argc - 1, argv + 1);
}

void
commands_complete(const struct ui *ui, const char *cmd, int argi, const char *prefix,
		  void (*add)(void *arg, const char *name), void *arg)
{
	const struct command *c;
	size_t len = strlen(prefix);
	enum arg_kind kind;

	if (argi == 0) {
		for (size_t i = 0; i < N_COMMANDS; i++)
			if (strncmp(commands[i].name, prefix, len) == 0)
				add(arg, commands[i].name);
		return;
	}
	c = find_command(NULL, cmd);
	if (!c || argi > 2)
		return;
	kind = c->kinds[argi - 1];
	if (kind == A_MIG) {
		for (int i = 0; i < ui->ws->n_migs; i++)
			if (strncmp(ui->ws->migs[i].name, prefix, len) == 0)
				add(arg, ui->ws->migs[i].name);
	} else if (kind == A_PHASE) {
		for (int ph = 0; ph < N_PHASES; ph++)
			if (strncmp(phase_name((enum phase) ph), prefix, len) == 0)
				add(arg, phase_name((enum phase) ph));
	} else if (kind == A_PID) {
		/* The sessions on screen: what blocks pgstep, waiters and their blockers. */
		for (int i = 0; i < ui->ms->pgstep.n_holders; i++) {
			char pid[16];

			snprintf(pid, sizeof(pid), "%d", ui->ms->pgstep.holders[i].pid);
			if (strncmp(pid, prefix, len) == 0)
				add(arg, pid);
		}
		for (int i = 0; i < ui->ms->n_waits; i++) {
			const struct lock_wait *w = &ui->ms->waits[i];
			char pid[16];

			for (int b = -1; b < w->n_blockers; b++) {
				snprintf(pid, sizeof(pid), "%d", b < 0 ? w->pid : w->blockers[b]);
				if (strncmp(pid, prefix, len) == 0)
					add(arg, pid);
			}
		}
	}
}

void
commands_print(FILE *out)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, ":%s%s%s\t%s\t%s\n", commands[i].name, commands[i].args[0] ? " " : "",
			commands[i].args, commands[i].name, commands[i].help);
}

void
commands_help(struct ui *ui)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char usage[64];

		snprintf(usage, sizeof(usage), ":%s%s%s", commands[i].name, commands[i].args[0] ? " " : "",
			 commands[i].args);
		ui_view_add(ui, "  %-20s %s", usage, commands[i].help);
	}
}
