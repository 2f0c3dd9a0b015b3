#!/bin/sh
# Connection failures: libpq's own message, exit 1, never the password.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

# A user that must give a password (the rest of the cluster trusts).
q "CREATE ROLE pwuser LOGIN PASSWORD 'right-password'" >/dev/null
hba=$PGTEST_DIR/data/pg_hba.conf
{ echo "local all pwuser scram-sha-256"; cat "$hba"; } >"$W/hba" && cat "$W/hba" >"$hba"
q "SELECT pg_reload_conf()" >/dev/null

expect_failure() {
	label=$1
	want=$2
	shift 2
	set +e
	"$PGSTEP" -P "$W/plans" "$@" status >"$W/out" 2>"$W/err"
	rc=$?
	set -e
	[ $rc = 1 ] || { cat "$W/err"; fail "$label: expected exit 1, got $rc"; }
	grep -q "$want" "$W/err" || { cat "$W/err"; fail "$label: libpq's message missing ($want)"; }
	if grep -q "s3cret" "$W/err" "$W/out"; then
		cat "$W/err"
		fail "$label: the password was printed"
	fi
	ok "$label: exit 1 with \"$want\", no password"
}

expect_failure "wrong password" "password authentication failed" \
	-d "host=$PGHOST user=pwuser dbname=postgres password=s3cret"
expect_failure "wrong password in a URI" "password authentication failed" \
	-d "postgresql://pwuser:s3cret@/postgres?host=$PGHOST"
expect_failure "wrong database" "database \"nosuchdb\" does not exist" \
	-d "host=$PGHOST dbname=nosuchdb password=s3cret"
expect_failure "bad host" "No such file or directory" \
	-d "host=/nonexistent/socket/dir dbname=postgres password=s3cret"
expect_failure "malformed conninfo" "missing \"=\"" \
	-d "host=$PGHOST password=s3cret broken"

# The right password works, and PG* variables are honoured as in psql.
PGPASSWORD=right-password PGUSER=pwuser "$PGSTEP" -P "$W/plans" status >/dev/null ||
	fail "PG* variables and the right password did not connect"
ok "PGUSER/PGPASSWORD honoured"
