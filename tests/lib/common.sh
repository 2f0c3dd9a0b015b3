# Helpers for the shell tests. Source after setting `set -eu`.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/build/default}"
: "${PGSTEP:=$top_builddir/pgstep}"

. "$top_srcdir/tests/lib/pg.sh"

TEST_NAME=$(basename "$0" .sh)
failures=0

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}

ok() {
	echo "ok - $*"
}

# wait_until SECONDS CMD...: polls CMD every 100 ms until it succeeds;
# false when the deadline passes (a bound, never a timing assertion).
wait_until() {
	_deadline=$(( $(date +%s) + $1 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

q() {
	psql -X -At -v ON_ERROR_STOP=1 -c "$1"
}

# rows_done [DB]: the rows the backfill checkpoints count (0 before there
# are any, or while the server is away); progressed_past N [DB]: more than N.
rows_done() {
	psql -X -At ${1:+-d "$1"} -c "SELECT coalesce(sum(rows_done), 0) FROM pgstep.backfill" 2>/dev/null || echo 0
}
progressed_past() {
	[ "$(rows_done ${2:+"$2"})" -gt "$1" ]
}

# load_users ROWS [DB]: the example schema with ROWS deterministic users.
load_users() {
	psql -X -q -v ON_ERROR_STOP=1 -v rows="$1" ${2:+-d "$2"} -f "$top_srcdir/plans/setup/users.sql" >/dev/null
}

# pg_server_major: the server's major version (14, 15, ...).
pg_server_major() {
	_v=$(psql -X -At -v ON_ERROR_STOP=1 -c "SHOW server_version_num") || fail "psql failed reading server_version_num"
	[ -n "$_v" ] || fail "psql printed no server_version_num"
	echo $((_v / 10000))
}

# schema_dump [DB]: the schema as pg_dump --schema-only sees it, minus
# pgstep's state schema and the oracle's (tests/lib/oracle.sql). pg_dump
# refuses a server newer than itself: then the schema is described from the
# catalogs instead (tests/lib/catalog_schema.sql), and the first line says
# so, so that both sides of a comparison name the tool that made them. A
# tool that fails, or prints nothing, fails the test: two empty dumps would
# compare equal.
schema_dump() {
	_sd_out=${PGTEST_DIR:?schema_dump needs pg_start}/schema_dump.$$
	_sd_major=$(pg_server_major)
	_sd_client=$(pg_major "$PG_CLIENT_BINDIR")
	[ -n "$_sd_client" ] || fail "cannot tell the version of $PG_CLIENT_BINDIR/pg_dump"
	if [ "$_sd_major" -gt "$_sd_client" ]; then
		echo "-- catalog description (pg_dump $_sd_client cannot dump a PostgreSQL $_sd_major server)"
		psql -X -q -At -v ON_ERROR_STOP=1 ${1:+-d "$1"} -f "$top_srcdir/tests/lib/catalog_schema.sql" \
			>"$_sd_out" 2>"$_sd_out.err" || { cat "$_sd_out.err" >&2; fail "catalog_schema.sql failed${1:+ on database $1}"; }
	else
		"$PG_CLIENT_BINDIR/pg_dump" --schema-only --no-owner --exclude-schema=pgstep --exclude-schema=pgstep_oracle \
			${1:+-d "$1"} >"$_sd_out" 2>"$_sd_out.err" || { cat "$_sd_out.err" >&2; fail "pg_dump failed${1:+ on database $1}"; }
	fi
	[ -s "$_sd_out" ] || fail "the schema dump${1:+ of database $1} is empty"
	grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^$' "$_sd_out" || fail "the schema dump${1:+ of database $1} has only comments"
	rm -f "$_sd_out" "$_sd_out.err"
}

# same_file EXPECTED ACTUAL WHAT: the two files are equal, and neither is
# empty (an empty file is a tool that failed, and two of them are equal).
same_file() {
	[ -s "$1" ] || fail "$3: $1 is empty"
	[ -s "$2" ] || fail "$3: $2 is empty"
	diff -u "$1" "$2" >&2 || fail "$3 (diff above: - expected, + actual)"
}

# A checksum of a table's rows in key order.
table_checksum() {
	q "SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM $1 t"
}

tmpdir_for_test() {
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-$TEST_NAME.XXXXXX")
	chmod 755 "$TEST_TMP"
}
