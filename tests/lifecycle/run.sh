#!/bin/bash
# run.sh CASE: the life of one lifecycle case (tests/lifecycle/CASE, see
# README) against a throwaway PostgreSQL:
#
#   1. setup.sql; the starting schema recorded (describe.sql and pg_dump);
#      an oracle database gets setup.sql and plain.sql, the same change as
#      plain DDL, and its description is the expected end schema.
#   2. run --to backfill; old.sql and new.sql write; open.sql holds.
#   3. rollback until pending: exactly the starting schema, no helper left,
#      the rows (as the old schema reads them) as they were while open
#      (unless rollback.rewrites says which rows the rollback rewrites);
#      rolledback.sql holds.
#   4. run --to switch, rollback until pending: the starting schema and
#      the rows of step 3 again, no helper left.
#   5. run --to contract: the oracle's schema, no helper left; end.sql holds.
#
# A case with a file `versioned` runs with a versioned schema public_CASE:
# the new application writes through its views, which must show what the
# oracle's tables show, and after contract the schema stays, alone.
#
# Every phase and every rollback runs alone (one pgstep call each) through
# the oracle (tests/lib/oracle.sh): no table that was there before it is
# rewritten (contract may rewrite only what it drops; a rollback nothing),
# no statement scans a table with rows under a lock that blocks writes, and
# no such lock is held longer than a scan-free statement takes. Its record
# of every step (lock, table size, time) is oracle.log in the work files.
set -euo pipefail
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/oracle.sh"
CASE=$1
L=$top_srcdir/tests/lifecycle
C=$L/$CASE
TEST_NAME=lifecycle_$CASE
[ -d "$C" ] || fail "no case directory $C"

plan=
for f in "$C/plan.yaml" "$C/plan.json"; do
	if [ -f "$f" ]; then
		[ -z "$plan" ] || fail "$CASE has both plan.yaml and plan.json"
		plan=$f
	fi
done
[ -n "$plan" ] || fail "$CASE has no plan.yaml or plan.json"
for f in setup.sql plain.sql old.sql new.sql open.sql end.sql; do
	[ -f "$C/$f" ] || fail "$CASE has no $f"
done

# A versioned case: the migration makes the versioned schema public_CASE
# (pgroll's schema_migration), because the plan says so (settings:
# {version_schema: true}) or else because every pgstep call of the case
# gets --version-schema.
VSCHEMA=
VFLAG=
if [ -f "$C/versioned" ]; then
	VSCHEMA=public_$CASE
	[ "${#VSCHEMA}" -le 63 ] || fail "the versioned schema name $VSCHEMA is longer than 63 bytes"
	grep -q version_schema "$plan" || VFLAG=--version-schema
elif grep -q version_schema "$plan"; then
	fail "$CASE's plan names version_schema, but the case has no file versioned"
fi

pg_start
# min_server: the case needs that PostgreSQL major or later (the file's
# first word; the rest of its line says why); on an older server it is
# skipped (exit 77), saying so.
if [ -f "$C/min_server" ]; then
	read -r _min _why <"$C/min_server" || true
	case $_min in '' | *[!0-9]*) fail "$CASE/min_server does not start with a major version" ;; esac
	if [ "$(pg_server_major)" -lt "$_min" ]; then
		echo "SKIP: $TEST_NAME needs PostgreSQL $_min or later: $_why"
		exit 77
	fi
fi
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
# LIFECYCLE_KEEP=DIR keeps the work files (descriptions, dumps, pgstep.log).
if [ -n "${LIFECYCLE_KEEP:-}" ]; then
	trap 'rm -rf "$LIFECYCLE_KEEP/$CASE"; mkdir -p "$LIFECYCLE_KEEP"; cp -r "$W" "$LIFECYCLE_KEEP/$CASE"; pg_stop' EXIT
fi
# The plan under the case's name: the file name gives the migration name.
cp "$plan" "$W/plans/$CASE.${plan##*.}"
q "CREATE DATABASE lifecycle" >/dev/null
q "CREATE DATABASE oracle" >/dev/null
PGDATABASE=lifecycle
export PGDATABASE

