/*
 * bench/batchrun: runs a migration up to a phase with the backfill's batch
 * size held fixed (bench/run, case 6).
 *
 * pgstep's plans only give the starting batch size, which then adapts to
 * batch_target; a fixed size is the operator's override (the console's
 * +/- keys), which the headless CLI does not expose. This drives the same
 * engine call as `pgstep run` with that override set, so the fixed and the
 * adaptive runs differ in nothing else.
 *
 *     batchrun CONNINFO PLAN PHASE BATCH     (BATCH 0: adaptive)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "compile/compile.h"
#include "store/conn.h"
#include "base/diag.h"
#include "engine/engine.h"
#include "plan/plan.h"
#include "pg/sql.h"

int
main(int argc, char **argv)
{
	struct engine_control control = {0};
	struct diag d = {0};
	struct engine e;
	struct plan *p;
	struct compiled *c;
	enum phase to;
	enum engine_result rc;
	char err[2048] = "";
	PGconn *conn;

	if (argc != 5 || !phase_parse(argv[3], &to) || atoi(argv[4]) < 0) {
		fprintf(stderr, "usage: batchrun CONNINFO PLAN PHASE BATCH (BATCH 0: adaptive)\n");
		return 2;
	}
	if (!(p = plan_load(argv[2], &d))) {
		diag_print(&d, stderr);
		diag_free(&d);
		return 2;
	}
	c = compile_plan(p, NULL);
	if (!(conn = conn_open(argv[1], "pgstep", err, sizeof(err)))) {
		fprintf(stderr, "batchrun: cannot connect: %s\n", err);
		return 1;
	}
	if (atoi(argv[4]) > 0 && !live_set(&control.live, "batch_size", argv[4], err, sizeof(err))) {
		fprintf(stderr, "batchrun: %s\n", err);
		return 2;
	}
	engine_init(&e, conn, argv[1], &control);
	rc = engine_run_to(&e, p, c, to, err, sizeof(err));
	if (rc != ENG_OK)
		fprintf(stderr, "batchrun: %s\n", err);
	engine_release(&e);
	PQfinish(conn);
	compiled_free(c);
	plan_free(p);
	sql_cleanup();
	return rc == ENG_OK ? 0 : 1;
}
