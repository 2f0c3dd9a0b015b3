#!/bin/sh
# Issue 14, item 1: partition_table's mirror trigger runs with pgstep's
# rights (SECURITY DEFINER). An application role with only DML on the table
# and the default TEMP right makes a temporary table of the copy's name,
# with a trigger, and writes to the table: its trigger must not run (as the
# migrating superuser), and the row must reach the real copy.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 2000
cp "$top_srcdir/plans/0004_partition_users_by_year.yaml" "$W/plans/"

q "CREATE ROLE app LOGIN;
   GRANT USAGE ON SCHEMA public TO app;
   GRANT SELECT, INSERT, UPDATE, DELETE ON users TO app;
   GRANT USAGE ON SEQUENCE users_id_seq TO app;
   GRANT TEMP ON DATABASE postgres TO app" >/dev/null

"$PGSTEP" -P "$W/plans" run 0004_partition_users_by_year --to expand 2>"$W/expand.log" ||
	{ cat "$W/expand.log"; fail "expand failed"; }

# The trap: a temporary table named as the copy, whose trigger makes app a
# superuser when it runs as one.
cat >"$W/trap.sql" <<'SQL'
\set ON_ERROR_STOP on
CREATE TEMP TABLE "_pgstep_users_part" (LIKE public.users);
CREATE FUNCTION pg_temp.trap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'ALTER ROLE app SUPERUSER';
  RETURN NEW;
END $$;
CREATE TRIGGER trap BEFORE INSERT ON "_pgstep_users_part" FOR EACH ROW EXECUTE FUNCTION pg_temp.trap();
SET search_path = public;
INSERT INTO users (name, email, age) VALUES ('trap', 'trap@example.com', '42');
SQL
# The insert may fail once the trap is refused; what matters is what it did.
psql -X -q -U app -f "$W/trap.sql" >"$W/trap.out" 2>&1 || true

[ "$(q "SELECT rolsuper FROM pg_roles WHERE rolname = 'app'")" = f ] ||
	{ cat "$W/trap.out"; fail "app became a superuser through the mirror trigger"; }
ok "a temporary table of the copy's name does not catch the mirror's write"

n=$(q "SELECT count(*) FROM public._pgstep_users_part WHERE name = 'trap'")
[ "$n" = 1 ] || { cat "$W/trap.out"; fail "the application's row is not in the partitioned copy ($n rows)"; }
ok "the row reached the real copy"

fn=$(q "SELECT array_to_string(proconfig, ' ') FROM pg_proc WHERE proname = '_pgstep_users_mirror'")
[ "$fn" = "search_path=pg_catalog, pg_temp" ] || fail "the mirror function's search_path is \"$fn\""
ok "the mirror function pins search_path = pg_catalog, pg_temp"
