# Throwaway PostgreSQL for a test script: source this file, call pg_start.
#
# The cluster lives in a fresh temp dir, listens only on a Unix socket in
# that dir (no TCP port, so tests run in parallel), runs as the `postgres`
# user when the test runs as root (root cannot run postgres), and is
# stopped and removed on exit, on failure and on interruption.
#
# PG_BINDIR holds the server (initdb, pg_ctl, postgres): Debian's by
# default, or one of build/pg/MAJOR (script/bootstrap --pg-matrix) for the
# other versions, which ship no client tools. PG_CLIENT_BINDIR holds the
# client tools (psql, pg_dump, pgbench): PG_BINDIR's own when it has them,
# else Debian's newest. pg_dump refuses a server newer than itself: see
# schema_dump in common.sh.
#
# One initdb per server version: the first test to start a cluster makes a
# template data directory (under PGTEST_TEMPLATE_ROOT, by default the
# build), every test copies it (a copy is cheaper than an initdb).
#
# After pg_start: PGHOST, PGUSER, PGDATABASE are exported (psql and pgstep
# need no flags), and PGTEST_CONNINFO holds the same as a conninfo string.

: "${PG_BINDIR:=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "${PG_CLIENT_BINDIR:-}" ]; then
	if [ -x "$PG_BINDIR/pg_dump" ]; then
		PG_CLIENT_BINDIR=$PG_BINDIR
	else
		PG_CLIENT_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	fi
fi
export PG_BINDIR PG_CLIENT_BINDIR

pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	# Background helpers of the test (writers, pgstep runs) go first.
	for _job in $(jobs -p 2>/dev/null); do
		kill "$_job" 2>/dev/null || true
	done
	if [ -n "${PGTEST_DIR:-}" ] && [ -d "$PGTEST_DIR" ]; then
		if [ -f "$PGTEST_DIR/data/postmaster.pid" ]; then
			pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PGTEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
		rm -rf "$PGTEST_DIR"
	fi
	PGTEST_DIR=
}

# pg_major [BINDIR]: the major version of BINDIR's postgres (or pg_dump).
pg_major() {
	_b=${1:-$PG_BINDIR}
	_p=$_b/postgres
	[ -x "$_p" ] || _p=$_b/pg_dump
	"$_p" --version | sed -n 's/^[^0-9]* \([0-9][0-9]*\)[.].*/\1/p'
}

# pg_template: the path of an initdb'ed data directory for PG_BINDIR,
# made once (under a lock, as tests start in parallel) and then reused.
pg_template() {
	_root=${PGTEST_TEMPLATE_ROOT:-${top_builddir:-${TMPDIR:-/tmp}}}/pg-template
	_ver=$("$PG_BINDIR/postgres" --version | tr -c 'A-Za-z0-9.\n' _)
	_tpl=$_root/$(printf '%s' "$PG_BINDIR" | cksum | cut -d' ' -f1)-$_ver
	if [ ! -f "$_tpl/data/PG_VERSION" ]; then
		mkdir -p "$_root"
		chmod 755 "$_root"
		(
			flock 9
			if [ ! -f "$_tpl/data/PG_VERSION" ]; then
				_new=$(mktemp -d "$_root/new.XXXXXX")
				chmod 755 "$_new"
				[ "$(id -u)" = 0 ] && chown postgres "$_new"
				if ! pg_as_owner "$PG_BINDIR/initdb" -D "$_new/data" -A trust -U postgres -E UTF8 \
					--locale=C.UTF-8 --no-sync >"$_new/initdb.log" 2>&1; then
					cat "$_new/initdb.log" >&2
					rm -rf "$_new"
					exit 1
				fi
				rm -rf "$_tpl"
				mv "$_new" "$_tpl"
			fi
		) 9>"$_root/lock" || return 1
	fi
	echo "$_tpl"
}

pg_start() {
	if [ ! -x "$PG_BINDIR/initdb" ]; then
		echo "pg.sh: no PostgreSQL server found (PG_BINDIR=$PG_BINDIR); run script/bootstrap" >&2
		exit 99
	fi
	PGTEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-test.XXXXXX")
	chmod 755 "$PGTEST_DIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PGTEST_DIR"
	trap 'pg_stop' EXIT
	trap 'pg_stop; exit 130' INT
	trap 'pg_stop; exit 143' TERM
	trap 'pg_stop; exit 129' HUP
	if ! _tpl=$(pg_template); then
		echo "pg.sh: initdb failed (PG_BINDIR=$PG_BINDIR)" >&2
		exit 99
	fi
	if ! cp -a "$_tpl/data" "$PGTEST_DIR/data"; then
		echo "pg.sh: copying the template data directory $_tpl/data failed" >&2
		exit 99
	fi
	if ! pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -w \
		-o "-k $PGTEST_DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PGTEST_SERVER_OPTS:-}" \
		start >/dev/null; then
		cat "$PGTEST_DIR/server.log" >&2
		exit 99
	fi
	PGHOST=$PGTEST_DIR
	PGUSER=postgres
	PGDATABASE=postgres
	PGTEST_CONNINFO="host=$PGTEST_DIR user=postgres dbname=postgres"
	export PGHOST PGUSER PGDATABASE PGTEST_CONNINFO PGTEST_DIR
	unset PGPORT PGSERVICE PGPASSWORD
}

# pg_restart [mode]: for fault tests.
pg_restart() {
	pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PGTEST_DIR/data" -m "${1:-fast}" -w restart \
		-o "-k $PGTEST_DIR -c listen_addresses= -c fsync=off -c max_connections=300" >/dev/null
}
