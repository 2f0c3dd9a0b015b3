#!/bin/sh
# Hooks (-H DIR or settings.hooks): executables named after events run
# with the migration, phase, table, progress and database in their
# environment and never the password; their output reaches the log; a
# failing before-hook stops its phase with nothing changed; a hook that
# hangs is killed, with what it started, after hook_timeout.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
H=$W/hooks
OUT=$W/out
mkdir -p "$W/plans" "$H" "$OUT"
load_users 3000
# Every row's value costs at least 0.2 ms (pg_sleep sleeps longer): the backfill lasts several
# seconds whatever the machine, and backfill-progress (every second) runs.
q "CREATE FUNCTION slow_upper(t text) RETURNS text LANGUAGE sql AS 'SELECT upper(t) FROM pg_sleep(0.0002)'" >/dev/null

# The session must give a password, so that pgstep holds one: in
# PGPASSWORD, in the conninfo, and inside another variable (a URL).
PW=hook-s3cret-pw
q "ALTER ROLE postgres PASSWORD '$PW'" >/dev/null
hba=$PGTEST_DIR/data/pg_hba.conf
{ echo "local all postgres scram-sha-256"; cat "$hba"; } >"$W/hba" && cat "$W/hba" >"$hba"
q "SELECT pg_reload_conf()" >/dev/null
export PGPASSWORD=$PW
export APP_DATABASE_URL="postgresql://postgres:$PW@db.example/app"
CONN="host=$PGHOST dbname=postgres user=postgres password=$PW"

# Every event's hook writes its environment to $OUT/EVENT.env.
for ev in before-expand after-expand before-backfill backfill-progress after-backfill \
	before-switch after-switch before-contract after-contract; do
	cat >"$H/$ev" <<HOOK
#!/bin/sh
env >"$OUT/$ev.env.tmp" && mv "$OUT/$ev.env.tmp" "$OUT/$ev.env"
echo "hook says hello from $ev"
HOOK
	chmod 755 "$H/$ev"
done

cat >"$W/plans/0001_upper.yaml" <<'YAML'
settings:
  hook_progress_interval: 1s
operations:
  - add_column:
      table: users
      column: {name: name_upper, type: text}
      up: slow_upper(name)
YAML

envval() { sed -n "s/^$2=//p" "$OUT/$1.env"; }

"$PGSTEP" -d "$CONN" -P "$W/plans" -H "$H" run 0001_upper --to contract 2>"$W/run1.log" ||
	{ cat "$W/run1.log"; fail "the run with hooks failed"; }
