/* The console's main loop: one poll() over the terminal, the worker's and
 * the monitor's notify pipes and a signal self-pipe, with a timeout for the
 * clock. Keys are answered at once: nothing here waits on the database,
 * the snapshots are copied and drawn, commands are queued. */
#include "config.h"
#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "base/exit_codes.h"
#include "console.h"
#include "draw.h"
#include "layout.h"
#include "ui.h"
#include "base/xalloc.h"

static volatile sig_atomic_t got_winch;
static volatile sig_atomic_t got_stop;
static int sig_pipe[2] = {-1, -1};
static bool curses_on;

static const struct panel_ops *const panels[N_PANELS] = {
	[P_HEADER] = &panel_header,
	[P_MIGS] = &panel_migrations,
	[P_PHASES] = &panel_phases,
	[P_PROGRESS] = &panel_progress,
	[P_LOCKS] = &panel_locks,
	[P_LOG] = &panel_log,
	[P_STATUS] = &panel_status,
	[P_FOOTER] = &panel_footer,
};

/* Handlers only set a flag and wake the poll(). */
static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char) sig;

	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_stop = sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
		/* Full: a wake-up is already pending. */
	}
	errno = saved;
}

static void
restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static bool
make_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return false;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return true;
}

static void
drain(int fd)
{
	char buf[256];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void
install_signals(void)
{
	struct sigaction sa;
	static const int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The worker and the monitor get every signal blocked, so they all land
 * on this thread, where the self-pipe wakes the poll(). */
static void
block_signals(bool block, sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	if (block)
		pthread_sigmask(SIG_BLOCK, &set, old);
	else
		pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void
resize(struct ui *ui)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	layout_compute(ui, LINES, COLS);
}

static void
draw_too_small(const struct ui *ui)
{
	struct area a = {0, 0, ui->rows, ui->cols};
	char msg[96];
	int w;

	erase();
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, needs %dx%d", ui->cols, ui->rows, LAYOUT_MIN_COLS,
		 LAYOUT_MIN_ROWS);
	w = text_width(msg);
	draw_text(&a, ui->rows / 2, w < ui->cols ? (ui->cols - w) / 2 : 0, ui->cols, TH_WARN, msg);
	if (ui->rows / 2 + 1 < ui->rows)
		draw_text(&a, ui->rows / 2 + 1, ui->cols > 7 ? (ui->cols - 7) / 2 : 0, ui->cols, TH_DIM, "q quits");
}

static void
draw(struct ui *ui, int rd)
{
	if (rd & RD_CLEAR)
		clearok(curscr, TRUE);
	if (ui->too_small) {
		draw_too_small(ui);
	} else if (ui->mode == M_HELP || ui->mode == M_VIEW) {
		view_draw(ui);
	} else {
		for (int p = 0; p < N_PANELS; p++)
			if (rd & (1 << p))
				panels[p]->draw(ui, &ui->areas[p]);
	}
	if (ui->mode == M_CMDLINE && !ui->too_small)
		cmdline_draw(ui);
	if (ui->mode == M_PROMPT && !ui->too_small)
		prompt_draw_details(ui);
	if ((ui->mode == M_PROMPT || ui->mode == M_CMDLINE) && !ui->too_small) {
		curs_set(1);
		move(ui->cur_y, ui->cur_x);
	} else {
		curs_set(0);
	}
	refresh();
}

static void
sync_selection(struct ui *ui, char *sent, size_t len)
{
	const struct mig_row *m = ui_selected_mig(ui);
	struct worker_cmd c = {.kind = WCMD_SELECT};

	if (!m || strcmp(m->name, sent) == 0)
		return;
	snprintf(c.name, sizeof(c.name), "%s", m->name);
	if (worker_send(ui->worker, &c))
		snprintf(sent, len, "%s", m->name);
}

/* While pgstep retries a lock, the monitor watches its session for what
 * it waits for (monitor.h, struct pgstep_wait). */
static void
sync_watch(struct ui *ui, int *watched)
{
	const struct worker_status *ws = ui->ws;
	int pid = ws->connected && ws->activity == ACTIVITY_WAIT_LOCK ? ws->backend_pid : 0;

	if (pid != *watched) {
		monitor_watch(ui->monitor, pid);
		*watched = pid;
	}
}

static int
handle_key(struct ui *ui, int key)
{
	enum action act;

	if (key == KC_FN(KEY_RESIZE)) {
		/* curses has resized already (resizeterm queues this key). */
		layout_compute(ui, LINES, COLS);
		return RD_ALL | RD_CLEAR;
	}
	if (ui->too_small) {
		/* Nothing else can be seen: quitting is all that is offered. */
		act = keys_action(key);
		return act == ACT_QUIT ? RD_QUIT : act == ACT_REDRAW ? RD_ALL | RD_CLEAR : RD_NONE;
	}
	switch (ui->mode) {
	case M_PROMPT:
		return prompt_key(ui, key);
	case M_CMDLINE:
		return cmdline_key(ui, key);
	case M_HELP:
	case M_VIEW:
		return view_key(ui, key);
	case M_NORMAL:
		break;
	}
	act = keys_action(key);
	if (act == ACT_NONE) {
		char name[32];

		if (key == KC_ESC) {
			ui->msg[0] = '\0';
			return RD_STATUS;
		}
		keys_name(key, name, sizeof(name));
		ui_message(ui, MSG_INFO, "%s: no such key; ? shows the keys", name);
		return RD_STATUS;
	}
	return action_run(ui, act);
}

/* Milliseconds to the next full second, for the clock. */
static int
ms_to_next_second(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return 1000 - (int) (tv.tv_usec / 1000) + 5;
}

static bool
start_curses(void)
{
	if (!newterm(NULL, stdout, stdin))
		return false;
	curses_on = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc answers at once, escape sequences still arrive whole. */
	set_escdelay(25);
	curs_set(0);
	theme_init();
	return true;
}


/* A backfill publishes after every batch, hundreds of times a second:
 * snapshots are drawn at most this often, keys at once. */
#define SNAPSHOT_DRAW_MS 100

static int
loop(struct ui *ui, int wfd, int mfd)
{
	char sent_sel[64] = "";
	int rd = RD_ALL | RD_CLEAR, watched = 0;
	bool urgent = true;
	int64_t last_draw = 0;

	for (;;) {
		struct pollfd pfd[4] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = sig_pipe[0], .events = POLLIN},
			{.fd = wfd, .events = POLLIN},
			{.fd = mfd, .events = POLLIN},
		};
		int n, timeout = ms_to_next_second();
		int64_t now;

		if (got_winch) {
			got_winch = 0;
			resize(ui);
			rd |= RD_ALL | RD_CLEAR;
			urgent = true;
		}
		if (got_stop || (rd & RD_QUIT))
			return got_stop ? 128 + got_stop : EXIT_OK;
		sync_selection(ui, sent_sel, sizeof(sent_sel));
		sync_watch(ui, &watched);
		now = clock_now_ms();
		if (rd && (urgent || now - last_draw >= SNAPSHOT_DRAW_MS)) {
			draw(ui, rd);
			rd = RD_NONE;
			urgent = false;
			last_draw = now;
		} else if (rd && SNAPSHOT_DRAW_MS - (now - last_draw) < timeout) {
			timeout = (int) (SNAPSHOT_DRAW_MS - (now - last_draw));
		}

		n = poll(pfd, 4, timeout);
		if (n < 0 && errno != EINTR)
			return EXIT_FAILURE_RUNTIME;
		if (n <= 0) {
			/* The clock ticks; messages fade; snapshots are taken even
			 * if a notification was lost. */
			worker_snapshot(ui->worker, ui->ws);
			monitor_snapshot(ui->monitor, ui->ms);
			rd |= ui_take_notice(ui);
			if (ui->mode == M_NORMAL || ui->mode == M_PROMPT || ui->mode == M_CMDLINE)
				rd |= RD_ALL;
			continue;
		}
		if (pfd[1].revents)
			drain(sig_pipe[0]);
		if (pfd[2].revents) {
			drain(wfd);
			worker_snapshot(ui->worker, ui->ws);
			if (ui->ws->version != ui->ws_version) {
				ui->ws_version = ui->ws->version;
				rd |= RD_ALL | ui_take_notice(ui);
			}
		}
		if (pfd[3].revents) {
			drain(mfd);
			monitor_snapshot(ui->monitor, ui->ms);
			rd |= RD_LOCKS | RD_PROGRESS | RD_HEADER;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return EXIT_OK;	/* the terminal went away */
		if (pfd[0].revents & POLLIN) {
			wint_t wch;
			int rc;

			while ((rc = get_wch(&wch)) != ERR) {
				rd |= handle_key(ui, keys_from_wch(rc, (unsigned long) wch));
				urgent = true;
				if (rd & RD_QUIT)
					break;
			}
			rd |= cmdline_keys_read(ui);
		}
		/* In the help or a view, any change repaints the whole page. */
		if (rd && (ui->mode == M_HELP || ui->mode == M_VIEW))
			rd |= RD_ALL;
	}
}

