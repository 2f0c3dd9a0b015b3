#!/bin/sh
# The demo's plans in their order: plans/0004_partition_users_by_year
# makes users a partitioned table, then plans/0005_users_email_index
# indexes it while the application writes. PostgreSQL cannot CREATE INDEX
# CONCURRENTLY on a partitioned table: pgstep builds the index ON ONLY
# users, CONCURRENTLY on each partition, and attaches each. Rolled back
# under writes to the exact partitioned schema, then run to the end.
set -eu
. "$top_srcdir/tests/lib/common.sh"
EX=$top_srcdir/tests/examples/0005_users_email_index
MIG=0005_users_email_index
ROWS=20000
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W"

load_users $ROWS
q "CREATE TABLE app_log (delta integer NOT NULL)" >/dev/null

pgstep_run() {
	"$PGSTEP" -P "$top_srcdir/plans" "$@" 2>>"$W/pgstep.log" >/dev/null ||
		{ tail -n 40 "$W/pgstep.log"; fail "pgstep $*"; }
}
app() {
	"$PG_CLIENT_BINDIR/pgbench" -n -c 2 -t "$2" -f "$EX/$1.sql" >"$W/$1.out" 2>&1 ||
		{ cat "$W/$1.out"; fail "the $1 application failed"; }
}
rows_right() {
	rows=$(q "SELECT count(*) FROM users")
	want=$(q "SELECT $ROWS + coalesce(sum(delta), 0) FROM app_log")
	[ "$rows" = "$want" ] || fail "users has $rows rows, $want expected $1"
}

pgstep_run run 0004_partition_users_by_year --to contract
[ "$(q "SELECT relkind FROM pg_class WHERE oid = 'users'::regclass")" = p ] || fail "0004 did not partition users"
parts=$(q "SELECT count(*) FROM pg_partition_tree('users') t JOIN pg_class c ON c.oid = t.relid WHERE c.relkind = 'r'")
[ "$parts" -gt 1 ] || fail "users has $parts partitions after 0004"
rows_right "after 0004"
schema_dump >"$W/schema.before"
[ -s "$W/schema.before" ] || fail "pg_dump printed nothing"
ok "0004 partitioned users into $parts partitions, $ROWS rows"

# expand while the old application writes
app old 400 &
writer=$!
pgstep_run run $MIG --to backfill
wait $writer
[ "$(q "SELECT c.relkind::text || ' ' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indexrelid = 'users_email_idx'::regclass AND i.indrelid = 'users'::regclass")" = "I true" ] ||
	fail "users_email_idx is not a valid partitioned index of users"
attached=$(q "SELECT count(*) FROM pg_partition_tree('users_email_idx') t JOIN pg_index i ON i.indexrelid = t.relid
              JOIN pg_class c ON c.oid = t.relid WHERE c.relkind = 'i' AND i.indisvalid")
[ "$attached" = "$parts" ] || fail "$attached valid partition indexes attached, $parts partitions"
[ "$(q "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ] || fail "an INVALID index is left"
# each partition's its own CONCURRENTLY statement, the table's ON ONLY
built=$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '$MIG' AND direction = 'forward' AND error IS NULL
           AND sql LIKE 'CREATE INDEX CONCURRENTLY % ON \"public\".\"users\_%' ESCAPE '\\'")
[ "$built" = "$parts" ] || fail "$built CREATE INDEX CONCURRENTLY on partitions in the step log, $parts partitions"
[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '$MIG' AND error IS NULL
        AND sql = 'CREATE INDEX \"users_email_idx\" ON ONLY \"public\".\"users\" (\"email\")'")" = 1 ] ||
	fail "no CREATE INDEX ... ON ONLY users in the step log"
rows_right "after expand under writes"
plan=$(psql -X -At -v ON_ERROR_STOP=1 -c "SET enable_seqscan = off" \
	-c "EXPLAIN (COSTS OFF) SELECT id FROM users WHERE email = 'user77@example.com'")
echo "$plan" | grep -q "users_p[0-9]*_email_idx" || { echo "$plan"; fail "a lookup by email does not use the partitions' indexes"; }
ok "$MIG: built on $parts partitions one by one under writes, attached, valid, used"

# rolled back under writes, to the exact partitioned schema
app old 400 &
writer=$!
pgstep_run rollback $MIG
pgstep_run rollback $MIG
wait $writer
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$MIG'")" = "pending ok" ] ||
	fail "after two rollbacks $MIG is $(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$MIG'")"
schema_dump >"$W/schema.rolledback"
same_file "$W/schema.before" "$W/schema.rolledback" "the schema after rolling back differs from the start"
[ "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '%email_idx'")" = 0 ] || fail "an email index is left"
[ "$(q "SELECT count(*) FROM pgstep.saved WHERE migration = '$MIG'")" = 0 ] || fail "saved rows of $MIG are left"
rows_right "after rolling back under writes"
ok "$MIG: rolled back under writes to the exact partitioned schema, nothing left"

pgstep_run run $MIG --to contract
[ "$(psql -X -At -v ON_ERROR_STOP=1 -f "$EX/end.sql")" = t ] || fail "end.sql does not hold after contract"
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$MIG'")" = "contract done" ] ||
	fail "state after contract: $(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$MIG'")"
rows_right "after contract"
ok "$MIG: expanded again and contracted after 0004; the index valid"
