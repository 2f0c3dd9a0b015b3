#!/bin/sh
# The lock queue: a long reader holds ACCESS SHARE; pgstep's ALTER must not
# queue in front of the application's reads for longer than lock_timeout.
# It retries until the reader is gone. When the reader outlasts every
# retry, the phase fails cleanly, naming the blocker, with nothing left.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/fail"

load_users 20000
schema_dump >"$W/schema.before"

cat >"$W/plans/0001_col.yaml" <<'YAML'
settings:
  lock_timeout: 200ms
  lock_retries: 1000
operations:
  - add_column:
      table: users
      column: {name: nickname, type: text, nullable: true}
YAML
sed -e 's/lock_retries: 1000/lock_retries: 3/' "$W/plans/0001_col.yaml" >"$W/fail/0001_col.yaml"

cat >"$W/app.sql" <<'SQL'
\set id random(1, 20000)
SELECT name FROM users WHERE id = :id;
SQL

reader_in_sleep() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'")" = 1 ]
}

# A reader keeps ACCESS SHARE on users for 4 seconds.
psql -X -q -c "BEGIN" -c "SELECT count(*) FROM users" -c "SELECT pg_sleep(4)" -c "COMMIT" >/dev/null &
reader=$!
wait_until 10 reader_in_sleep || fail "the reader did not start"

# The application reads by primary key the whole time, logging each latency.
"$PG_CLIENT_BINDIR/pgbench" -n -c 2 -T 6 -f "$W/app.sql" -l --log-prefix="$W/app" >"$W/app.out" 2>&1 &
app=$!
"$PGSTEP" -P "$W/plans" step 0001_col 2>"$W/step.log" || { cat "$W/step.log"; fail "expand failed"; }
wait $app || { cat "$W/app.out"; fail "application load failed"; }
wait $reader || true

attempts=$(q "SELECT attempts FROM pgstep.steps WHERE migration = '0001_col' AND error IS NULL AND sql LIKE 'ALTER TABLE%'")
[ "$attempts" -gt 1 ] || fail "the ALTER was never blocked (attempts=$attempts): the test proves nothing"
# pgbench logs: client, txn, latency in microseconds, ...
max_us=$(cat "$W"/app.[0-9]* | awk '$3 + 0 > m { m = $3 + 0 } END { print m + 0 }')
txns=$(cat "$W"/app.[0-9]* | wc -l)
[ "$txns" -gt 100 ] || fail "the application made only $txns queries"
[ "$max_us" -lt 450000 ] || fail "an application query waited ${max_us}us behind the ALTER (lock_timeout 200ms)"
ok "ALTER retried $attempts times; $txns application reads, the slowest ${max_us}us"
q "ALTER TABLE users DROP COLUMN nickname; DELETE FROM pgstep.migrations; DELETE FROM pgstep.steps" >/dev/null

# Retries exhausted: the phase fails, names the blocker, leaves nothing.
psql -X -q -c "BEGIN" -c "SELECT count(*) FROM users" -c "SELECT pg_sleep(30)" -c "COMMIT" >/dev/null 2>&1 &
reader=$!
wait_until 10 reader_in_sleep || fail "the reader did not start"
blocker=$(q "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'")
set +e
"$PGSTEP" -P "$W/fail" step 0001_col 2>"$W/fail.log"
rc=$?
set -e
kill $reader 2>/dev/null || true
q "SELECT pg_terminate_backend($blocker)" >/dev/null
[ $rc = 1 ] || { cat "$W/fail.log"; fail "expected exit 1 when the lock cannot be taken, got $rc"; }
grep -q "pid $blocker" "$W/fail.log" || { cat "$W/fail.log"; fail "the error does not name the blocker pid $blocker"; }
grep -q "pg_sleep" "$W/fail.log" || fail "the error does not show the blocker's query"
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || fail "the failed phase left something behind"
[ "$(q "SELECT status || ' ' || phase FROM pgstep.migrations WHERE name = '0001_col'")" = "failed pending" ] ||
	fail "state after failure: $(q "SELECT status, phase FROM pgstep.migrations")"
ok "retries exhausted: failed cleanly naming pid $blocker, schema unchanged"
