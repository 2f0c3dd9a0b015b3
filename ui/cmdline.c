/* The `:` command line: a mode of the main loop, so the panels keep
 * repainting while it is open. libedit does the editing (emacs keys,
 * ~/.editrc, history, completion) on a private pseudo-terminal whose
 * output nobody sees, never on the real one. The loop
 * hands it each key curses read (EL_GETCFN, EL_UNBUFFERED: one command
 * per el_wgets), and the line and any completion candidates are drawn
 * with curses like every other panel. History is merged into
 * ~/.pgstep_history under flock(2), so two consoles keep each other's
 * lines. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <wchar.h>

#include "draw.h"
#include "ui.h"
#include "base/xalloc.h"

#define HISTORY_FILE ".pgstep_history"
#define HISTORY_SIZE 500
#define MAX_CANDIDATES 64
/* Rows of the completion popup, its title included. */
#define POPUP_ROWS 6

static EditLine *el;
static History *hist;
static char *hist_path;
static FILE *el_in, *el_out;	/* libedit's private terminal (pty_master: its other side) */
static int pty_master = -1;
static struct ui *cur_ui;	/* for the completion callback */

/* Characters for libedit, queued by the loop and taken by get_char. */
static wchar_t queue[32];
static int q_head, q_len;
/* An Esc with nothing after it in the same read cancels the line; with a
 * character after it, it is the Meta prefix (Esc b: back a word). */
static bool esc_pending;

/* What Tab found, shown above the line until the next key. */
static struct {
	char *names[MAX_CANDIDATES];
	int n;
	bool none;		/* Tab found nothing */
	char prefix[512];
} shown;

static void
shown_clear(void)
{
	for (int i = 0; i < shown.n; i++)
		free(shown.names[i]);
	shown.n = 0;
	shown.none = false;
	shown.prefix[0] = '\0';
}

static char *
prompt(EditLine *e)
{
	return ":";
}

/* libedit's read: the next queued character; 0 (end of input) when the
 * queue is empty, which ends this el_wgets. */
static int
get_char(EditLine *e, wchar_t *out)
{
	if (q_len == 0)
		return 0;
	*out = queue[q_head];
	q_head = (q_head + 1) % (int) (sizeof(queue) / sizeof(queue[0]));
	q_len--;
	return 1;
}

static void
push(const wchar_t *s)
{
	for (; *s; s++) {
		if (q_len == (int) (sizeof(queue) / sizeof(queue[0])))
			return;
		queue[(q_head + q_len) % (int) (sizeof(queue) / sizeof(queue[0]))] = *s;
		q_len++;
	}
}

static void
add_candidate(void *arg, const char *name)
{
	(void) arg;
	for (int i = 0; i < shown.n; i++)
		if (strcmp(shown.names[i], name) == 0)
			return;
	if (shown.n < MAX_CANDIDATES)
		shown.names[shown.n++] = xstrdup(name);
}

/* Tab: the word under the cursor is completed as far as it is unique;
 * when it cannot go further the candidates are shown above the line. */
static unsigned char
complete(EditLine *e, int ch)
{
	const LineInfo *li = el_line(e);
	char line[512], *words[8], *save = NULL, *prefix;
	size_t len = (size_t) (li->cursor - li->buffer), common;
	int nw = 0, argi;

	(void) ch;
	shown_clear();
	if (len >= sizeof(line))
		return CC_ERROR;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	/* The word being typed starts after the last blank. */
	prefix = strrchr(line, ' ');
	prefix = prefix ? prefix + 1 : line;
	snprintf(shown.prefix, sizeof(shown.prefix), "%s", prefix);
	for (char *t = strtok_r(line, " \t", &save); t && nw < 8; t = strtok_r(NULL, " \t", &save))
		words[nw++] = t;
	argi = nw - (shown.prefix[0] ? 1 : 0);
	if (argi < 0)
		argi = 0;
	commands_complete(cur_ui, nw > 0 ? words[0] : "", argi, shown.prefix, add_candidate, NULL);
	if (shown.n == 0) {
		shown.none = true;
		return CC_REFRESH;
	}

	/* Insert the part all candidates share. */
	common = strlen(shown.names[0]);
	for (int i = 1; i < shown.n; i++) {
		size_t k = 0;

		while (k < common && shown.names[i][k] == shown.names[0][k])
			k++;
		common = k;
	}
	if (common > strlen(shown.prefix)) {
		char *add = xstrndup(shown.names[0] + strlen(shown.prefix), common - strlen(shown.prefix));

		el_insertstr(e, add);
		free(add);
	}
	/* One candidate, or progress made: nothing to choose from yet. */
	if (shown.n == 1)
		el_insertstr(e, " ");
	if (shown.n == 1 || common > strlen(shown.prefix))
		shown_clear();
	return CC_REFRESH;
}