for ev in before-expand after-expand before-backfill backfill-progress after-backfill \
	before-switch after-switch before-contract after-contract; do
	[ -s "$OUT/$ev.env" ] || { cat "$W/run1.log"; fail "hook $ev did not run"; }
	[ "$(envval "$ev" PGSTEP_MIGRATION)" = 0001_upper ] || fail "$ev: PGSTEP_MIGRATION is '$(envval "$ev" PGSTEP_MIGRATION)'"
	case $ev in backfill-progress) ph=backfill ;; *) ph=${ev#*-} ;; esac
	[ "$(envval "$ev" PGSTEP_PHASE)" = "$ph" ] || fail "$ev: PGSTEP_PHASE is '$(envval "$ev" PGSTEP_PHASE)'"
	[ "$(envval "$ev" PGSTEP_TABLE)" = users ] || fail "$ev: PGSTEP_TABLE is '$(envval "$ev" PGSTEP_TABLE)'"
	[ "$(envval "$ev" PGSTEP_DBHOST)" = "$PGHOST" ] || fail "$ev: PGSTEP_DBHOST is '$(envval "$ev" PGSTEP_DBHOST)'"
	[ "$(envval "$ev" PGSTEP_DBNAME)" = postgres ] || fail "$ev: PGSTEP_DBNAME is '$(envval "$ev" PGSTEP_DBNAME)'"
	grep -q "^PGSTEP_ELAPSED_SECONDS=[0-9][0-9]*$" "$OUT/$ev.env" || fail "$ev: no PGSTEP_ELAPSED_SECONDS"
	grep -q "hook $ev: hook says hello from $ev" "$W/run1.log" || { cat "$W/run1.log"; fail "the output of hook $ev is not in the log"; }
done
ok "every phase's before- and after- hook ran with the migration, phase, table and database; their output is in the log"

for v in PGSTEP_ROWS_DONE PGSTEP_ROWS_TOTAL PGSTEP_RATE PGSTEP_ETA_SECONDS; do
	grep -q "^$v=[0-9][0-9]*$" "$OUT/backfill-progress.env" || { cat "$OUT/backfill-progress.env"; fail "backfill-progress: $v is not a number"; }
done
[ "$(envval backfill-progress PGSTEP_ROWS_DONE)" -gt 0 ] || fail "backfill-progress: no rows done"
[ "$(envval backfill-progress PGSTEP_ROWS_TOTAL)" -gt 0 ] || fail "backfill-progress: no estimated rows"
[ "$(envval after-backfill PGSTEP_ROWS_DONE)" = 3000 ] || fail "after-backfill: PGSTEP_ROWS_DONE is '$(envval after-backfill PGSTEP_ROWS_DONE)'"
ok "backfill-progress tells rows done, estimated rows, rate and ETA; after-backfill the rows done"

if grep -l "$PW" "$OUT"/*.env; then
	fail "a hook's environment holds the password"
fi
grep -q '^PGPASSWORD=' "$OUT"/*.env && fail "a hook got PGPASSWORD"
grep -q '^APP_DATABASE_URL=' "$OUT"/*.env && fail "a hook got a variable that holds the password"
grep -q "^PGHOST=$PGHOST$" "$OUT/before-expand.env" || fail "a hook did not get the rest of pgstep's environment"
ok "no hook's environment holds the password (PGPASSWORD, the conninfo's, a URL with it)"

# A failing before-hook: its phase does not start, and nothing changes.
rm -f "$H"/*
cat >"$H/before-expand" <<'HOOK'
#!/bin/sh
echo "change freeze until Monday"
echo "ask the on-call DBA" >&2
exit 3
HOOK
chmod 755 "$H/before-expand"
cat >"$W/plans/0002_lower.yaml" <<'YAML'
settings:
  hooks: ../hooks
operations:
  - add_column:
      table: users
      column: {name: name_lower, type: text}
      up: lower(name)
YAML
schema_dump >"$W/before.sql"
migs_before=$(q "SELECT count(*) FROM pgstep.migrations")
set +e
"$PGSTEP" -d "$CONN" -P "$W/plans" run 0002_lower --to contract 2>"$W/run2.log"
rc=$?
set -e
[ $rc != 0 ] || { cat "$W/run2.log"; fail "the run went on after before-expand exited 3"; }
grep -q "hook before-expand: change freeze until Monday" "$W/run2.log" || { cat "$W/run2.log"; fail "the hook's stdout is not in the log"; }
grep -q "hook before-expand: ask the on-call DBA" "$W/run2.log" || { cat "$W/run2.log"; fail "the hook's stderr is not in the log"; }
grep -q "before-expand hook .* exited with status 3: expand does not start" "$W/run2.log" ||
	{ cat "$W/run2.log"; fail "the log does not say why expand did not start"; }
schema_dump >"$W/after.sql"
diff -u "$W/before.sql" "$W/after.sql" || fail "the schema changed although before-expand failed"
[ "$(q "SELECT count(*) FROM pgstep.migrations")" = "$migs_before" ] || fail "0002 was recorded although before-expand failed"
ok "a failing before-expand (settings.hooks) stops expand with nothing changed (exit $rc), its output in the log"

# A hook that hangs, with a child of its own: killed after hook_timeout.
cat >"$H/before-expand" <<HOOK
#!/bin/sh
echo \$\$ >"$OUT/hang.pid"
sleep 600 &
echo \$! >"$OUT/hang.child"
wait
HOOK
cat >"$W/plans/0002_lower.yaml" <<'YAML'
settings:
  hooks: ../hooks
  hook_timeout: 1s
operations:
  - add_column:
      table: users
      column: {name: name_lower, type: text}
      up: lower(name)
YAML
set +e
"$PGSTEP" -d "$CONN" -P "$W/plans" run 0002_lower --to contract 2>"$W/run3.log"
rc=$?
set -e
[ $rc != 0 ] || { cat "$W/run3.log"; fail "the run went on after before-expand hung"; }
grep -q "before-expand hook .* did not finish within hook_timeout (1s): its process group was killed" "$W/run3.log" ||
	{ cat "$W/run3.log"; fail "the log does not say the hook was killed after its timeout"; }
[ -s "$OUT/hang.pid" ] && [ -s "$OUT/hang.child" ] || fail "the hanging hook did not start"
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_until 10 gone "$(cat "$OUT/hang.pid")" || fail "the hanging hook still runs"
wait_until 10 gone "$(cat "$OUT/hang.child")" || fail "the hanging hook's child still runs"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name_lower'")" = 0 ] ||
	fail "expand ran although its before-hook was killed"
ok "a hook that hangs is killed with its child after hook_timeout, and its phase does not start"
