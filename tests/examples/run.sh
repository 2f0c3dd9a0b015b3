#!/bin/sh
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
set -eu
. "$top_srcdir/tests/lib/common.sh"
PLAN=$1
EX=$top_srcdir/tests/examples/$PLAN
TEST_NAME=example_$PLAN
ROWS=20000
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W"

load_users $ROWS
q "CREATE TABLE app_log (delta integer NOT NULL)" >/dev/null
schema_dump >"$W/schema.before"

pgstep_run() {
	"$PGSTEP" -P "$top_srcdir/plans" "$@" "$PLAN" 2>>"$W/pgstep.log" >/dev/null ||
		{ tail -n 40 "$W/pgstep.log"; fail "pgstep $*"; }
}
app() {
	"$PG_BINDIR/pgbench" -n -c 2 -t "$2" -f "$EX/$1.sql" >"$W/$1.out" 2>&1 ||
		{ cat "$W/$1.out"; fail "the $1 application failed"; }
}
check() {
	[ "$(psql -X -At -v ON_ERROR_STOP=1 -f "$EX/$1.sql")" = t ] || fail "$1.sql does not hold $2"
	rows=$(q "SELECT count(*) FROM users")
	want=$(q "SELECT $ROWS + coalesce(sum(delta), 0) FROM app_log")
	[ "$rows" = "$want" ] || fail "users has $rows rows, $want expected $2"
	[ "$(q "SELECT count(*) - count(DISTINCT id) FROM users")" = 0 ] || fail "duplicated keys $2"
}

app old 400 &
writer=$!
pgstep_run run --to backfill
wait $writer
pgstep_run step
check switch "after switch, the old application's writes included"
app new 200
check switch "after the new application's writes"
ok "$PLAN: expand, backfill, switch under writes; data right"

pgstep_run rollback
app old 400 &
writer=$!
for phase in backfill expand; do
	pgstep_run rollback
done
wait $writer
schema_dump >"$W/schema.rolledback"
diff -u "$W/schema.before" "$W/schema.rolledback" || fail "schema after rolling back differs from the start"
rows=$(q "SELECT count(*) FROM users")
[ "$rows" = "$(q "SELECT $ROWS + coalesce(sum(delta), 0) FROM app_log")" ] || fail "rows lost by the rollback"
ok "$PLAN: rolled back under writes to the exact starting schema, no row lost"

pgstep_run run --to contract
check end "after contract"
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$PLAN'")" = "contract done" ] ||
	fail "state after contract: $(q "SELECT phase, status FROM pgstep.migrations")"
ok "$PLAN: expanded again and contracted; end schema and data right"