/* A terminal of libedit's own: it edits only on a terminal (without one
 * it just reads lines), it sets that terminal's modes, which must not be
 * the ones curses set on the real one, and it draws the line there. What
 * it draws is read back from the master side and thrown away. */
static bool
private_tty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	int s = -1, s2 = -1;

	if (m < 0)
		return false;
	if (grantpt(m) == 0 && unlockpt(m) == 0 && ptsname(m))
		s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s >= 0)
		s2 = fcntl(s, F_DUPFD_CLOEXEC, 0);
	if (s2 >= 0 && (el_in = fdopen(s, "r")) != NULL && (el_out = fdopen(s2, "w")) != NULL) {
		fcntl(m, F_SETFD, FD_CLOEXEC);
		fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
		pty_master = m;
		return true;
	}
	if (el_in)
		fclose(el_in);
	else if (s >= 0)
		close(s);
	if (s2 >= 0)
		close(s2);
	close(m);
	el_in = NULL;
	return false;
}

/* Throws away what libedit drew, so that its writes never block. */
static void
drain_tty(void)
{
	char buf[512];

	while (pty_master >= 0 && read(pty_master, buf, sizeof(buf)) > 0)
		;
}

static void
init(void)
{
	HistEvent ev;
	const char *home = getenv("HOME");

	if (!private_tty())
		return;		/* libedit would draw over the screen */
	el = el_init("pgstep", el_in, el_out, el_out);
	if (!el)
		return;
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_GETCFN, get_char);
	hist = history_init();
	history(hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(hist, &ev, H_SETUNIQUE, 1);
	if (home && *home) {
		hist_path = xasprintf("%s/%s", home, HISTORY_FILE);
		history(hist, &ev, H_LOAD, hist_path);
	}
	el_set(el, EL_HIST, history, hist);
	/* The wide call: the narrow one copies the two strings and never frees them. */
	el_wset(el, EL_ADDFN, L"pgstep-complete", L"complete a command, a migration, a phase or a pid", complete);
	el_set(el, EL_BIND, "^I", "pgstep-complete", NULL);
	/* Delete arrives from curses as KEY_DC and is fed as this sequence. */
	el_set(el, EL_BIND, "^[[3~", "ed-delete-next-char", NULL);
	/* ~/.editrc, as every libedit program reads it. */
	el_source(el, NULL);
	drain_tty();
}

int
cmdline_open(struct ui *ui)
{
	if (!el)
		init();
	if (!el) {
		ui_message(ui, MSG_ERROR, "the command line is not available: cannot set up libedit");
		return RD_STATUS;
	}
	cur_ui = ui;
	q_len = 0;
	esc_pending = false;
	shown_clear();
	/* Turning unbuffered mode on starts a fresh line. */
	el_set(el, EL_UNBUFFERED, 0);
	el_set(el, EL_UNBUFFERED, 1);
	drain_tty();
	ui->mode = M_CMDLINE;
	return RD_STATUS | RD_FOOTER;
}

