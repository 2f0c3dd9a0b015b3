#!/bin/sh
# Issue 14, item 4: schema pgstep must be the migrating role's. One that
# another role created first is refused, naming its owner, with nothing
# changed; PUBLIC gets nothing in pgstep's schema even when default
# privileges would give it; and a pause request written by a role that
# may not run migrations is refused.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 20000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb, nullable: true}
      up: build_json_from_legacy(id)
YAML
dump_before=$(q "SELECT md5(string_agg(attname || ':' || atttypid::regtype, ',' ORDER BY attnum)) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0")

# 1. Another role's schema pgstep.
q "CREATE ROLE mallory LOGIN; GRANT CREATE ON DATABASE postgres TO mallory" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -U mallory -c "CREATE SCHEMA pgstep" >/dev/null
set +e
"$PGSTEP" -P "$W/plans" run 0001_prefs --to expand >"$W/refused.out" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || { cat "$W/refused.out"; fail "pgstep ran with a schema pgstep that mallory owns"; }
grep -q "schema pgstep belongs to role mallory" "$W/refused.out" ||
	{ cat "$W/refused.out"; fail "the refusal does not name the owner"; }
[ "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = 'pgstep'::regnamespace")" = 0 ] ||
	fail "pgstep created tables in mallory's schema"
[ "$(q "SELECT md5(string_agg(attname || ':' || atttypid::regtype, ',' ORDER BY attnum)) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0")" = "$dump_before" ] ||
	fail "the table changed although pgstep refused"
set +e
"$PGSTEP" -P "$W/plans" status >"$W/status.out" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "belongs to role mallory" "$W/status.out" ||
	{ cat "$W/status.out"; fail "status believed mallory's schema"; }
ok "a schema pgstep of another role is refused, naming mallory, with nothing changed"
q "DROP SCHEMA pgstep" >/dev/null

# 2. Default privileges that would give PUBLIC everything pgstep creates.
q "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO PUBLIC;
   ALTER DEFAULT PRIVILEGES GRANT ALL ON SEQUENCES TO PUBLIC;
   CREATE ROLE app LOGIN;
   GRANT SELECT, UPDATE ON users TO app" >/dev/null
"$PGSTEP" -P "$W/plans" run 0001_prefs --to expand 2>"$W/expand.log" >/dev/null || { cat "$W/expand.log"; fail "expand failed"; }
[ "$(q "SELECT has_schema_privilege('app', 'pgstep', 'USAGE')")" = f ] || fail "PUBLIC may use schema pgstep"
for t in migrations steps backfill saved requests schema_version; do
	[ "$(q "SELECT has_table_privilege('app', 'pgstep.$t', 'SELECT, INSERT, UPDATE, DELETE')")" = f ] ||
		fail "PUBLIC has rights on pgstep.$t"
done
ok "PUBLIC has no right on schema pgstep or its tables"

# 3. A pause request recorded as written by a role that may not run
# migrations (app is not a member of the schema's owner) is refused by the
# running pgstep, and logged.
q "CREATE OR REPLACE FUNCTION public.build_json_from_legacy_slow(bigint) RETURNS jsonb LANGUAGE sql AS
     \$\$ SELECT pg_sleep(0.0005); SELECT build_json_from_legacy(\$1) \$\$" >/dev/null
"$PGSTEP" -P "$W/plans" rollback 0001_prefs 2>"$W/rollback.log" >/dev/null || { cat "$W/rollback.log"; fail "rollback failed"; }
# rolled back to pending, the plan may change: a slower backfill
sed -i 's/up: build_json_from_legacy(id)/up: build_json_from_legacy_slow(id)/' "$W/plans/0001_prefs.yaml"
"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill 2>"$W/backfill.log" &
run=$!
wait_until 60 progressed_past 200 || { cat "$W/backfill.log"; fail "the backfill made no progress"; }
# (a grant by mistake, made while the run goes on: pgstep would refuse to
# start with it). A request cannot be signed with another role's name.
q "GRANT USAGE ON SCHEMA pgstep TO app; GRANT INSERT ON pgstep.requests TO app;
   GRANT USAGE ON SEQUENCE pgstep.requests_id_seq TO app" >/dev/null
