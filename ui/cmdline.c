/* The `:` command line: libedit's native API on the bottom line, with
 * history in ~/.pgstep_history and completion of commands, migration names,
 * phases and pids. libedit draws the line itself, so curses steps aside
 * (reset_shell_mode) while el_gets runs, and the screen is repainted whole
 * afterwards. Its readline layer has no redisplay hook and is not used. */
#include "config.h"

#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "ui.h"
#include "xalloc.h"

#define HISTORY_FILE ".pgstep_history"
#define HISTORY_SIZE 500

static EditLine *el;
static History *hist;
static char *hist_path;
static struct ui *cur_ui;	/* for the completion callback */
static bool cancelled;

static char *
prompt(EditLine *e)
{
	return ":";
}

/* Reads one character for libedit, polling the signal pipe too so that
 * SIGTERM or SIGHUP ends the line. A lone Esc cancels the line. */
static int
get_char(EditLine *e, wchar_t *out)
{
	char buf[MB_LEN_MAX];
	size_t n = 0;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = console_signal_fd(), .events = POLLIN},
		};
		unsigned char c;
		ssize_t r;
		size_t k;
		wchar_t wc;

		if (console_stopping()) {
			cancelled = true;
			return 0;
		}
		if (poll(pfd, 2, 500) <= 0)
			continue;
		if (!(pfd[0].revents & (POLLIN | POLLHUP)))
			continue;
		r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			cancelled = true;
			return 0;
		}
		if (c == 27 && n == 0) {
			struct pollfd more = {.fd = STDIN_FILENO, .events = POLLIN};

			/* Esc alone cancels; Esc and more is a key's sequence. */
			if (poll(&more, 1, 30) == 0) {
				cancelled = true;
				return 0;
			}
		}
		if (c == 7) {	/* ^G cancels, as in emacs */
			cancelled = true;
			return 0;
		}
		buf[n++] = (char) c;
		k = mbrtowc(&wc, buf, n, &st);
		if (k == (size_t) -2 && n < sizeof(buf))
			continue;
		if (k == (size_t) -1 || k == (size_t) -2)
			wc = '?';
		*out = wc;
		return 1;
	}
}

struct completion {
	char *names[64];
	int n;
};

static void
add_candidate(void *arg, const char *name)
{
	struct completion *c = arg;

	for (int i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return;
	if (c->n < 64)
		c->names[c->n++] = xstrdup(name);
}

/* Tab: the word under the cursor is completed as far as it is unique; when
 * it cannot go further the candidates are listed. */
static unsigned char
complete(EditLine *e, int ch)
{
	const LineInfo *li = el_line(e);
	char line[512], *words[8], *save = NULL, *prefix;
	size_t len = (size_t) (li->cursor - li->buffer);
	struct completion c = {.n = 0};
	int nw = 0, argi;
	size_t common;
	unsigned char rc = CC_REFRESH;

	if (len >= sizeof(line))
		return CC_ERROR;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	/* The word being typed starts after the last blank. */
	prefix = strrchr(line, ' ');
	prefix = prefix ? prefix + 1 : line;
	for (char *t = strtok_r(line, " \t", &save); t && nw < 8; t = strtok_r(NULL, " \t", &save))
		words[nw++] = t;
	argi = nw - (*prefix ? 1 : 0);
	if (argi < 0)
		argi = 0;
	if (*prefix == '\0')
		prefix = "";
	commands_complete(cur_ui, nw > 0 ? words[0] : "", argi, prefix, add_candidate, &c);
	if (c.n == 0)
		return CC_REFRESH_BEEP;

	/* Insert the part all candidates share. */
	common = strlen(c.names[0]);
	for (int i = 1; i < c.n; i++) {
		size_t k = 0;

		while (k < common && c.names[i][k] == c.names[0][k])
			k++;
		common = k;
	}
	if (common > strlen(prefix)) {
		char *add = xstrndup(c.names[0] + strlen(prefix), common - strlen(prefix));

		el_insertstr(e, add);
		free(add);
	}
	if (c.n == 1) {
		el_insertstr(e, " ");
	} else if (common == strlen(prefix)) {
		FILE *out = stdout;

		/* Listed on the lines above; the repaint after the line puts the
		 * screen back. */
		fputc('\n', out);
		for (int i = 0; i < c.n; i++)
			fprintf(out, "%s%s", i ? "  " : "", c.names[i]);
		fputc('\n', out);
		fflush(out);
		rc = CC_REDISPLAY;
	}
	for (int i = 0; i < c.n; i++)
		free(c.names[i]);
	return rc;
}

static void
init(void)
{
	HistEvent ev;
	const char *home = getenv("HOME");

	el = el_init("pgstep", stdin, stdout, stderr);
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
	/* ~/.editrc, as every libedit program reads it. */
	el_source(el, NULL);
}

void
cmdline_init(void)
{
	if (!el)
		init();
}

int
cmdline_run(struct ui *ui)
{
	const char *line;
	char buf[512];
	int count = 0, rd = RD_ALL | RD_CLEAR;
	HistEvent ev;
	size_t len;

	cur_ui = ui;
	cancelled = false;

	/* Hand the bottom line to libedit. The curses modes are saved before
	 * el_init, which puts the terminal in its own mode. */
	move(LINES - 1, 0);
	clrtoeol();
	curs_set(1);
	refresh();
	def_prog_mode();
	cmdline_init();
	reset_shell_mode();
	el_resize(el);
	line = el_gets(el, &count);
	reset_prog_mode();
	keypad(stdscr, TRUE);

	if (!line || count <= 0 || cancelled)
		return rd;
	snprintf(buf, sizeof(buf), "%s", line);
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (strspn(buf, " \t") == len)
		return rd;
	history(hist, &ev, H_ENTER, buf);
	if (hist_path)
		history(hist, &ev, H_SAVE, hist_path);
	return rd | commands_exec(ui, buf);
}

void
cmdline_done(void)
{
	if (el)
		el_end(el);
	if (hist)
		history_end(hist);
	free(hist_path);
	el = NULL;
	hist = NULL;
	hist_path = NULL;
}