static int
close_line(struct ui *ui)
{
	bool had_popup = shown.n > 0 || shown.none;

	shown_clear();
	q_len = 0;
	esc_pending = false;
	ui->mode = M_NORMAL;
	return RD_STATUS | RD_FOOTER | (had_popup ? RD_ALL : 0);
}

/* Adds the line to the history and to ~/.pgstep_history: the file is
 * read again under an exclusive flock and written back with the line, so
 * what another console saved meanwhile is kept (psql appends the same
 * way). */
static void
history_append(const char *line)
{
	HistEvent ev;
	History *merged;
	FILE *f;
	int fd;

	history(hist, &ev, H_ENTER, line);
	if (!hist_path)
		return;
	fd = open(hist_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return;
		}
	}
	merged = history_init();
	history(merged, &ev, H_SETSIZE, HISTORY_SIZE);
	history(merged, &ev, H_SETUNIQUE, 1);
	history(merged, &ev, H_LOAD, hist_path);
	history(merged, &ev, H_ENTER, line);
	f = ftruncate(fd, 0) == 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		history(merged, &ev, H_SAVE_FP, f);
		fclose(f);	/* closing the file drops the lock */
	} else {
		close(fd);
	}
	history_end(merged);
}

/* The line is done (Enter): close it and run it. */
static int
accept_line(struct ui *ui)
{
	const LineInfo *li = el_line(el);
	char buf[512];
	size_t len = (size_t) (li->lastchar - li->buffer);
	int rd;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, li->buffer, len);
	buf[len] = '\0';
	rd = close_line(ui);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (strspn(buf, " \t") == len)
		return rd;
	history_append(buf);
	return rd | commands_exec(ui, buf);
}

/* Lets libedit take every queued character, a command at a time. */
static int
run_queue(struct ui *ui)
{
	int rd = RD_STATUS;

	while (q_len > 0 && ui->mode == M_CMDLINE) {
		int count = 0;
		const wchar_t *line = el_wgets(el, &count);
		const LineInfoW *li = el_wline(el);
		size_t n = (size_t) (li->lastchar - li->buffer);

		(void) line;
		drain_tty();
		if (n > 0 && li->buffer[n - 1] == '\n')
			return rd | accept_line(ui);
		/* ^D on an empty line is end of input: libedit leaves a ^D. */
		if (n == 1 && li->buffer[0] == 4)
			return rd | close_line(ui);
	}
	return rd;
}