# sql_file FILE [DB]: runs FILE, stopping at its first error.
sql_file() {
	psql -X -q -v ON_ERROR_STOP=1 ${2:+-d "$2"} -f "$1" >"$W/psql.out" 2>&1 ||
		{ cat "$W/psql.out" >&2; fail "$(basename "$1") failed${2:+ in database $2}"; }
}
# The two applications. The new one is run here alone, so that it can be
# pointed at the versioned schema in one place: it then writes through the
# views, by the new names and types.
as_old_app() {
	PGAPPNAME=lifecycle:old sql_file "$1"
}
as_new_app() {
	if [ -n "$VSCHEMA" ]; then
		PGAPPNAME=lifecycle:new PGOPTIONS="-c search_path=$VSCHEMA" sql_file "$1"
	else
		PGAPPNAME=lifecycle:new sql_file "$1"
	fi
}

# describe [DB [VSCHEMA]]: describe.sql, leaving out the schema VSCHEMA.
describe() {
	psql -X -q -At -v ON_ERROR_STOP=1 ${1:+-d "$1"} ${2:+-v vschema="$2"} -f "$L/describe.sql" >"$W/describe.out" 2>&1 ||
		{ cat "$W/describe.out" >&2; fail "describe.sql failed"; }
	cat "$W/describe.out"
}

# columns SCHEMA [DB]: what an application sees in SCHEMA (columns.sql).
columns() {
	psql -X -q -At -v ON_ERROR_STOP=1 ${2:+-d "$2"} -v schema="$1" -f "$L/columns.sql" >"$W/columns.out" 2>&1 ||
		{ cat "$W/columns.out" >&2; fail "columns.sql failed"; }
	cat "$W/columns.out"
}

# same_schema EXPECTED ACTUAL WHAT: the two descriptions (or dumps) are
# equal, and not empty (an empty one is a tool that failed).
same_schema() {
	[ -s "$1" ] || fail "$3: $(basename "$1") is empty"
	[ -s "$2" ] || fail "$3: $(basename "$2") is empty"
	diff -u "$1" "$2" >"$W/diff.out" || {
		cat "$W/diff.out" >&2
		fail "$3 (diff above: - expected, + actual)"
	}
}

# no_helpers_left WHEN [VSCHEMA]: helpers.sql, VSCHEMA allowed (views only).
no_helpers_left() {
	psql -X -q -At -v ON_ERROR_STOP=1 ${2:+-v vschema="$2"} -f "$L/helpers.sql" >"$W/helpers.out" 2>&1 ||
		{ cat "$W/helpers.out" >&2; fail "helpers.sql failed"; }
	if [ -s "$W/helpers.out" ]; then
		sed 's/^/  /' "$W/helpers.out" >&2
		fail "pgstep's helpers are left $1 (above)"
	fi
}

# check FILE WHEN: every query of FILE (each ends with a line that ends in
# `;`) must return exactly `t`; the first that does not is printed. The
# queries run in order in one session, each after a marker line, after
# checkfns.sql has made the functions they may use (in pg_temp).
check() {
	[ -f "$C/$1" ] || return 0
	rm -rf "$W/checks"
	mkdir "$W/checks"
	awk -v dir="$W/checks" '
		function flush() {
			# a chunk of comments alone checks nothing
			if (buf ~ /(^|\n)[ \t]*[^- \t\n]/) { n++; printf "%s", buf > (dir "/q" n); close(dir "/q" n) }
			buf = ""
		}
		{ buf = buf $0 "\n" }
		/;[ \t]*$/ { flush() }
		END { flush(); print n + 0 > (dir "/count") }
	' "$C/$1"
	_n=$(cat "$W/checks/count")
	[ "$_n" -gt 0 ] || fail "$1 has no query"
	cp "$L/checkfns.sql" "$W/checks/all.sql"
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_i=$((_i + 1))
		printf '\\echo @@check %s\n' "$_i"
		cat "$W/checks/q$_i"
	done >>"$W/checks/all.sql"
	psql -X -q -At -v ON_ERROR_STOP=1 -f "$W/checks/all.sql" >"$W/checks/out" 2>"$W/checks/err" || true
	awk -v dir="$W/checks" '
		/^@@check [0-9]+$/ { f = dir "/r" $2; printf "" > f; next }
		f { print > f }
	' "$W/checks/out"
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_i=$((_i + 1))
		if [ ! -f "$W/checks/r$_i" ] || [ "$(cat "$W/checks/r$_i")" != t ]; then
			echo "---- $CASE/$1, query $_i:" >&2
			cat "$W/checks/q$_i" >&2
			echo "---- returned:" >&2
			[ -f "$W/checks/r$_i" ] && cat "$W/checks/r$_i" >&2
			cat "$W/checks/err" >&2
			fail "$1 does not hold $2 (query $_i above)"
		fi
	done
}

