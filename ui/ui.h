/* The console's state: the latest snapshots it draws from, what the
 * operator has selected, and the modal prompt if one is open. Only the main
 * thread touches it; the worker and the monitor are reached through their
 * commands and snapshots.
 *
 * Layer rule (script/check-layers, run first by script/test): ui may
 * include base, pg, plan, store, compile, ops, lint, convert, engine,
 * threads; nothing of cli.
 */
#ifndef PGSTEP_UI_H
#define PGSTEP_UI_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "keys.h"
#include "threads/monitor.h"
#include "threads/worker.h"


/* What a handler asks the loop to repaint. */
enum {
	RD_NONE = 0,
	RD_HEADER = 1 << 0,
	RD_MIGS = 1 << 1,
	RD_PHASES = 1 << 2,
	RD_PROGRESS = 1 << 3,
	RD_LOCKS = 1 << 4,
	RD_LOG = 1 << 5,
	RD_STATUS = 1 << 6,
	RD_FOOTER = 1 << 7,
	RD_ALL = (1 << 8) - 1,
	RD_CLEAR = 1 << 8,	/* forget what the terminal shows: repaint every cell */
	RD_QUIT = 1 << 9,
};

/* The panels, in the order they are laid out and drawn. */
enum panel_id {
	P_HEADER,
	P_MIGS,
	P_PHASES,
	P_PROGRESS,
	P_LOCKS,
	P_LOG,
	P_STATUS,
	P_FOOTER,
	N_PANELS
};

struct area {
	int y, x, h, w;
};

enum mode {
	M_NORMAL,
	M_HELP,			/* the ? screen */
	M_VIEW,			/* a full text (migration details, an error) */
	M_PROMPT,		/* a question on the status line */
	M_CMDLINE,		/* the `:` line, edited on the status line */
};

enum prompt_kind {
	PR_YESNO,		/* y or n */
	PR_NAME,		/* type the migration's name to confirm */
	PR_FILTER,		/* the / filter, applied as it is typed */
};

#define PROMPT_DETAILS 4

/* What a confirmed prompt does. */
struct prompt {
	enum prompt_kind kind;
	char question[256];
	/* Shown in a box above the question: what saying yes costs. */
	char details_title[96];
	char details[PROMPT_DETAILS][160];
	int n_details;
	char expect[64];	/* PR_NAME: what must be typed */
	char buf[128];		/* typed so far (UTF-8) */
	bool quit;		/* on yes: leave the console */
	bool send;		/* on yes: send cmd to the worker */
	struct worker_cmd cmd;
	char done_msg[160];	/* shown once sent */
};

enum msg_level {
	MSG_INFO,
	MSG_WARN,
	MSG_ERROR,
};

/* What ends a message besides time: the message of a command sent to the
 * worker says what is under way, and goes when that is over. */
enum msg_until {
	UNTIL_TIME,		/* fades after a while */
	UNTIL_CMD_DONE,		/* the queued command msg_seq finished */
	UNTIL_PAUSED,		/* the backfill paused (or ended) */
	UNTIL_RESUMED,		/* the backfill runs again (or ended) */
};

#define UI_MAX_VIEW_LINES 400

struct ui {
	struct worker *worker;
	struct monitor *monitor;
	int interval_ms;
	/* The batch size the operator set (0: adaptive): the snapshot shows
	 * the last batch's size, which lags behind it until the next batch,
	 * and not at all while paused. */
	int batch_set;

	struct worker_status *ws;	/* copies of the snapshots, redrawn from */
	struct monitor_snapshot *ms;
	uint64_t ws_version;

	enum mode mode;
	enum panel_id focus;		/* P_MIGS, P_LOCKS or P_LOG */
	struct area areas[N_PANELS];
	int rows, cols;
	bool too_small;

	/* Selection: by name, so it survives the list changing under it. */
	char sel_name[64];
	int mig_top;
	char filter[128];
	int lock_sel, lock_top;
	int log_sel;			/* lines up from the newest; 0 follows the tail */

	struct prompt prompt;
	int cur_y, cur_x;		/* where the cursor shows in a prompt */

	char msg[256];
	enum msg_level msg_level;
	enum msg_until msg_until;
	uint64_t msg_seq;		/* UNTIL_CMD_DONE: worker_last_queued() when sent */
	time_t msg_at;
	uint64_t msg_version;		/* the snapshot's version when it was set */
	uint64_t notice_seq;		/* the worker's last notice shown */

