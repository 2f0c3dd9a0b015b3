/* Running one of the operator's hook executables (pgstep-plan(5), HOOKS):
 * in a process group of its own, with an environment pgstep gives it,
 * its output read back, and its group killed when it outlives its
 * timeout. Nothing here knows migrations: engine_hook.c says which
 * events there are and what a hook is told. */
#ifndef PGSTEP_HOOKRUN_H
#define PGSTEP_HOOKRUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/strbuf.h"

/* What a hook's output may fill, in bytes; the rest is read and dropped. */
#define HOOK_OUTPUT_MAX 8192

enum hook_outcome {
	HOOK_ABSENT,		/* no such file in the directory */
	HOOK_UNUSABLE,		/* there, but it cannot or may not be run (why says) */
	HOOK_RUNNING,		/* started, not ended yet */
	HOOK_OK,		/* exited 0 */
	HOOK_FAILED,		/* exited non-zero, or died of a signal */
	HOOK_TIMEOUT,		/* outlived its timeout: its process group was killed */
	HOOK_STOPPED,		/* killed because pgstep was asked to stop */
};

struct hook_proc {
	pid_t pid;		/* 0: none */
	int fd;			/* the read end of its stdout and stderr; -1 when closed */
	char event[32];
	char path[4096];
	int64_t deadline_ms;	/* then its group gets SIGTERM */
	int64_t kill_ms;	/* then SIGKILL (0: not yet signalled) */
	bool stopped;		/* signalled because of a stop request */
	int status;		/* exit status, or -signal */
	struct strbuf out;
	size_t dropped;		/* bytes of output beyond HOOK_OUTPUT_MAX */
	int64_t started_ms;
};

/* The environment a hook gets: pgstep's own, without PGPASSWORD and
 * without any variable whose value holds one of `secrets` (the password
 * of the connection, as libpq read it from wherever), then the "KEY=value"
 * strings of `extra`. NULL-terminated; free with hookrun_env_free. */
char **hookrun_env(const char *const *extra, size_t n_extra, const char *const *secrets, size_t n_secrets);
void hookrun_env_free(char **env);

/*
 * Starts DIR/EVENT, if there is such a file: HOOK_RUNNING when it started;
 * HOOK_ABSENT when there is none; HOOK_UNUSABLE, with why, when it is no
 * regular file, is not executable, or belongs to another user or can be
 * written by others (whoever can change a hook runs code as the operator).
 * Its stdin is /dev/null, its stdout and stderr a pipe pgstep reads, its
 * arguments only its own path.
 */
enum hook_outcome hookrun_start(struct hook_proc *hp, const char *dir, const char *event, char *const envp[],
				int timeout_ms, char *why, size_t whylen);
/* Reads what it wrote and reaps it when it ended, signalling its group
 * past the deadline (SIGTERM, then SIGKILL a second later) or at once when
 * *stop is set (stop may be NULL). With wait, until it ended. Returns
 * HOOK_RUNNING, or how it ended (hp->pid is then 0). */
enum hook_outcome hookrun_poll(struct hook_proc *hp, bool wait, atomic_int *stop);
/* Kills the group of a hook that still runs and reaps it. */
void hookrun_kill(struct hook_proc *hp);
void hookrun_free(struct hook_proc *hp);

#endif
