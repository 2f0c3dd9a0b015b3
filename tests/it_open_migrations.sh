#!/bin/sh
# Migrations on different tables are open at once; one that touches a
# table another open migration touches is refused, naming it and the
# table, and changes nothing; once the other is rolled back to pending or
# done, it starts. Two starts at the same moment cannot both pass. A
# state schema of version 1 is upgraded in place, its rows kept.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/aside"
load_users 2000
q "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric NOT NULL);
   INSERT INTO orders SELECT g, g % 2000 + 1, g FROM generate_series(1, 3000) g;
   CREATE TABLE t_race (id int PRIMARY KEY, v int NOT NULL);
   CREATE TABLE t_wait (id int PRIMARY KEY);
   INSERT INTO t_race SELECT g, g FROM generate_series(1, 100) g;" >/dev/null

plan() {
	cat >"$W/plans/$1.yaml"
}
plan 0001_users_prefs <<'YAML'
settings: {batch_size: 500}
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML
plan 0002_orders_note <<'YAML'
operations:
  - add_column:
      table: orders
      column: {name: note, type: text}
      up: "'order ' || id"
YAML
plan 0003_users_email_idx <<'YAML'
operations:
  - create_index: {name: users_email_idx, table: users, columns: [email]}
YAML
plan 0004_sql_only <<'YAML'
operations:
  - sql:
      up: CREATE TABLE misc (id int)
      down: DROP TABLE misc
YAML
plan 0005_both <<'YAML'
operations:
  - add_column:
      table: orders
      column: {name: flag, type: boolean, nullable: true}
  - create_index: {name: users_name_idx, table: users, columns: [name]}
YAML
plan 0006_orders_idx <<'YAML'
operations:
  - create_index: {name: orders_user_idx, table: orders, columns: [user_id]}
YAML
plan 0009_refunds <<'YAML'
operations:
  - create_table:
      name: refunds
      columns:
        - {name: id, type: bigint, pk: true}
        - {name: order_id, type: bigint, nullable: false, references: {name: refunds_order_fkey, table: orders, column: id}}
YAML
plan 0007_race_a <<'YAML'
operations:
  - add_column:
      table: t_race
      column: {name: a, type: int, nullable: true}
YAML
plan 0007_race_b <<'YAML'
operations:
  - add_column:
      table: t_race
      column: {name: b, type: int, nullable: true}
YAML

plan 0008_wait_a <<'YAML'
settings: {lock_timeout: 50ms, lock_retries: 1000}
operations:
  - add_column:
      table: t_wait
      column: {name: a, type: int, nullable: true}
YAML
plan 0008_wait_b <<'YAML'
operations:
  - create_index: {name: t_wait_idx, table: t_wait, columns: [id]}
YAML

run() {
	"$PGSTEP" -P "$W/plans" "$@" 2>>"$W/run.log" >/dev/null || { tail -n 20 "$W/run.log"; fail "pgstep $* failed"; }
}
# refused NAME: `pgstep step NAME` exits 2; its stderr is in $W/refused.
refused() {
	set +e
	"$PGSTEP" -P "$W/plans" step "$1" >/dev/null 2>"$W/refused"
	_rc=$?
	set -e
	[ $_rc = 2 ] || { cat "$W/refused"; fail "step $1: expected exit 2 (refused), got $_rc"; }
}
state() {
	q "SELECT name, phase, status, running, rolling_back, progress, updated_at, tables
	   FROM pgstep.migrations ORDER BY name"
}
phase_of() {
	q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$1'"
}

# ---- two migrations on different tables, open at once ----
run run 0001_users_prefs --to backfill
run run 0002_orders_note --to expand
[ "$(phase_of 0001_users_prefs)" = "backfill ok" ] || fail "0001: $(phase_of 0001_users_prefs)"
[ "$(phase_of 0002_orders_note)" = "expand ok" ] || fail "0002: $(phase_of 0002_orders_note)"
[ "$(q "SELECT count(*) FROM orders WHERE note IS NOT NULL")" = 0 ] || fail "0002's backfill ran early"
[ "$(q "SELECT count(*) FROM users WHERE preferences IS DISTINCT FROM build_json_from_legacy(id)")" = 0 ] ||
	fail "0001's backfill left rows"
[ "$(q "SELECT tables FROM pgstep.migrations WHERE name = '0001_users_prefs'")" = "{users}" ] ||
	fail "0001's tables recorded as $(q "SELECT tables FROM pgstep.migrations WHERE name = '0001_users_prefs'")"
ok "0001 on users (at backfill) and 0002 on orders (at expand) are open at once"

