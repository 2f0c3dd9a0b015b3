/* Requests from other terminals, taken by the pgstep that drives the
 * migration between batches and while it waits at the switch gate: each
 * was signed by the role that wrote it and is checked there
 * (state_take_request); each is applied to the engine's control and said
 * in the log. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/live.h"

/* At most this many a call: a flood of requests must not hold a batch. */
#define REQUESTS_PER_CALL 16

static void
apply_set(struct engine *e, const struct plan *p, const struct request *rq)
{
	char msg[1024];

	/* Read again here, as `pgstep set` read it: a request written into
	 * the table by hand is held to the same rules. */
	if (!live_set_assignment(&e->ctl->live, rq->arg, msg, sizeof(msg))) {
		engine_log(e, 'W', "%s: set %s from %s refused: %s", p->name, rq->arg, rq->by, msg);
		return;
	}
	engine_log(e, 'I', "%s: set %s (pgstep set by %s): %s", p->name, rq->arg, rq->by, msg);
}

void
engine_take_requests(struct engine *e, const struct plan *p, bool at_gate)
{
	for (int i = 0; i < REQUESTS_PER_CALL; i++) {
		struct request rq;
		char refused[512], err[512];

		if (!state_take_request(e->conn, p->name, &rq, refused, sizeof(refused), err, sizeof(err))) {
			engine_log(e, 'W', "%s: cannot read the requests of other terminals: %s", p->name, err);
			return;
		}
		if (!rq.taken)
			return;
		if (refused[0]) {
			engine_log(e, 'W', "%s: %s", p->name, refused);
			continue;
		}
		if (strcmp(rq.kind, "pause") == 0) {
			atomic_store(&e->ctl->pause, 1);
			engine_log(e, 'I', "%s: pause requested by %s", p->name, rq.by);
		} else if (strcmp(rq.kind, "resume") == 0) {
			atomic_store(&e->ctl->pause, 0);
			engine_log(e, 'I', "%s: resume requested by %s", p->name, rq.by);
		} else if (strcmp(rq.kind, "release") == 0) {
			if (at_gate) {
				atomic_store(&e->ctl->release, 1);
				engine_log(e, 'I', "%s: switch gate released by %s (pgstep release)", p->name, rq.by);
			} else
				engine_log(e, 'W', "%s: release requested by %s, but the migration does not wait at the "
					   "switch gate: ignored", p->name, rq.by);
		} else if (strcmp(rq.kind, "set") == 0)
			apply_set(e, p, &rq);
		else
			engine_log(e, 'W', "%s: unknown request \"%s\" from %s ignored", p->name, rq.kind, rq.by);
	}
}
