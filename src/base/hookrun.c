#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/hookrun.h"
#include "base/xalloc.h"

extern char **environ;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
holds_secret(const char *entry, const char *const *secrets, size_t n)
{
	const char *eq = strchr(entry, '=');

	for (size_t i = 0; eq && i < n; i++)
		if (secrets[i] && secrets[i][0] && strstr(eq + 1, secrets[i]))
			return true;
	return false;
}

char **
hookrun_env(const char *const *extra, size_t n_extra, const char *const *secrets, size_t n_secrets)
{
	size_t n = 0, k = 0;
	char **env;

	for (char **e = environ; e && *e; e++)
		n++;
	env = xcalloc(n + n_extra + 1, sizeof(char *));
	for (char **e = environ; e && *e; e++) {
		/* libpq's own variable for it, and anything that carries it
		 * (a DATABASE_URL with the password in it) */
		if (strncmp(*e, "PGPASSWORD=", 11) == 0 || holds_secret(*e, secrets, n_secrets))
			continue;
		/* pgstep's names are pgstep's to give */
		if (strncmp(*e, "PGSTEP_", 7) == 0)
			continue;
		env[k++] = xstrdup(*e);
	}
	for (size_t i = 0; i < n_extra; i++)
		if (!holds_secret(extra[i], secrets, n_secrets))
			env[k++] = xstrdup(extra[i]);
	env[k] = NULL;
	return env;
}

void
hookrun_env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

/* Whether st is safe to run code from: ours (or root's), and nobody
 * else may write it. */
static bool
owned_safely(const struct stat *st, const char *what, const char *path, char *why, size_t whylen)
{
	if (st->st_uid != geteuid() && st->st_uid != 0) {
		snprintf(why, whylen, "%s %s belongs to another user (uid %u): a hook runs as pgstep's user, so only "
			 "that user (or root) may own it", what, path, (unsigned) st->st_uid);
		return false;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))) {
		snprintf(why, whylen, "%s %s can be written by %s: whoever can change a hook runs code as pgstep's "
			 "user; chmod go-w it", what, path, st->st_mode & S_IWOTH ? "every user" : "its group");
		return false;
	}
	return true;
}

enum hook_outcome
hookrun_start(struct hook_proc *hp, const char *dir, const char *event, char *const envp[], int timeout_ms,
	      char *why, size_t whylen)
{
	struct stat st, dst;
	int fds[2], devnull;
	long maxfd = sysconf(_SC_OPEN_MAX);
	sigset_t none;
	struct sigaction dfl;
	pid_t pid;

	memset(hp, 0, sizeof(*hp));
	hp->fd = -1;
	why[0] = '\0';
	snprintf(hp->event, sizeof(hp->event), "%s", event);
	snprintf(hp->path, sizeof(hp->path), "%s/%s", dir, event);
	if (stat(hp->path, &st) != 0) {
		if (errno == ENOENT)
			return HOOK_ABSENT;
		snprintf(why, whylen, "hook %s: %s", hp->path, strerror(errno));
		return HOOK_UNUSABLE;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "hook %s is not a regular file", hp->path);
		return HOOK_UNUSABLE;
	}
	if (access(hp->path, X_OK) != 0) {
		snprintf(why, whylen, "hook %s is not executable: chmod +x it, or remove it", hp->path);
		return HOOK_UNUSABLE;
	}
	if (!owned_safely(&st, "hook", hp->path, why, whylen))
		return HOOK_UNUSABLE;
	if (stat(dir, &dst) != 0 || !owned_safely(&dst, "hooks directory", dir, why, whylen)) {
		if (!why[0])
			snprintf(why, whylen, "hooks directory %s: %s", dir, strerror(errno));
		return HOOK_UNUSABLE;
	}
	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(why, whylen, "cannot open /dev/null for hook %s: %s", hp->path, strerror(errno));
		return HOOK_UNUSABLE;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(why, whylen, "cannot run hook %s: pipe: %s", hp->path, strerror(errno));
		close(devnull);
		return HOOK_UNUSABLE;
	}
	sigemptyset(&none);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	hp->started_ms = now_ms();
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "cannot run hook %s: fork: %s", hp->path, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		close(devnull);
		return HOOK_UNUSABLE;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here: the parent has threads.
		 * Its own group, so that a timeout kills all it started; the
		 * signals pgstep's threads block, unblocked. */
		char *argv[2] = {hp->path, NULL};

		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &none, NULL);
		sigaction(SIGPIPE, &dfl, NULL);
		if (dup2(devnull, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0)
			_exit(126);
		/* nothing of pgstep's: its connection's socket above all */
#ifdef HAVE_CLOSE_RANGE
		if (close_range(3, ~0U, 0) != 0)
#endif
			for (long fd = 3; fd < maxfd; fd++)
				close((int) fd);
		execve(hp->path, argv, envp);
		_exit(126);
	}
	setpgid(pid, pid);	/* either side may win the race; both ask the same */
	close(fds[1]);
	close(devnull);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	hp->pid = pid;
	hp->fd = fds[0];
	hp->deadline_ms = hp->started_ms + timeout_ms;
	return HOOK_RUNNING;
}