migration_state() {
	q "SELECT coalesce((SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$CASE'), 'none')" 2>/dev/null ||
		echo none
}

# From the work directory: pgstep takes NAME as a path first, and the
# directory of the case, where make check may run, has the case's name.
pgstep_do() {
	echo "== pgstep${VFLAG:+ $VFLAG} $*" >>"$W/pgstep.log"
	(cd "$W" && "$PGSTEP" $VFLAG -P "$W/plans" "$@") >>"$W/pgstep.log" 2>&1 ||
		{ tail -n 40 "$W/pgstep.log" >&2; fail "pgstep $* failed (state: $(migration_state))"; }
}

# The rows of every table there is at the start, as the old schema reads
# them (its columns, by name), sorted: a rollback must give them back as
# they were while the migration was open.
rows_query() {
	q "SELECT string_agg(format('SELECT %L, x::text FROM (SELECT %s FROM %I) x ORDER BY x::text COLLATE \"C\";',
	                             c.relname,
	                             (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attname)
	                              FROM pg_attribute a
	                              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
	                             c.relname), E'\n' ORDER BY c.relname)
	   FROM pg_class c
	   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
}
rows() {
	if [ -s "$W/rows.sql" ]; then
		psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -f "$W/rows.sql" >"$1" 2>"$W/rows.err" ||
			{ cat "$W/rows.err" >&2; fail "reading the rows of the starting tables failed"; }
	else
		: >"$1"
	fi
}

# The versioned schema is there, and its views show what the oracle's tables
# show: the same relations and columns, by name, type and position.
versioned_shows_oracle() {
	[ "$(q "SELECT to_regnamespace('$VSCHEMA') IS NOT NULL")" = t ] || fail "there is no versioned schema $VSCHEMA $1"
	columns "$VSCHEMA" >"$W/$2.columns"
	same_schema "$W/oracle.columns" "$W/$2.columns" "the views of $VSCHEMA $1 do not show what the oracle's tables show"
}
# After contract, every view of the versioned schema reads all the rows of
# public's relation of its name.
versioned_views_read() {
	q "SELECT string_agg(format('SELECT %L, (SELECT count(*) FROM %I.%I) = (SELECT count(*) FROM public.%I);',
	                             c.relname, '$VSCHEMA', c.relname, c.relname), E'\n' ORDER BY c.relname)
	   FROM pg_class c WHERE c.relnamespace = '$VSCHEMA'::regnamespace AND c.relkind = 'v'" >"$W/views.sql"
	psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -f "$W/views.sql" >"$W/views.out" 2>&1 ||
		{ cat "$W/views.out" >&2; fail "reading through the views of $VSCHEMA failed after contract"; }
	if grep -v ' t$' "$W/views.out" >&2; then
		fail "the views of $VSCHEMA above do not read the rows of their tables after contract"
	fi
}

# ---- 1. the start, and the oracle ----
sql_file "$C/setup.sql"
ORACLE_LOG=$W/oracle.log
oracle_install
oracle_measure
describe >"$W/start.desc"
schema_dump >"$W/start.dump"
rows_query >"$W/rows.sql"
sql_file "$C/setup.sql" oracle
sql_file "$C/plain.sql" oracle
describe oracle >"$W/oracle.desc"
[ -z "$VSCHEMA" ] || columns public oracle >"$W/oracle.columns"
if cmp -s "$W/start.desc" "$W/oracle.desc"; then
	fail "plain.sql changes nothing that describe.sql sees"
fi
ok "$CASE: set up; the oracle ran plain.sql"

# run_phases PHASE...: pgstep run CASE --to PHASE, one call per phase, each
# through the oracle.
run_phases() {
	for _ph in "$@"; do
		oracle_phase "$_ph" pgstep_do run "$CASE" --to "$_ph"
	done
}

