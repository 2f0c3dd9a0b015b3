#!/bin/sh
# Two operators: the second pgstep on the same migration exits 3 naming
# the first; pause and resume come from a second terminal; a plan file
# changed after its migration started is refused with both checksums.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

load_users 200000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 5ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML

paused() { [ "$(q "SELECT paused FROM pgstep.migrations")" = t ]; }
not_paused() { [ "$(q "SELECT paused FROM pgstep.migrations")" = f ]; }

"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill 2>"$W/first.log" &
first=$!
wait_until 60 progressed_past 500 || { cat "$W/first.log"; fail "the first run made no progress"; }
first_backend=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgstep:0001_prefs:backfill'")

set +e
"$PGSTEP" -P "$W/plans" step 0001_prefs 2>"$W/second.log"
rc=$?
set -e
[ $rc = 3 ] || { cat "$W/second.log"; fail "second operator: expected exit 3, got $rc"; }
grep -q "held by another operator: pid $first_backend (pgstep:0001_prefs:backfill)" "$W/second.log" ||
	{ cat "$W/second.log"; fail "the second operator is not told who holds the migration"; }
ok "second operator refused (exit 3), told pid $first_backend holds it"

"$PGSTEP" pause 0001_prefs >/dev/null || fail "pause from a second terminal failed"
wait_until 30 paused || fail "the running backfill did not pause"
at=$(rows_done)
for i in 1 2 3; do
	wait_until 5 false || true   # a pause of 5 polls' worth, not a timing assertion
	[ "$(rows_done)" = "$at" ] || fail "rows kept moving while paused ($at -> $(rows_done))"
done
ok "paused from a second terminal at $at rows, and nothing moved"

"$PGSTEP" resume 0001_prefs >/dev/null || fail "resume failed"
wait_until 30 not_paused || fail "did not resume"
wait_until 30 progressed_past "$at" || fail "rows did not move after resume"
wait $first || { cat "$W/first.log"; fail "the first run failed"; }
[ "$(q "SELECT count(*) FROM users WHERE preferences IS DISTINCT FROM build_json_from_legacy(id)")" = 0 ] ||
	fail "rows without the expected value after pause and resume"
ok "resumed and finished"

before=$(q "SELECT checksum FROM pgstep.migrations")
echo "# edited" >>"$W/plans/0001_prefs.yaml"
set +e
"$PGSTEP" -P "$W/plans" step 0001_prefs 2>"$W/changed.log"
rc=$?
set -e
[ $rc = 2 ] || fail "changed plan: expected exit 2, got $rc"
grep -q "applied sha256:$before, file sha256:" "$W/changed.log" || { cat "$W/changed.log"; fail "both checksums not shown"; }
[ "$(q "SELECT phase FROM pgstep.migrations")" = backfill ] || fail "the changed plan ran"
ok "a changed plan is refused with both checksums"