# ---- one on a table an open migration has: refused, nothing changed ----
schema_dump >"$W/schema.before"
state >"$W/state.before"
steps_before=$(q "SELECT count(*) FROM pgstep.steps")
refused 0003_users_email_idx
grep -qxF "pgstep: migration 0003_users_email_idx touches table users, which migration 0001_users_prefs (at backfill) has open: finish or roll back 0001_users_prefs first" "$W/refused" ||
	{ cat "$W/refused"; fail "the refusal does not name 0001_users_prefs, its phase and the table"; }
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || fail "the refused migration changed the schema"
state >"$W/state.after"
diff -u "$W/state.before" "$W/state.after" || fail "the refused migration changed pgstep.migrations"
[ "$(q "SELECT count(*) FROM pgstep.steps")" = "$steps_before" ] || fail "the refused migration logged steps"
[ "$(q "SELECT count(*) FROM pgstep.migrations WHERE name = '0003_users_email_idx'")" = 0 ] ||
	fail "the refused migration was recorded"
ok "0003 on users is refused (exit 2), naming 0001_users_prefs at backfill and users; nothing changed"

refused 0005_both
grep -qF "migration 0005_both touches table users, which migration 0001_users_prefs (at backfill) has open, and table orders, which migration 0002_orders_note (at expand) has open: finish or roll back 0001_users_prefs and 0002_orders_note first" "$W/refused" ||
	{ cat "$W/refused"; fail "the refusal does not name both migrations and their tables"; }
ok "a migration sharing a table with each of two open ones names both"

# Free-form SQL names no table: it starts beside the others.
run step 0004_sql_only
[ "$(phase_of 0004_sql_only)" = "expand ok" ] || fail "0004: $(phase_of 0004_sql_only)"
[ "$(q "SELECT tables FROM pgstep.migrations WHERE name = '0004_sql_only'")" = "{}" ] ||
	fail "0004's tables: $(q "SELECT tables FROM pgstep.migrations WHERE name = '0004_sql_only'")"
ok "an sql operation touches no known table and starts beside them"

# ---- status shows each migration's tables ----
"$PGSTEP" -P "$W/plans" status >"$W/status" || fail "status failed"
grep -qE '^0001_users_prefs +backfill +ok +users( |$)' "$W/status" || { cat "$W/status"; fail "status: 0001's tables"; }
grep -qE '^0003_users_email_idx +pending +pending +users( |$)' "$W/status" || { cat "$W/status"; fail "status: 0003's tables"; }
grep -qE '^0004_sql_only +expand +ok +-( |$)' "$W/status" || { cat "$W/status"; fail "status: 0004 touches none"; }
grep -qE '^0005_both +pending +pending +orders,users( |$)' "$W/status" || { cat "$W/status"; fail "status: 0005's tables"; }
"$PGSTEP" -P "$W/plans" status --json >"$W/status.json" || fail "status --json failed"
json_tables() {
	psql -X -At -v ON_ERROR_STOP=1 -v j="$(cat "$W/status.json")" <<SQL
SELECT (e->'tables')::text FROM jsonb_array_elements(:'j'::jsonb) e WHERE e->>'name' = '$1'
SQL
}
[ "$(json_tables 0001_users_prefs)" = '["users"]' ] || fail "status --json: 0001's tables: $(json_tables 0001_users_prefs)"
[ "$(json_tables 0005_both)" = '["orders", "users"]' ] || fail "status --json: 0005's tables: $(json_tables 0005_both)"
[ "$(json_tables 0004_sql_only)" = '[]' ] || fail "status --json: 0004's tables: $(json_tables 0004_sql_only)"
ok "status and status --json show each migration's tables"

# ---- rolled back to pending, the other's table is free ----
run rollback 0001_users_prefs
refused 0003_users_email_idx
grep -qF "which migration 0001_users_prefs (at expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "still refused while 0001 is at expand, naming where it is"; }
run rollback 0001_users_prefs
[ "$(phase_of 0001_users_prefs)" = "pending ok" ] || fail "0001 after two rollbacks: $(phase_of 0001_users_prefs)"
run step 0003_users_email_idx
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass")" = t ] ||
	fail "0003's index was not built"
ok "once 0001 is rolled back to pending, 0003 starts on users"
# 0001 is pending again, and 0003 holds users now.
refused 0001_users_prefs
grep -qF "touches table users, which migration 0003_users_email_idx (at expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "0001 was not refused against 0003"; }
ok "the migration rolled back to pending is refused in turn"

# ---- done (contracted), the other's table is free ----
refused 0006_orders_idx
grep -qF "touches table orders, which migration 0002_orders_note (at expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "0006 was not refused against 0002"; }
run run 0002_orders_note --to contract
[ "$(phase_of 0002_orders_note)" = "contract done" ] || fail "0002: $(phase_of 0002_orders_note)"
run step 0006_orders_idx
[ "$(phase_of 0006_orders_idx)" = "expand ok" ] || fail "0006: $(phase_of 0006_orders_idx)"
ok "once 0002 is done, 0006 starts on orders"

