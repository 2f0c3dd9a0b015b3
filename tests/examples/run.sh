#!/bin/bash
# run.sh PLAN: the life of one example plan against a real PostgreSQL.
#
# While the old application writes: expand and backfill. Switch is where
# applications move to the new schema (a type change swaps the column names
# there), so the old application stops first; after switch the data is
# checked (switch.sql), then the new application writes and it is checked
# again. Switch is rolled back, then backfill and expand while the old
# application writes again, and the schema must be exactly the starting
# one (pg_dump). Then expand again
# and through contract: the end schema and data are checked (end.sql). No
# row may be lost or doubled at any point (app_log counts every write).
#
# Every phase and every rollback runs alone (one pgstep call each) through
# the oracle (tests/lib/oracle.sh): no table that was there before it is
# rewritten, no statement scans a table with rows under a lock that blocks
# writes, no such lock is held longer than a scan-free statement takes.
set -euo pipefail
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/oracle.sh"
PLAN=$1
EX=$top_srcdir/tests/examples/$PLAN
TEST_NAME=example_$PLAN
ROWS=20000
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W"

load_users $ROWS
q "CREATE TABLE app_log (delta integer NOT NULL)" >/dev/null
ORACLE_LOG=$W/oracle.log
oracle_install
oracle_measure
schema_dump >"$W/schema.before"

pgstep_run() {
	"$PGSTEP" -P "$top_srcdir/plans" "$@" "$PLAN" 2>>"$W/pgstep.log" >/dev/null ||
		{ tail -n 40 "$W/pgstep.log"; fail "pgstep $*"; }
}
app() {
	"$PG_CLIENT_BINDIR/pgbench" -n -c 2 -t "$2" -f "$EX/$1.sql" >"$W/$1.out" 2>&1 ||
		{ cat "$W/$1.out"; fail "the $1 application failed"; }
}
check() {
	_got=$(psql -X -At -v ON_ERROR_STOP=1 -f "$EX/$1.sql") || fail "$1.sql failed $2"
	[ "$_got" = t ] || fail "$1.sql does not hold $2 (it returned: $_got)"
	rows=$(q "SELECT count(*) FROM users")
	want=$(q "SELECT $ROWS + coalesce(sum(delta), 0) FROM app_log")
	[ "$rows" = "$want" ] || fail "users has $rows rows, $want expected $2"
	[ "$(q "SELECT count(*) - count(DISTINCT id) FROM users")" = 0 ] || fail "duplicated keys $2"
}

# phase PHASE: pgstep run --to PHASE, through the oracle; rollback WHAT:
# one rollback, through the oracle.
phase() {
	oracle_phase "$1" pgstep_run run --to "$1"
}
rollback() {
	oracle_phase "rollback of $1" pgstep_run rollback
}

app old 400 &
writer=$!
phase expand
phase backfill
wait $writer
oracle_phase switch pgstep_run step
check switch "after switch, the old application's writes included"
app new 200
check switch "after the new application's writes"
ok "$PLAN: expand, backfill, switch under writes; data right"

rollback switch
app old 400 &
writer=$!
for ph in backfill expand; do
	rollback "$ph"
done
wait $writer
schema_dump >"$W/schema.rolledback"
same_file "$W/schema.before" "$W/schema.rolledback" "the schema after rolling back is not the starting one"
rows=$(q "SELECT count(*) FROM users")
[ "$rows" = "$(q "SELECT $ROWS + coalesce(sum(delta), 0) FROM app_log")" ] || fail "rows lost by the rollback"
ok "$PLAN: rolled back under writes to the exact starting schema, no row lost"

for ph in expand backfill switch contract; do
	phase "$ph"
done
check end "after contract"
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$PLAN'")" = "contract done" ] ||
	fail "state after contract: $(q "SELECT phase, status FROM pgstep.migrations")"
oracle_summary
ok "$PLAN: expanded again and contracted; end schema and data right"