if psql -X -q -U app -c "INSERT INTO pgstep.requests (migration, request, request_by)
     VALUES ('0001_prefs', 'pause', '$PGUSER')" 2>"$W/forge.err"; then
	fail "app signed a request with the owner's name"
fi
grep -q "violates check constraint" "$W/forge.err" || { cat "$W/forge.err"; fail "the forged request failed for another reason"; }
psql -X -q -v ON_ERROR_STOP=1 -U app -c "INSERT INTO pgstep.requests (migration, request) VALUES ('0001_prefs', 'pause')" ||
	fail "app could not write its own request"
q "REVOKE ALL ON pgstep.requests FROM app; REVOKE ALL ON SEQUENCE pgstep.requests_id_seq FROM app;
   REVOKE ALL ON SCHEMA pgstep FROM app" >/dev/null
request_taken() { [ "$(q "SELECT count(*) FROM pgstep.requests")" = 0 ]; }
wait_until 30 request_taken || fail "the running pgstep never took the request"
wait $run || { cat "$W/backfill.log"; fail "the backfill failed"; }
[ "$(q "SELECT paused FROM pgstep.migrations")" = f ] || fail "the backfill paused on app's request"
grep -q "the pause request written by role app is refused" "$W/backfill.log" ||
	{ cat "$W/backfill.log"; fail "the refusal is not in the log"; }
ok "a request cannot be signed with another role; a pause request written by app is refused and logged"

# `pgstep pause` signs its request with the role that wrote it.
"$PGSTEP" -P "$W/plans" rollback 0001_prefs 2>"$W/rollback2.log" >/dev/null || { cat "$W/rollback2.log"; fail "rollback failed"; }
"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill 2>"$W/backfill2.log" &
run=$!
wait_until 60 progressed_past 200 || { cat "$W/backfill2.log"; fail "the backfill made no progress"; }
"$PGSTEP" pause 0001_prefs >"$W/pause.out" 2>&1 || { cat "$W/pause.out"; fail "pause failed"; }
paused() { [ "$(q "SELECT paused FROM pgstep.migrations")" = t ]; }
wait_until 30 paused || { cat "$W/backfill2.log"; fail "the pause of the owner's role was not applied"; }
"$PGSTEP" resume 0001_prefs >"$W/resume.out" 2>&1 || { cat "$W/resume.out"; fail "resume failed"; }
wait $run || { cat "$W/backfill2.log"; fail "the backfill failed after resume"; }
ok "a pause and a resume of the owner's role are applied"

# 4. A role that may not run migrations but may write pgstep's tables (a
# GRANT by mistake) could write anything pgstep reads: pgstep refuses to
# run until it is revoked.
q "GRANT USAGE ON SCHEMA pgstep TO app; GRANT SELECT, UPDATE ON pgstep.migrations TO app" >/dev/null
set +e
"$PGSTEP" -P "$W/plans" step 0001_prefs >"$W/granted.out" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || { cat "$W/granted.out"; fail "pgstep ran while app may write pgstep.migrations"; }
grep -q "app (UPDATE on migrations)" "$W/granted.out" || { cat "$W/granted.out"; fail "the refusal does not name app's right"; }
ok "pgstep refuses to run while a role that may not migrate can write its state"

# 5. The owner check compares roles by name: a role whose name needs
# quoting runs pgstep on a database of its own.
q "CREATE ROLE \"Mig.Rator\" SUPERUSER LOGIN" >/dev/null
q "CREATE DATABASE other OWNER \"Mig.Rator\"" >/dev/null
load_users 100 other
"$PGSTEP" -d "dbname=other user=Mig.Rator" -P "$W/plans" run 0001_prefs --to expand >"$W/quoted.out" 2>&1 ||
	{ cat "$W/quoted.out"; fail "pgstep cannot run as role \"Mig.Rator\""; }
[ "$(psql -X -At -d other -c "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'pgstep'")" = Mig.Rator ] ||
	fail "schema pgstep of database other is not Mig.Rator's"
"$PGSTEP" -d "dbname=other user=Mig.Rator" -P "$W/plans" status >"$W/quoted.status" 2>&1 ||
	{ cat "$W/quoted.status"; fail "status fails for role \"Mig.Rator\""; }
ok "a role whose name needs quoting owns and uses its schema pgstep"