# ---- 2. open: expanded and backfilled, both applications write ----
run_phases expand backfill
[ "$(migration_state)" = "backfill ok" ] || fail "after run --to backfill, the migration is $(migration_state), not backfill ok"
if [ -n "$VSCHEMA" ]; then
	versioned_shows_oracle "while open" open
	ok "$CASE: open; the views of $VSCHEMA show the new version as the oracle's tables"
fi
as_old_app "$C/old.sql"
as_new_app "$C/new.sql"
check open.sql "while the migration is open"
ok "$CASE: open; both applications' writes are in both representations"
rows "$W/open.rows"

# back_to_start N WHEN TAG: pgstep rollback until pending, which must take
# N rollbacks (one per phase done); then exactly the starting schema (its
# description and pg_dump) and no helper; the rows go to $W/TAG.rows.
back_to_start() {
	_i=0
	_state=$(migration_state)
	while [ "$_state" != "pending ok" ] && [ "$_state" != none ]; do
		_i=$((_i + 1))
		[ "$_i" -le $(($1 + 2)) ] || fail "still $_state after $((_i - 1)) rollbacks $2"
		oracle_phase "rollback of ${_state%% *}" pgstep_do rollback "$CASE"
		_state=$(migration_state)
	done
	[ "$_i" -eq "$1" ] || fail "$_i rollbacks took the migration back to pending $2, not $1"
	if [ -n "$VSCHEMA" ]; then
		[ "$(q "SELECT to_regnamespace('$VSCHEMA') IS NULL")" = t ] || fail "the versioned schema $VSCHEMA is left $2"
	fi
	describe >"$W/$3.desc"
	same_schema "$W/start.desc" "$W/$3.desc" "the description $2 is not the starting one"
	schema_dump >"$W/$3.dump"
	same_schema "$W/start.dump" "$W/$3.dump" "pg_dump --schema-only $2 is not the starting one"
	no_helpers_left "$2"
	rows "$W/$3.rows"
}

# ---- 3. rolled back to pending (backfill, expand) ----
back_to_start 2 "after rolling back" rolledback
if [ -f "$C/rollback.rewrites" ]; then
	# The rollback rewrites rows by design (the file says which and why);
	# rolledback.sql must check them.
	[ -f "$C/rolledback.sql" ] || fail "$CASE has rollback.rewrites but no rolledback.sql to check the rewritten rows"
	check rolledback.sql "after rolling back"
	ok "$CASE: rolled back to the exact starting schema, no helper left; $(head -n 1 "$C/rollback.rewrites")"
else
	same_schema "$W/open.rows" "$W/rolledback.rows" "the rows (old schema's columns) are not those of the open migration"
	check rolledback.sql "after rolling back"
	ok "$CASE: rolled back to the exact starting schema, no helper left, no row changed"
fi

# ---- 4. through switch, and back: a DBA may roll back after switch too ----
rows "$W/unswitching.rows"	# rolledback.sql may have written
run_phases expand backfill switch
[ "$(migration_state)" = "switch ok" ] || fail "after run --to switch, the migration is $(migration_state), not switch ok"
back_to_start 3 "after rolling back from switch" unswitched
same_schema "$W/unswitching.rows" "$W/unswitched.rows" "the rows (old schema's columns) after rolling back from switch are not those before it"
ok "$CASE: through switch and rolled back to the exact starting schema, no helper left, no row changed"

# ---- 5. through contract ----
run_phases expand backfill switch contract
[ "$(migration_state)" = "contract done" ] || fail "after run --to contract, the migration is $(migration_state)"
# The migration's own versioned schema stays (the new application uses it
# until the next migration's contract): it alone is left out of the
# description and allowed by helpers.sql, with views only.
describe "" "$VSCHEMA" >"$W/end.desc"
same_schema "$W/oracle.desc" "$W/end.desc" "the schema after contract is not the one plain.sql makes"
no_helpers_left "after contract" "$VSCHEMA"
if [ -n "$VSCHEMA" ]; then
	versioned_shows_oracle "after contract" end
	versioned_views_read
fi
check end.sql "after contract"
oracle_summary
ok "$CASE: contracted to the schema of plain DDL, no helper left${VSCHEMA:+ but $VSCHEMA}, data right"
