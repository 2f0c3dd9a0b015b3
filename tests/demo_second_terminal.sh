#!/bin/sh
# script/demo for a second terminal and for what went wrong: its env file
# reaches the demo's database (a Unix socket in the demo's own directory)
# from another shell, where `pgstep status` and `pgstep pause` work; when
# the application load's sessions fail (here terminated, as a server
# restart would), the report on exit names the errors, not only counts
# them; the env file goes with the cluster.
set -eu
. "$top_srcdir/tests/lib/common.sh"
tmpdir_for_test
T=$TEST_TMP
demo=
cleanup() {
	[ -z "$demo" ] || kill -TERM "$demo" 2>/dev/null || true
	[ -z "$demo" ] || wait "$demo" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

env PGSTEP="$PGSTEP" PGSTEP_DEMO_SKIP_BUILD=1 PGSTEP_DEMO_NO_CONSOLE=1 PGSTEP_DEMO_ENV="$T/demo.env" \
	PG_BINDIR="$PG_BINDIR" sh "$top_srcdir/script/demo" --rows 5000 --rate 100 >"$T/demo.out" 2>&1 &
demo=$!
wait_until 120 grep -q "script/demo: ready:" "$T/demo.out" || { cat "$T/demo.out"; fail "the demo never got ready"; }
grep -qF "script/demo: from a second terminal: . $T/demo.env, then for example: " "$T/demo.out" ||
	{ cat "$T/demo.out"; fail "the demo does not say how to reach it from a second terminal"; }
[ -f "$T/demo.env" ] || fail "the demo wrote no env file"

# The second terminal: nothing but the env file.
second() { env -u PGHOST -u PGUSER -u PGDATABASE -u PGPORT sh -c '. "$1"; shift; "$@"' sh "$T/demo.env" "$@"; }
second "$PGSTEP" -P "$top_srcdir/plans" status >"$T/status.out" 2>&1 || { cat "$T/status.out"; fail "status from a second terminal failed"; }
grep -qE '^0001_add_preferences +pending ' "$T/status.out" || { cat "$T/status.out"; fail "status from a second terminal"; }
set +e
second "$PGSTEP" -P "$top_srcdir/plans" pause 0001_add_preferences >"$T/pause.out" 2>&1
rc=$?
set -e
[ $rc = 1 ] && grep -qF "migration 0001_add_preferences has not been started: nothing to pause" "$T/pause.out" ||
	{ cat "$T/pause.out"; fail "pause from a second terminal did not reach the demo's database (exit $rc)"; }
ok "from a second terminal, . demo.env reaches the demo's database: status and pause work"

# The load's sessions end, as in a server restart: pgbench reports FATAL.
load_running() { [ "$(second psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'")" -gt 0 ]; }
wait_until 30 load_running || fail "the application load never connected"
second psql -X -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pgbench'" >/dev/null
pghost=$(second sh -c 'echo "$PGHOST"')
wait_until 30 grep -q "terminating connection due to administrator command" "$pghost/load.out" ||
	fail "pgbench never reported its terminated sessions"
kill -TERM "$demo"
wait "$demo" || true
demo=
n=$(sed -n 's/.* \([0-9][0-9]*\) client error(s)$/\1/p' "$T/demo.out")
[ -n "$n" ] && [ "$n" -ge 1 ] || { cat "$T/demo.out"; fail "the report does not count the load's errors"; }
grep -qE '^  [0-9]+ x aborted: FATAL: +terminating connection due to administrator command$' "$T/demo.out" ||
	{ cat "$T/demo.out"; fail "the report counts $n error(s) but does not name them"; }
[ ! -e "$T/demo.env" ] || fail "the env file outlived the demo's cluster"
ok "on exit the demo counts the load's $n error(s) and names them"
