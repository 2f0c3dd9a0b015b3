# Throwaway PostgreSQL for a test script: source this file, call pg_start.
#
# The cluster lives in a fresh temp dir, listens only on a Unix socket in
# that dir (no TCP port, so tests run in parallel), runs as the `postgres`
# user when the test runs as root (root cannot run postgres), and is
# stopped and removed on exit, on failure and on interruption.
#
# After pg_start: PGHOST, PGUSER, PGDATABASE are exported (psql and pgstep
# need no flags), and PGTEST_CONNINFO holds the same as a conninfo string.

: "${PG_BINDIR:=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

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
	if ! pg_as_owner "$PG_BINDIR/initdb" -D "$PGTEST_DIR/data" -A trust -U postgres -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$PGTEST_DIR/initdb.log" 2>&1; then
		cat "$PGTEST_DIR/initdb.log" >&2
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