int
console_run(const struct console_opts *opts)
{
	struct worker_config wc = {.conninfo = opts->conninfo, .plans_dir = opts->plans_dir,
				   .hooks_dir = opts->hooks_dir};
	int wpipe[2], mpipe[2], rc;
	struct ui ui;
	sigset_t oldmask;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("pgstep: the console needs a terminal; see `pgstep --help` for the headless commands\n", stderr);
		return EXIT_USAGE;
	}
	if (!make_pipe(sig_pipe) || !make_pipe(wpipe) || !make_pipe(mpipe)) {
		perror("pgstep: pipe");
		return EXIT_FAILURE_RUNTIME;
	}
	memset(&ui, 0, sizeof(ui));
	ui.ws = xcalloc(1, sizeof(*ui.ws));
	ui.ms = xcalloc(1, sizeof(*ui.ms));
	ui.interval_ms = opts->interval_ms > 0 ? opts->interval_ms : 1000;
	ui.focus = P_MIGS;
	ui.ws->phase_running = -1;

	glyphs_init();
	install_signals();
	block_signals(true, &oldmask);
	wc.notify_fd = wpipe[1];
	ui.worker = worker_start(&wc);
	ui.monitor = ui.worker ? monitor_start(opts->conninfo, ui.interval_ms, mpipe[1]) : NULL;
	/* one round trip a refresh: the monitor reads the list with its poll */
	if (ui.monitor)
		worker_use_monitor(ui.worker, ui.monitor);
	block_signals(false, &oldmask);
	if (!ui.worker || !ui.monitor) {
		fputs("pgstep: could not start the worker and monitor threads\n", stderr);
		if (ui.worker)
			worker_stop(ui.worker);
		rc = EXIT_FAILURE_RUNTIME;
		goto out;
	}

	atexit(restore_terminal);
	if (!start_curses()) {
		fputs("pgstep: cannot open the terminal (is TERM set?)\n", stderr);
		rc = EXIT_FAILURE_RUNTIME;
	} else {
		worker_snapshot(ui.worker, ui.ws);
		monitor_snapshot(ui.monitor, ui.ms);
		ui.ws_version = ui.ws->version;
		layout_compute(&ui, LINES, COLS);
		rc = loop(&ui, wpipe[0], mpipe[0]);

		/* Say why the screen is still there while the worker finishes. */
		if (!ui.too_small) {
			ui_message(&ui, MSG_INFO, "stopping: the worker finishes its batch and writes its checkpoint%s",
				   glyphs->ellipsis);
			ui.mode = M_NORMAL;
			draw(&ui, RD_STATUS);
		}
	}
	worker_stop(ui.worker);
	monitor_stop(ui.monitor);
	/* libedit has a terminal of its own (cmdline.c): endwin alone puts
	 * back the shell's modes. */
	cmdline_done();
	restore_terminal();
out:
	ui_view_clear(&ui);
	free(ui.ws);
	free(ui.ms);
	for (int i = 0; i < 2; i++) {
		close(wpipe[i]);
		close(mpipe[i]);
		close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
	return rc;
}

void
console_list_keys(FILE *out)
{
	keys_print(out);
	commands_print(out);
}