/* Function keys, as curses decoded them, to what emacs mode binds. */
static const wchar_t *
fn_key_seq(int key)
{
	static const struct {
		int key;
		const wchar_t *seq;
	} map[] = {
		{KEY_UP, L"\020"}, {KEY_DOWN, L"\016"}, {KEY_LEFT, L"\002"}, {KEY_RIGHT, L"\006"},
		{KEY_HOME, L"\001"}, {KEY_END, L"\005"}, {KEY_BACKSPACE, L"\b"}, {KEY_DC, L"\033[3~"},
		{KEY_ENTER, L"\r"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (KC_FN(map[i].key) == key)
			return map[i].seq;
	return NULL;
}

int
cmdline_key(struct ui *ui, int key)
{
	int rd = RD_STATUS;
	wchar_t ch[2] = {0, 0};

	if (shown.n > 0 || shown.none) {
		/* The popup goes with the next key (Tab may show it again). */
		shown_clear();
		rd |= RD_ALL;
	}
	if (key == KC_ESC && !esc_pending) {
		esc_pending = true;
		return rd;
	}
	if (key == KC_CTRL('G'))
		return rd | close_line(ui);
	if (esc_pending) {
		esc_pending = false;
		push(L"\033");
	}
	if (key >= KC_FN(0)) {
		const wchar_t *seq = fn_key_seq(key);

		if (!seq)
			return rd;
		push(seq);
	} else {
		ch[0] = (wchar_t) key;
		push(ch);
	}
	return rd | run_queue(ui);
}

int
cmdline_keys_read(struct ui *ui)
{
	if (ui->mode != M_CMDLINE || !esc_pending)
		return RD_NONE;
	return close_line(ui);
}

/* Columns of n wide characters. */
static int
wcols(const wchar_t *w, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += wcwidth(w[i]) > 0 ? wcwidth(w[i]) : 1;
	return c;
}

static void
draw_popup(const struct ui *ui)
{
	const struct area *st = &ui->areas[P_STATUS];
	int colw = 0, cols, rows, h;
	struct area a;
	char title[600];

	if (shown.none) {
		a = (struct area) {st->y - 2, 0, 2, ui->cols};
		snprintf(title, sizeof(title), "Completions of \"%s\"", shown.prefix);
		draw_clear(&a);
		draw_title(&a, title, true, NULL);
		draw_text(&a, 1, 2, a.w - 2, TH_DIM, "nothing matches");
		return;
	}
	for (int i = 0; i < shown.n; i++)
		if (text_width(shown.names[i]) + 2 > colw)
			colw = text_width(shown.names[i]) + 2;
	cols = (ui->cols - 2) / (colw > 0 ? colw : 1);
	if (cols < 1)
		cols = 1;
	rows = (shown.n + cols - 1) / cols;
	if (rows > POPUP_ROWS - 1)
		rows = POPUP_ROWS - 1;
	h = rows + 1;
	a = (struct area) {st->y - h, 0, h, ui->cols};
	snprintf(title, sizeof(title), "%d completions of \"%s\"", shown.n, shown.prefix);
	draw_clear(&a);
	draw_title(&a, title, true, "type more, Tab again");
	for (int i = 0; i < shown.n; i++) {
		int r = i % rows, c = i / rows;

		if (c >= cols) {
			draw_fmt(&a, rows, a.w - 12, 12, TH_DIM, "+%d more", shown.n - i);
			break;
		}
		draw_text(&a, 1 + r, 2 + c * colw, colw - 1, TH_NORMAL, shown.names[i]);
	}
}

void
cmdline_draw(struct ui *ui)
{
	const struct area *a = &ui->areas[P_STATUS];
	const LineInfoW *li;
	size_t n, cur, first = 0;
	int room = a->w - 2, before;

	if (!el)
		return;
	li = el_wline(el);
	n = (size_t) (li->lastchar - li->buffer);
	cur = (size_t) (li->cursor - li->buffer);
	while (n > 0 && (li->buffer[n - 1] == '\n' || li->buffer[n - 1] == '\r'))
		n--;
	if (cur > n)
		cur = n;
	/* Scrolled sideways so that the cursor stays in view. */
	while (first < cur && wcols(li->buffer + first, cur - first) > room - 1)
		first++;
	draw_clear(a);
	attrset(theme_attr(TH_KEY));
	mvaddstr(a->y, a->x, ":");
	attrset(A_NORMAL);
	before = 1;
	for (size_t i = first; i < n; i++) {
		wchar_t wc = li->buffer[i] < 32 || li->buffer[i] == 127 ? L'?' : li->buffer[i];
		int w = wcwidth(wc) > 0 ? wcwidth(wc) : 1;

		if (before + w > a->w)
			break;
		mvaddnwstr(a->y, a->x + before, &wc, 1);
		before += w;
	}
	ui->cur_y = a->y;
	ui->cur_x = a->x + 1 + wcols(li->buffer + first, cur - first);
	if (ui->cur_x >= a->x + a->w)
		ui->cur_x = a->x + a->w - 1;
	if (shown.n > 0 || shown.none)
		draw_popup(ui);
}

void
cmdline_done(void)
{
	shown_clear();
	if (el)
		el_end(el);
	if (hist)
		history_end(hist);
	if (el_in)
		fclose(el_in);
	if (el_out)
		fclose(el_out);
	if (pty_master >= 0)
		close(pty_master);
	free(hist_path);
	el = NULL;
	hist = NULL;
	hist_path = NULL;
	el_in = el_out = NULL;
	pty_master = -1;
}
