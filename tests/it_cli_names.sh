#!/bin/sh
# Every command takes the name `status` shows: a plan whose `name:`
# differs from its file name is run, shown, paused and rolled back by that
# name (and still by its file name); two plans under one name are an
# error naming both files; `pause` of a name nothing has says "no such
# migration", of a plan never started that it has not been started.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
cd "$W"

q "CREATE TABLE t (id int PRIMARY KEY, v int)" >/dev/null
cat >plans/0001_t_w.yaml <<'YAML'
name: t_gets_w
operations:
  - add_column: {table: t, column: {name: w, type: int, nullable: true}}
YAML
cat >plans/0002_pending.yaml <<'YAML'
operations:
  - create_index: {name: t_v_idx, table: t, columns: [v]}
YAML
cat >plans/0003_twin_a.yaml <<'YAML'
name: twin
operations:
  - create_table: {name: a, columns: [{name: id, type: int, pk: true}]}
YAML
cat >plans/0004_twin_b.yaml <<'YAML'
name: twin
operations:
  - create_table: {name: b, columns: [{name: id, type: int, pk: true}]}
YAML

# ---- a plan by its name ----
"$PGSTEP" status >out 2>err || { cat err; fail "status failed"; }
grep -qE '^t_gets_w +pending ' out || { cat out; fail "status does not list the plan as t_gets_w"; }
"$PGSTEP" show t_gets_w >out 2>err || { cat err; fail "show t_gets_w (the name status shows) failed"; }
grep -q 'ADD COLUMN "w"' out || fail "show t_gets_w did not show plans/0001_t_w.yaml"
"$PGSTEP" show 0001_t_w >out 2>err || { cat err; fail "show 0001_t_w (its file name) failed"; }
"$PGSTEP" run t_gets_w --to expand >out 2>err || { cat err; fail "run t_gets_w failed"; }
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = 't_gets_w'")" = expand ] || fail "t_gets_w is not at expand"
ok "show and run take the name status shows (and the file name)"

set +e
"$PGSTEP" pause t_gets_w >out 2>err
rc=$?
set -e
[ $rc = 1 ] || fail "pause t_gets_w: exit $rc"
grep -qx "pgstep: no pgstep is running migration t_gets_w: nothing to pause" err || { cat err; fail "pause t_gets_w"; }
set +e
"$PGSTEP" pause 0001_t_w >out 2>err
rc=$?
set -e
[ $rc = 1 ] || fail "pause 0001_t_w: exit $rc"
grep -qx "pgstep: no pgstep is running migration t_gets_w: nothing to pause" err ||
	{ cat err; fail "pause by the file name did not find the migration t_gets_w"; }
ok "pause finds the migration by the name status shows, and by its plan's file name"

"$PGSTEP" rollback t_gets_w >out 2>err || { cat err; fail "rollback t_gets_w failed"; }
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = 't_gets_w'")" = pending ] || fail "t_gets_w was not rolled back"
ok "rollback takes the name status shows"

# ---- pause of what does not exist, or never started ----
set +e
"$PGSTEP" pause nosuch >out 2>err
rc=$?
set -e
[ $rc = 2 ] || fail "pause nosuch: exit $rc, not 2"
grep -qx 'pgstep: no such migration nosuch: `pgstep status` lists them' err || { cat err; fail "pause nosuch"; }
set +e
"$PGSTEP" resume 0002_pending >out 2>err
rc=$?
set -e
[ $rc = 1 ] || fail "resume 0002_pending: exit $rc"
grep -qx "pgstep: migration 0002_pending has not been started: nothing to resume" err || { cat err; fail "resume 0002_pending"; }
ok "pause nosuch says there is no such migration; resume of a plan never started says so"

# ---- two plans, one name ----
set +e
"$PGSTEP" run twin >out 2>err
rc=$?
set -e
[ $rc = 2 ] || fail "run twin: exit $rc, not 2"
grep -qF "pgstep: twin names more than one plan: plans/0003_twin_a.yaml and plans/0004_twin_b.yaml" err ||
	{ cat err; fail "run twin does not name both files"; }
[ "$(q "SELECT count(*) FROM pgstep.migrations WHERE name = 'twin'")" = 0 ] || fail "run twin started something"
"$PGSTEP" status >out 2>err || { cat err; fail "status failed"; }
grep -qE '^twin +pending +invalid .*plans/0003_twin_a.yaml: the name twin is also that of plans/0004_twin_b.yaml' out &&
	grep -qE '^twin +pending +invalid .*plans/0004_twin_b.yaml: the name twin is also that of plans/0003_twin_a.yaml' out ||
	{ cat out; fail "status does not show both twins invalid, each naming the other"; }
ok "two plans named twin: run refuses naming both files; status shows both invalid"
