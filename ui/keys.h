/* The console's keys, declared once: each action with its keys, when it
 * applies, its footer label and its help text. Dispatch, the footer, the
 * help screen and `pgstep --list-keys` are all generated from this list,
 * so none of them can drift from the others. */
#ifndef PGSTEP_KEYS_H
#define PGSTEP_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <curses.h>

/* Function keys are offset past every Unicode code point so that they never
 * collide with a typed character (KEY_UP is 0403, which is also 'ă'). */
#define KC_FN(k)	(0x40000000 | (k))
#define KC_CTRL(c)	((c) & 0x1f)
/* Esc is no action of the table: it closes whatever is open (a view, a
 * prompt, the command line, the message). */
#define KC_ESC		27

/* When an action applies; W_WRITES actions are refused read-only. */
enum {
	W_ALWAYS = 0,
	W_MIG = 1 << 0,		/* needs a selected migration */
	W_WRITES = 1 << 1,	/* changes the database: refused when read-only */
	W_PAUSABLE = 1 << 2,	/* a backfill is running or paused */
	W_BACKFILL = 1 << 3,	/* a backfill is running */
	W_CAN_STEP = 1 << 4,	/* the selection has a next phase */
	W_CAN_UNDO = 1 << 5,	/* the selection has a completed phase */
	W_UNDOABLE = 1 << 6,	/* ... and no step of it destroyed data: otherwise the
				 * key is shown unavailable, and says why at once */
	W_GATE = 1 << 7,	/* a run waits at the switch gate */
};

/* X(id, name, key1, key2, key3, when, footer label (NULL: not in the
 * footer), help text). Unused key slots are 0. */
#define KEY_ACTIONS(X) \
	X(UP, "up", KC_FN(KEY_UP), 'k', 0, W_ALWAYS, NULL, \
	  "move the selection up") \
	X(DOWN, "down", KC_FN(KEY_DOWN), 'j', 0, W_ALWAYS, NULL, \
	  "move the selection down") \
	X(PGUP, "page-up", KC_FN(KEY_PPAGE), 0, 0, W_ALWAYS, NULL, \
	  "move a page up") \
	X(PGDN, "page-down", KC_FN(KEY_NPAGE), 0, 0, W_ALWAYS, NULL, \
	  "move a page down") \
	X(HOME, "first", KC_FN(KEY_HOME), 'g', 0, W_ALWAYS, NULL, \
	  "move to the first line") \
	X(END, "last", KC_FN(KEY_END), 'G', 0, W_ALWAYS, NULL, \
	  "move to the last line (the log follows new lines again)") \
	X(NEXT_PANEL, "next-panel", '\t', 0, 0, W_ALWAYS, "panel", \
	  "switch panel: migrations, lock waits, log") \
	X(PREV_PANEL, "prev-panel", KC_FN(KEY_BTAB), 0, 0, W_ALWAYS, NULL, \
	  "switch to the previous panel") \
	X(OPEN, "open", '\n', '\r', KC_FN(KEY_ENTER), W_ALWAYS, "open", \
	  "open the selection: a migration's details, a lock wait's query, a log line in full") \
	X(STEP, "step", 's', 0, 0, W_MIG | W_WRITES | W_CAN_STEP, "step", \
	  "run the next phase of the selected migration (contract asks for its name)") \
	X(PAUSE, "pause", 'p', ' ', 0, W_WRITES | W_PAUSABLE, "pause", \
	  "pause or resume the running backfill") \
	X(ROLLBACK, "rollback", 'r', 0, 0, W_MIG | W_WRITES | W_CAN_UNDO | W_UNDOABLE, "rollback", \
	  "roll back the last completed phase (asks for its name), unless it destroyed data") \
	X(RELEASE, "release", 'R', 0, 0, W_WRITES | W_GATE, "release", \
	  "open the switch gate the run waits at: the switch starts now (asks y/n)") \
	X(BATCH_UP, "batch-up", '+', '=', 0, W_WRITES | W_BACKFILL, "batch+", \
	  "double the backfill batch size") \
	X(BATCH_DOWN, "batch-down", '-', 0, 0, W_WRITES | W_BACKFILL, "batch-", \
	  "halve the backfill batch size") \
	X(CMDLINE, "command", ':', 0, 0, W_ALWAYS, "cmd", \
	  "open the command line (:help lists the commands)") \
	X(FILTER, "filter", '/', 0, 0, W_ALWAYS, "filter", \
	  "filter the migrations list by name (empty: show all)") \
	X(HELP, "help", '?', KC_FN(KEY_F(1)), 0, W_ALWAYS, "help", \
	  "show this help") \
	X(QUIT, "quit", 'q', KC_FN(KEY_F(10)), 0, W_ALWAYS, "quit", \
	  "quit (asks first while a phase runs; the backfill keeps its checkpoint)") \
	X(REDRAW, "redraw", KC_CTRL('L'), 0, 0, W_ALWAYS, NULL, \
	  "redraw the whole screen")

enum action {
	ACT_NONE,
#define X(id, name, k1, k2, k3, when, footer, help) ACT_##id,
	KEY_ACTIONS(X)
#undef X
	N_ACTIONS
};

struct key_info {
	enum action act;
	const char *name;
	int keys[3];
	unsigned when;
	const char *footer;
	const char *help;
};

extern const struct key_info key_table[];
extern const size_t n_key_table;

/* What the W_* conditions are checked against. */
struct key_context {
	bool has_mig;
	bool read_only;
	bool pausable;
	bool backfill;
	bool can_step;
	bool can_undo;
	bool undoable;
	bool gated;
};

/* The action bound to a key (ACT_NONE when none). Needs no terminal. */
enum action keys_action(int key);
/* A key as get_wch returned it (rc is OK or KEY_CODE_YES). */
int keys_from_wch(int rc, unsigned long wch);
const struct key_info *keys_info(enum action act);
/* Whether act applies in kc, read-only aside (the footer shows it). */
bool keys_applies(enum action act, const struct key_context *kc);
/* Whether act applies but would be refused in kc (W_UNDOABLE): the
 * footer and the help show it unavailable rather than offer it. */
bool keys_unavailable(enum action act, const struct key_context *kc);
/* "Up", "k", "Space", "^L", "F1". */
void keys_name(int key, char *buf, size_t len);
/* Every key of an action, as the help screen shows them: "Up, k". */
void keys_display(enum action act, char *buf, size_t len);
/* One line per action: display keys, a tab, the name, a tab, the help. */
void keys_print(FILE *out);

#endif