# ---- a foreign key's table is touched too ----
schema_dump >"$W/fk.before"
refused 0009_refunds
grep -qF "touches table orders, which migration 0006_orders_idx (at expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "0009, whose new table references orders, was not refused against 0006"; }
schema_dump >"$W/fk.after"
diff -u "$W/fk.before" "$W/fk.after" || fail "the refused 0009 changed the schema"
ok "a new table with a foreign key to orders is refused while 0006 has orders open"

# ---- a migration whose expand is still running has its table open ----
# A transaction holding t_wait keeps 0008_wait_a's ALTER retrying.
mkfifo "$W/blocker.in"
psql -X -q -v ON_ERROR_STOP=1 <"$W/blocker.in" >"$W/blocker.out" 2>&1 &
blocker=$!
exec 4>"$W/blocker.in"
echo "BEGIN; LOCK TABLE t_wait IN ACCESS SHARE MODE; SELECT 'locked';" >&4
wait_until 30 grep -q locked "$W/blocker.out" || fail "the test could not lock t_wait"
"$PGSTEP" -P "$W/plans" step 0008_wait_a >/dev/null 2>"$W/wait_a" &
pw=$!
running_expand() {
	[ "$(q "SELECT coalesce(running, '') || ' ' || phase FROM pgstep.migrations WHERE name = '0008_wait_a'")" = "expand pending" ]
}
wait_until 60 running_expand || fail "0008_wait_a never showed its expand running"
refused 0008_wait_b
grep -qF "touches table t_wait, which migration 0008_wait_a (running expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "0008_wait_b was not refused against the running expand of 0008_wait_a"; }
echo "COMMIT;" >&4
exec 4>&-
wait "$blocker" || fail "the blocker failed: $(cat "$W/blocker.out")"
wait "$pw" || { cat "$W/wait_a"; fail "0008_wait_a failed once its table was free"; }
[ "$(phase_of 0008_wait_a)" = "expand ok" ] || fail "0008_wait_a: $(phase_of 0008_wait_a)"
ok "a migration whose expand is still running (phase pending) holds its table"

# ---- two starts at the same moment: one passes, the other is refused ----
# This session holds the lock that serializes starts while both pgsteps
# come to wait for it; then lets go.
mkfifo "$W/holder.in"
psql -X -q -v ON_ERROR_STOP=1 <"$W/holder.in" >"$W/holder.out" 2>&1 &
holder=$!
exec 3>"$W/holder.in"
echo "BEGIN; SELECT pg_advisory_xact_lock(1885827956, -1); SELECT 'locked';" >&3
wait_until 30 grep -q locked "$W/holder.out" || fail "the test could not take the start lock"
"$PGSTEP" -P "$W/plans" step 0007_race_a >/dev/null 2>"$W/race_a" &
pa=$!
"$PGSTEP" -P "$W/plans" step 0007_race_b >/dev/null 2>"$W/race_b" &
pb=$!
waiting_starts() {
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
	        AND classid = 1885827956 AND objid = 4294967295 AND objsubid = 2")" = 2 ]
}
wait_until 60 waiting_starts || fail "the two starts never both waited for the start lock"
echo "COMMIT;" >&3
exec 3>&-
wait "$holder" || fail "the lock holder failed: $(cat "$W/holder.out")"
set +e
wait "$pa"
ra=$?
wait "$pb"
rb=$?
set -e
case "$ra $rb" in
"0 2") winner=0007_race_a loser=race_b ;;
"2 0") winner=0007_race_b loser=race_a ;;
*) cat "$W/race_a" "$W/race_b"; fail "two starts on t_race at once: exit $ra and $rb, expected one 0 and one 2" ;;
esac
# The winner may still be running its expand when the loser looks.
grep -qE "touches table t_race, which migration $winner \((running|at) expand\) has open" "$W/$loser" ||
	{ cat "$W/$loser"; fail "the loser of the race does not name $winner"; }
[ "$(q "SELECT count(*) FROM pgstep.migrations WHERE name LIKE '0007_race_%'")" = 1 ] ||
	fail "both racers were recorded: $(q "SELECT name, phase FROM pgstep.migrations WHERE name LIKE '0007_race_%'")"
ok "two starts on t_race at the same moment: $winner passes, the other is refused naming it"

