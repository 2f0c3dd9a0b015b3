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

# The schema as pg_dump sees it, minus pgstep's own state schema.
schema_dump() {
	pg_dump --schema-only --no-owner --exclude-schema=pgstep ${1:+-d "$1"} | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' | sed '/^$/d'
}

# A checksum of a table's rows in key order.
table_checksum() {
	q "SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM $1 t"
}

tmpdir_for_test() {
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-$TEST_NAME.XXXXXX")
	chmod 755 "$TEST_TMP"
}
