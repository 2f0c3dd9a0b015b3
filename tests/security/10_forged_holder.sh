#!/bin/bash
# Issue 14, item 10: a role that takes pgstep's advisory lock keys under a
# forged application_name is not taken for an operator. An unprivileged
# role holds the migration's two keys as "pgstep:x:expand": `pgstep step`
# refuses naming that role and saying it is not an operator and how to
# end it, and `pgstep pause` leaves no request for it. A real pgstep that
# holds a migration is still "another operator", named with its role.
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

q "CREATE ROLE mallory LOGIN;
   CREATE TABLE t (id int PRIMARY KEY)" >/dev/null
for m in m n; do
	cat >"$W/plans/$m.yaml" <<'YAML'
settings: {lock_timeout: 20ms, lock_retries: 10000}
operations:
  - add_column:
      table: t
      column: {name: w, type: int, nullable: true}
YAML
done
# Schema pgstep exists, owned by the role that runs pgstep (postgres).
"$PGSTEP" -P "$W/plans" status >/dev/null

# The keys as src/state.c makes them: "pgst", and the first four bytes of
# the name's SHA-256 without the sign bit.
keys="x'70677374'::int, (('x' || left(encode(sha256(convert_to('m', 'UTF8')), 'hex'), 8))::bit(32)::int & 2147483647)"
psql -X -q -U mallory -c "SET application_name = 'pgstep:x:expand'; SELECT pg_advisory_lock($keys); SELECT pg_sleep(600)" \
	>/dev/null 2>&1 &
holds() {
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE l.locktype = 'advisory' AND l.granted AND a.usename = 'mallory'")" = 1 ]
}
wait_until 30 holds || fail "mallory holds no advisory lock"
mpid=$(q "SELECT pid FROM pg_stat_activity WHERE usename = 'mallory'")

set +e
"$PGSTEP" -P "$W/plans" step m 2>"$W/step.err"
rc=$?
set -e
[ $rc = 3 ] || { cat "$W/step.err"; fail "expected exit 3 (held), got $rc"; }
for want in "held by pid $mpid (pgstep:x:expand) of role mallory" \
	"is not a pgstep of a role that may run migrations: it is not an operator" \
	"end it with pg_terminate_backend($mpid)"; do
	grep -q -F "$want" "$W/step.err" || { cat "$W/step.err"; fail "the refusal does not say: $want"; }
done
if grep -q "another operator" "$W/step.err"; then
	cat "$W/step.err"
	fail "the forged holder is called an operator"
fi
[ "$(q "SELECT count(*) FROM pgstep.migrations")" = 0 ] || fail "the refused step recorded a migration"
ok "step refused: $(cat "$W/step.err")"

# As if m had been started before: pause speaks only to started migrations.
q "INSERT INTO pgstep.migrations (name, checksum, phase) VALUES ('m', 'started before', 'expand')" >/dev/null
set +e
"$PGSTEP" -P "$W/plans" pause m >/dev/null 2>"$W/pause.err"
rc=$?
set -e
[ $rc = 1 ] || { cat "$W/pause.err"; fail "pause: expected exit 1, got $rc"; }
grep -q -F "it is not an operator" "$W/pause.err" || { cat "$W/pause.err"; fail "pause does not say the holder is no operator"; }
ok "pause refused: $(cat "$W/pause.err")"
[ "$(q "SELECT count(*) FROM pgstep.requests WHERE migration = 'm'")" = 0 ] || fail "pause left a request"
q "DELETE FROM pgstep.migrations WHERE name = 'm'" >/dev/null
q "SELECT pg_terminate_backend($mpid)" >/dev/null

# A real pgstep holds n, waiting for the lock a reader holds on t.
psql -X -q -c "SELECT count(*) FROM t; SELECT pg_sleep(600)" >/dev/null 2>&1 &
reading() { [ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass AND granted")" -ge 1 ]; }
wait_until 30 reading || fail "the reader holds no lock"
"$PGSTEP" -P "$W/plans" step n 2>"$W/first.err" &
first=$!
running() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgstep:n:expand'")" = 1 ]; }
wait_until 30 running || { cat "$W/first.err"; fail "the first pgstep did not start n"; }
fpid=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgstep:n:expand'")
set +e
"$PGSTEP" -P "$W/plans" step n 2>"$W/second.err"
rc=$?
set -e
kill -TERM "$first"
wait "$first" || true
[ $rc = 3 ] || { cat "$W/second.err"; fail "second operator: expected exit 3, got $rc"; }
grep -q -F "held by another operator: pid $fpid (pgstep:n:expand) of role postgres" "$W/second.err" ||
	{ cat "$W/second.err"; fail "a real pgstep is not named as another operator with its role"; }
if grep -q "not an operator" "$W/second.err"; then
	cat "$W/second.err"
	fail "a real pgstep is called no operator"
fi
ok "a real pgstep is another operator: $(cat "$W/second.err")"
