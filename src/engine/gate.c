/*
 * The switch gate (postpone_switch, postpone_switch_flag_file): a run that
 * has done its backfill waits before the switch, as gh-ost's
 * postpone-cut-over-flag-file does, so that a team backfills by day and
 * switches at a quiet hour. The sync triggers keep both versions right
 * meanwhile; pgstep's session is idle, in no transaction, holding only
 * the migration's advisory lock. Released by the console's key
 * (ctl->release), `pgstep release NAME` (a signed request) or the flag
 * file's removal; a stop leaves the migration waiting at the gate, and
 * the next run waits there again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "store/conn.h"
#include "engine/engine.h"

/* How often the gate looks at the flag file and the requests. */
#define GATE_POLL_MS 500

bool
gate_enabled(const struct plan *p)
{
	return p->settings.postpone_switch || p->settings.postpone_switch_flag_file;
}

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || errno != ENOENT;
}

void
gate_prepare(struct engine *e, const struct plan *p, const struct mig_record *m)
{
	char *path;
	int fd;

	if (!p->settings.postpone_switch_flag_file || m->phase_done > PHASE_BACKFILL || m->gate_since)
		return;
	path = plan_relative_path(p, p->settings.postpone_switch_flag_file);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		engine_log(e, 'I', "%s: created the flag file %s: the switch waits at the gate until it is removed",
			   p->name, path);
	} else if (errno != EEXIST)
		/* the gate still holds: postpone_switch_flag_file turns it on */
		engine_log(e, 'W', "%s: cannot create the flag file %s: %s; the switch waits at the gate until "
			   "released (pgstep release %s)", p->name, path, strerror(errno), p->name);
	free(path);
}

enum engine_result
gate_wait(struct engine *e, const struct plan *p, char *err, size_t errlen)
{
	char *flag = p->settings.postpone_switch_flag_file ?
		plan_relative_path(p, p->settings.postpone_switch_flag_file) : NULL;
	char name[160], detail[160], at[32];
	time_t since;
	struct tm tm;
	enum engine_result rc = ENG_OK;

	if (!state_gate_enter(e->conn, p->name, &since, err, errlen)) {
		free(flag);
		return ENG_FAILED;
	}
	snprintf(name, sizeof(name), "pgstep:%s:gate", p->name);
	conn_set_appname(e->conn, name);
	localtime_r(&since, &tm);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(detail, sizeof(detail), "switch gate since %s", at);
	engine_log(e, 'I', "%s: backfilled; waits at the switch gate (since %s) until released: the console's key R, "
		   "`pgstep release %s`%s%s", p->name, at, p->name, flag ? " or removing " : "", flag ? flag : "");
	atomic_store(&e->ctl->release, 0);
	engine_activity(e, ACTIVITY_GATE, detail, 0);
	for (int64_t next = 0;;) {
		int64_t now = clock_now_ms();

		if (atomic_load(&e->ctl->stop)) {
			engine_log(e, 'I', "%s: stopped at the switch gate; the next run waits there again", p->name);
			engine_activity(e, ACTIVITY_IDLE, "stopped at the switch gate", 0);
			rc = ENG_STOPPED;
			break;
		}
		if (atomic_load(&e->ctl->abort_)) {
			/* nothing runs to abort: the migration stays at the gate */
			atomic_store(&e->ctl->abort_, 0);
			engine_log(e, 'I', "%s: nothing runs at the switch gate to abort; q stops waiting", p->name);
		}
		if (now >= next) {
			next = now + GATE_POLL_MS;
			engine_take_requests(e, p, true);
			if (PQstatus(e->conn) != CONNECTION_OK) {
				snprintf(err, errlen, "lost the connection while waiting at the switch gate");
				rc = ENG_FAILED;
				break;
			}
			if (flag && !file_exists(flag)) {
				engine_log(e, 'I', "%s: the flag file %s is gone: the switch gate opens", p->name, flag);
				break;
			}
		}
		if (atomic_load(&e->ctl->release)) {
			engine_log(e, 'I', "%s: the switch gate opens", p->name);
			break;
		}
		engine_sleep(e, 100);
	}
	atomic_store(&e->ctl->release, 0);
	free(flag);
	return rc;
}
