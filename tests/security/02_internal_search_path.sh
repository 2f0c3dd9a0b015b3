#!/bin/sh
# Issue 14, item 2: pgstep's own queries must not resolve functions through
# the user's search_path. A role with CREATE on public defines functions
# that overload built-ins pgstep calls with an exact match where
# pg_catalog's is polymorphic or needs a cast (array_to_json, which status
# calls on a text[]; quote_ident, which the backfill calls on a name), each
# of which makes that role a superuser when it runs as one.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 2000
cat >"$W/plans/0001_rename.yaml" <<'YAML'
operations:
  - rename_column: {table: users, from: email, to: mail}
YAML

cat >"$W/mallory.sql" <<'SQL'
\set ON_ERROR_STOP on
CREATE ROLE mallory LOGIN;
GRANT CREATE, USAGE ON SCHEMA public TO mallory;
SET ROLE mallory;
CREATE FUNCTION public.escalate() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE 'ALTER ROLE mallory SUPERUSER';
  END IF;
END $$;
-- text[] is an exact match where pg_catalog's takes anyarray
CREATE FUNCTION public.array_to_json(text[]) RETURNS json LANGUAGE plpgsql AS $$
BEGIN
  PERFORM public.escalate();
  RETURN pg_catalog.array_to_json($1);
END $$;
-- unknown and name arguments resolve to an exact text match first
CREATE FUNCTION public.quote_ident(name) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM public.escalate();
  RETURN pg_catalog.quote_ident($1::text);
END $$;
RESET ROLE;
SQL
psql -X -q -f "$W/mallory.sql" >/dev/null

# The user's own search_path puts public first, as a DBA's often does.
PGOPTIONS="-c search_path=public" "$PGSTEP" -P "$W/plans" run 0001_rename --to switch 2>"$W/run.log" ||
	{ cat "$W/run.log"; fail "the migration failed"; }
PGOPTIONS="-c search_path=public" "$PGSTEP" -P "$W/plans" status >"$W/status.out" 2>&1 ||
	{ cat "$W/status.out"; fail "status failed"; }
PGOPTIONS="-c search_path=public" "$PGSTEP" -P "$W/plans" status --json >"$W/status.json" 2>&1 ||
	{ cat "$W/status.json"; fail "status --json failed"; }
grep -q '"name": *"0001_rename"' "$W/status.json" || { cat "$W/status.json"; fail "status --json lists nothing"; }

[ "$(q "SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory'")" = f ] ||
	fail "mallory became a superuser through a function pgstep called"
ok "no function of public ran in pgstep's own queries or steps"