	/* M_HELP and M_VIEW: lines of text and where they are scrolled to. */
	char view_title[128];
	char *view_lines[UI_MAX_VIEW_LINES];
	int n_view_lines;
	int view_top;
};

/* A panel: one file each, filled once with designated initializers. */
struct panel_ops {
	const char *title;
	/* Paints the whole of its area (it clears it first). */
	void (*draw)(struct ui *ui, const struct area *a);
	/* Handles a movement or open action while it has the focus; returns
	 * RD_* bits, RD_NONE when it does not handle that action. May be NULL. */
	int (*key)(struct ui *ui, enum action act);
};

extern const struct panel_ops panel_header, panel_migrations, panel_phases, panel_progress,
	panel_locks, panel_log, panel_status, panel_footer;

/* ui.c: the model side of the console, no drawing. */
void ui_message(struct ui *ui, enum msg_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The message for a command just given to the worker: it stays while
 * what it announces is under way ("running expand of ...", "pausing at
 * the next batch boundary") and goes when that is over. */
void ui_message_cmd(struct ui *ui, const struct worker_cmd *c, const char *text);
/* Whether the status line still shows the message. */
bool ui_message_current(const struct ui *ui);
/* Migrations shown after the filter: fills idx with indexes into ws->migs. */
int ui_visible_migs(const struct ui *ui, int *idx, int max);
const struct mig_row *ui_selected_mig(struct ui *ui);
const struct mig_row *ui_find_mig(const struct ui *ui, const char *name);
/* The context the key table's conditions are checked against. */
void ui_key_context(struct ui *ui, struct key_context *kc);
/* Replaces the text of M_VIEW/M_HELP; takes a copy of each line. */
void ui_view_clear(struct ui *ui);
void ui_view_add(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds text of several lines, each after indent, tabs expanded. */
void ui_view_add_text(struct ui *ui, const char *indent, const char *text);
/* The worker's notice (the outcome of :cancel or :terminate), once, as
 * the status line's message; returns RD_* bits. */
int ui_take_notice(struct ui *ui);
/* What the monitor knows of a session's state ("" nothing), and for how
 * long it has been in it (-1 unknown). */
const char *ui_session_state(const struct ui *ui, int pid, int64_t *ms);
/* Whether the worker is driving a phase right now. */
bool ui_phase_running(const struct ui *ui);

/* actions.c: what keys and commands do. Each returns RD_* bits. */
int action_run(struct ui *ui, enum action act);
int action_step(struct ui *ui, const char *name, int to_phase);
int action_rollback(struct ui *ui, const char *name);
int action_pause(struct ui *ui, bool pause);
int action_batch(struct ui *ui, int size);
/* The switch gate the run waits at opens (asks y/n). */
int action_release(struct ui *ui);
/* A live setting, "key=value" (live.h), for the running migration. */
int action_set(struct ui *ui, const char *assignment);
int action_kill_pid(struct ui *ui, int pid, bool terminate);
int action_abort(struct ui *ui);
int action_quit(struct ui *ui);

/* prompt.c */
void prompt_open(struct ui *ui, enum prompt_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int prompt_key(struct ui *ui, int key);
/* The details box above the status line, if the prompt has details. */
void prompt_draw_details(struct ui *ui);

/* help.c: fills the view with the key table and the `:` commands. */
void help_open(struct ui *ui);

/* view.c: M_HELP and M_VIEW, a scrollable page of text. */
void view_draw(struct ui *ui);
int view_key(struct ui *ui, int key);

/* cmdline.c: the `:` line, a mode of the main loop. open starts a line;
 * key hands it a key (Enter runs the line); keys_read is called after the
 * keys of one wake-up were handed over (a lone Esc cancels); draw paints
 * the line on the status line and any completion candidates above it. */
int cmdline_open(struct ui *ui);
int cmdline_key(struct ui *ui, int key);
int cmdline_keys_read(struct ui *ui);
void cmdline_draw(struct ui *ui);
void cmdline_done(void);

/* commands.c: the `:` commands. */
int commands_exec(struct ui *ui, const char *line);
/* Candidates for completing word number `argi` (0: the command) of a
 * line whose first word is cmd; calls add for each name starting with
 * prefix. */
void commands_complete(const struct ui *ui, const char *cmd, int argi, const char *prefix,
		       void (*add)(void *arg, const char *name), void *arg);
void commands_print(FILE *out);
void commands_help(struct ui *ui);

#endif
