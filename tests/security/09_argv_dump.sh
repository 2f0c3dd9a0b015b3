#!/bin/bash
# Issue 14, item 9: a password given with -d is not in argv for the run,
# and pgstep is not dumpable. A `pgstep step` waits for a lock another
# session holds; meanwhile /proc/PID/cmdline holds the conninfo without
# its password, and /proc/PID/environ belongs to root, unreadable by the
# user pgstep runs as (as the kernel does for a non-dumpable process: no
# core file, no ptrace, no /proc/PID/mem). As root, the test runs pgstep
# as postgres, so that root's own files tell nothing.
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
chmod -R a+rX "$W"

SECRET=Sekr1t-pass-9
q "CREATE ROLE deployer LOGIN PASSWORD '$SECRET';
   GRANT CREATE ON DATABASE postgres TO deployer;
   CREATE TABLE t (id int PRIMARY KEY);
   ALTER TABLE t OWNER TO deployer" >/dev/null
pg_as_owner sh -c 'f=$1/data/pg_hba.conf; { echo "local all deployer scram-sha-256"; cat "$f"; } >"$f.new" && mv "$f.new" "$f"' \
	sh "$PGTEST_DIR"
[ "$(q "SELECT pg_reload_conf()")" = t ] || fail "reload failed"
cat >"$W/plans/m.yaml" <<'YAML'
settings: {lock_timeout: 20ms, lock_retries: 10000}
operations:
  - add_column:
      table: t
      column: {name: w, type: int, nullable: true}
YAML

# A reader holds its lock: the ADD COLUMN retries until it is stopped.
psql -X -q -c "SELECT count(*) FROM t; SELECT pg_sleep(600)" >/dev/null 2>&1 &
blocker=$!
holding() { [ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass AND granted")" -ge 1 ]; }
wait_until 30 holding || fail "the reader holds no lock"

pg_as_owner "$PGSTEP" -P "$W/plans" -d "host=$PGHOST dbname=postgres user=deployer password=$SECRET" step m \
	2>"$W/step.err" &
launcher=$!
# pgstep runs under a subshell and runuser: find it among their children.
pgstep_pid() {
	level=$launcher
	for depth in 1 2 3; do
		for p in $level; do
			if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = pgstep ]; then
				echo "$p"
				return 0
			fi
		done
		level=$(for p in $level; do pgrep -P "$p" || true; done)
	done
	return 1
}
waiting() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE usename = 'deployer' AND application_name = 'pgstep:m:expand'")" = 1 ]
}
wait_until 30 waiting || { cat "$W/step.err"; fail "pgstep did not start the expand"; }
pid=$(pgstep_pid) || fail "no pgstep process under $launcher"

tr '\0' ' ' <"/proc/$pid/cmdline" >"$W/cmdline"
grep -q " step m" "$W/cmdline" || fail "this is not the pgstep that runs: $(cat "$W/cmdline")"
if grep -q -- "$SECRET" "$W/cmdline"; then
	fail "ps shows the password: $(cat "$W/cmdline")"
fi
grep -q "user=deployer" "$W/cmdline" || fail "the conninfo without its password is gone from argv: $(cat "$W/cmdline")"
ok "argv holds the conninfo without its password: $(cat "$W/cmdline")"

uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
owner=$(stat -c %u "/proc/$pid/environ")
[ "$uid" != 0 ] || fail "pgstep runs as root: the test tells nothing"
[ "$owner" = 0 ] || fail "/proc/$pid/environ belongs to uid $owner, pgstep's own ($uid): the process is dumpable"
if pg_as_owner cat "/proc/$pid/environ" >/dev/null 2>&1; then
	fail "pgstep's own user reads its environment: the process is dumpable"
fi
ok "not dumpable: /proc/$pid/environ belongs to root, unreadable by uid $uid"

kill -TERM "$pid"
wait "$launcher" || true
kill "$blocker" 2>/dev/null || true
grep -q "stopped" "$W/step.err" || { cat "$W/step.err"; fail "pgstep did not stop at a safe point"; }