# ---- a version-1 state schema is upgraded in place, its rows kept ----
# Version 2 is version 1, the tables column and pgstep.saved; version 3
# adds request_by, version 4 pgstep.backfill.rate_last, version 5
# pgstep.backfill.throttled and throttled_ms, version 6 pgstep.requests
# and gate_since: take them away.
q "ALTER TABLE pgstep.migrations DROP COLUMN tables, DROP COLUMN request_by, DROP COLUMN gate_since;
   DROP TABLE pgstep.saved; DROP TABLE pgstep.requests;
   ALTER TABLE pgstep.backfill DROP COLUMN rate_last, DROP COLUMN throttled, DROP COLUMN throttled_ms;
   UPDATE pgstep.schema_version SET version = 1" >/dev/null
rows() {
	q "SELECT name, checksum, phase, status, running, rolling_back, progress, started_at, finished_at
	   FROM pgstep.migrations ORDER BY name"
}
rows >"$W/rows.v1"
steps_v1=$(q "SELECT count(*) FROM pgstep.steps")
"$PGSTEP" -P "$W/plans" status >"$W/status.v1" || fail "status on a version-1 schema failed"
grep -qE '^0003_users_email_idx +expand +ok +users( |$)' "$W/status.v1" ||
	{ cat "$W/status.v1"; fail "status on version 1 does not show the plan's tables"; }
[ "$(q "SELECT version FROM pgstep.schema_version")" = 1 ] || fail "status upgraded the schema"
ok "status reads a version-1 schema, tables from the plans, and upgrades nothing"

# 0003 was recorded without tables; its plan file says users.
refused 0001_users_prefs
[ "$(q "SELECT version FROM pgstep.schema_version")" = 6 ] || fail "the schema was not upgraded to version 6"
[ "$(q "SELECT to_regclass('pgstep.requests') IS NOT NULL")" = t ] || fail "the upgrade did not create pgstep.requests"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'pgstep.migrations'::regclass AND attname = 'gate_since'")" = 1 ] ||
	fail "the upgrade did not add pgstep.migrations.gate_since"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'pgstep.backfill'::regclass AND attname IN ('throttled', 'throttled_ms')")" = 2 ] ||
	fail "the upgrade did not add pgstep.backfill.throttled and throttled_ms"
[ "$(q "SELECT to_regclass('pgstep.saved') IS NOT NULL")" = t ] || fail "the upgrade did not create pgstep.saved"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'pgstep.backfill'::regclass AND attname = 'rate_last'")" = 1 ] ||
	fail "the upgrade did not add pgstep.backfill.rate_last"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'pgstep.backfill'::regclass AND attname IN ('throttled', 'throttled_ms')")" = 2 ] ||
	fail "the upgrade did not add pgstep.backfill.throttled and throttled_ms"
rows >"$W/rows.v2"
diff -u "$W/rows.v1" "$W/rows.v2" || fail "the upgrade changed the recorded rows"
[ "$(q "SELECT count(*) FROM pgstep.steps")" = "$steps_v1" ] || fail "the upgrade lost or added steps"
[ "$(q "SELECT count(*) FROM pgstep.migrations WHERE tables IS NULL")" = "$(q "SELECT count(*) FROM pgstep.migrations")" ] ||
	fail "rows recorded before version 2 got tables without being driven"
grep -qF "touches table users, which migration 0003_users_email_idx (at expand) has open" "$W/refused" ||
	{ cat "$W/refused"; fail "0001 was not refused against 0003, started before version 2"; }
ok "a version-1 schema is upgraded to version 6 in place, rows kept; its open migration's tables come from its plan"

# Without its plan file, an open migration of version 1 cannot be checked.
mv "$W/plans/0003_users_email_idx.yaml" "$W/aside/"
refused 0001_users_prefs
grep -qF "migration 0001_users_prefs cannot be checked against migration 0003_users_email_idx (at expand)" "$W/refused" ||
	{ cat "$W/refused"; fail "no refusal for a version-1 migration whose tables are unknown"; }
grep -qF "pgstep run 0003_users_email_idx --to expand" "$W/refused" || { cat "$W/refused"; fail "no way out given"; }
mv "$W/aside/0003_users_email_idx.yaml" "$W/plans/"
ok "an open migration of version 1 without its plan file is not taken as apart"

# Driving it (here a run that has nothing to do) records its tables.
run run 0003_users_email_idx --to expand
[ "$(q "SELECT tables FROM pgstep.migrations WHERE name = '0003_users_email_idx'")" = "{users}" ] ||
	fail "0003's tables not recorded when driven: $(q "SELECT tables FROM pgstep.migrations WHERE name = '0003_users_email_idx'")"
[ "$(phase_of 0003_users_email_idx)" = "expand ok" ] || fail "run --to expand moved 0003: $(phase_of 0003_users_email_idx)"
ok "driving a migration of version 1 records its tables"