/* Reads what is there now, without waiting; closes at end of file. */
static void
drain(struct hook_proc *hp)
{
	char buf[4096];
	ssize_t n;

	while (hp->fd >= 0) {
		n = read(hp->fd, buf, sizeof(buf));
		if (n > 0) {
			size_t room = HOOK_OUTPUT_MAX > hp->out.len ? HOOK_OUTPUT_MAX - hp->out.len : 0;
			size_t take = (size_t) n < room ? (size_t) n : room;

			if (take > 0)
				sb_printf(&hp->out, "%.*s", (int) take, buf);
			hp->dropped += (size_t) n - take;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(hp->fd);
			hp->fd = -1;
		}
		break;
	}
}

static void
signal_group(struct hook_proc *hp, int64_t now)
{
	if (hp->kill_ms == 0) {
		kill(-hp->pid, SIGTERM);
		hp->kill_ms = now + 1000;
	} else if (now >= hp->kill_ms) {
		kill(-hp->pid, SIGKILL);
		hp->kill_ms = now + 1000;
	}
}

enum hook_outcome
hookrun_poll(struct hook_proc *hp, bool wait, atomic_int *stop)
{
	for (;;) {
		int st;
		pid_t r;
		int64_t now;

		if (hp->pid == 0)
			return HOOK_OK;
		drain(hp);
		r = waitpid(hp->pid, &st, WNOHANG);
		if (r == hp->pid || (r < 0 && errno == ECHILD)) {
			bool signalled = hp->kill_ms != 0;

			/* What it left (a child that keeps the pipe open is not
			 * waited for), and, when it was killed, the rest of its
			 * group too. */
			drain(hp);
			if (signalled)
				kill(-hp->pid, SIGKILL);
			if (hp->fd >= 0) {
				close(hp->fd);
				hp->fd = -1;
			}
			hp->pid = 0;
			hp->status = r < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
			if (signalled)
				return hp->stopped ? HOOK_STOPPED : HOOK_TIMEOUT;
			return hp->status == 0 ? HOOK_OK : HOOK_FAILED;
		}
		now = now_ms();
		if (stop && atomic_load(stop) && !hp->stopped && hp->kill_ms == 0) {
			hp->stopped = true;
			signal_group(hp, now);
		} else if (now >= hp->deadline_ms || (hp->kill_ms && now >= hp->kill_ms))
			signal_group(hp, now);
		if (!wait)
			return HOOK_RUNNING;
		if (hp->fd >= 0) {
			struct pollfd pfd = {.fd = hp->fd, .events = POLLIN};

			poll(&pfd, 1, 50);
		} else {
			struct timespec ts = {0, 50 * 1000000};

			nanosleep(&ts, NULL);
		}
	}
}

void
hookrun_kill(struct hook_proc *hp)
{
	if (hp->pid == 0)
		return;
	hp->deadline_ms = 0;
	hookrun_poll(hp, true, NULL);
}

void
hookrun_free(struct hook_proc *hp)
{
	hookrun_kill(hp);
	if (hp->fd >= 0)
		close(hp->fd);
	hp->fd = -1;
	sb_free(&hp->out);
}
