#!/bin/sh
# Issue 14, item 3: the fill and sync trigger functions pgstep creates run
# for every writer of the table. They must pin their search_path: the
# plan's expressions resolve in the table's schema (and pg_catalog) only,
# whoever writes, and the functions' own calls (to_jsonb) never reach a
# function another role defined in a schema on the writer's path.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 2000
cat >"$W/plans/0001_tag.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: tag, type: text, nullable: true}
      up: tag_of(name)
YAML

cat >"$W/setup.sql" <<'SQL'
\set ON_ERROR_STOP on
CREATE FUNCTION public.tag_of(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'public:' || $1 $$;
CREATE ROLE mallory LOGIN;
GRANT CREATE, USAGE ON SCHEMA public TO mallory;
CREATE SCHEMA evil AUTHORIZATION mallory;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
SET ROLE mallory;
CREATE FUNCTION evil.tag_of(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'evil:' || $1 $$;
-- an exact match for the row type, where pg_catalog's takes anyelement
CREATE FUNCTION public.to_jsonb(public.users) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE 'ALTER ROLE mallory SUPERUSER';
  END IF;
  RETURN pg_catalog.to_jsonb($1);
END $$;
RESET ROLE;
SQL
psql -X -q -f "$W/setup.sql" >/dev/null

"$PGSTEP" -P "$W/plans" run 0001_tag --to expand 2>"$W/expand.log" || { cat "$W/expand.log"; fail "expand failed"; }

# A superuser's session (a DBA's, a job's) updates a column up reads: the
# fill trigger compares the rows as jsonb.
psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE users SET name = 'renamed' WHERE id = 1" >/dev/null
[ "$(q "SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory'")" = f ] ||
	fail "mallory became a superuser through the fill trigger"
ok "the fill trigger's to_jsonb is pg_catalog's, whoever writes"

# A writer whose search_path puts another schema first gets the plan's
# function, as the backfill does.
PGOPTIONS="-c search_path=evil,public" psql -X -q -v ON_ERROR_STOP=1 \
	-c "INSERT INTO users (name, email, age) VALUES ('writer', 'w@example.com', '30')" >/dev/null
got=$(q "SELECT tag FROM users WHERE name = 'writer'")
[ "$got" = "public:writer" ] || fail "the fill trigger computed up on the writer's search_path: \"$got\""
got=$(q "SELECT tag FROM users WHERE id = 1")
[ "$got" = "public:renamed" ] || fail "the update's value is \"$got\""
ok "up resolves in the table's schema whatever the writer's search_path"

cfg=$(q "SELECT array_to_string(proconfig, ' ') FROM pg_proc WHERE proname = '_pgstep_users_tag_fill'")
[ "$cfg" = 'search_path=pg_catalog, public, pg_temp' ] || fail "the fill function's search_path is \"$cfg\""
ok "the fill function pins search_path = pg_catalog, public, pg_temp"
