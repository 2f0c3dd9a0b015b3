#!/bin/bash
# Issue 14, item 8: redacting a password that is part of its own mask
# ("*", "**") ends. The server refuses the password of role "ops**", whose
# name its error quotes; libpq refuses a port "*": each pgstep exits with
# the error within a deadline instead of rewriting the message forever.
# A password the error quotes is still shown as *****.
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W"

q "CREATE ROLE \"ops**\" LOGIN PASSWORD 'the-right-one'" >/dev/null
# Passwords for that role on the socket, trust for the rest (the test's own).
pg_as_owner sh -c 'f=$1/data/pg_hba.conf; { echo "local all \"ops**\" scram-sha-256"; cat "$f"; } >"$f.new" && mv "$f.new" "$f"' \
	sh "$PGTEST_DIR"
[ "$(q "SELECT pg_reload_conf()")" = t ] || fail "reload failed"
refused() {
	! PGPASSWORD=wrong psql -X -At -U 'ops**' -c 'SELECT 1' >/dev/null 2>&1
}
wait_until 10 refused || fail "the server does not ask ops** for a password"

# try NAME CONNINFO NEEDLE: pgstep status exits 1 within the deadline and
# says NEEDLE.
try() {
	set +e
	timeout 20 "$PGSTEP" -d "$2" status >"$W/$1.out" 2>"$W/$1.err"
	rc=$?
	set -e
	[ $rc != 124 ] || fail "$1: pgstep was still redacting its error after 20 seconds"
	[ $rc = 1 ] || { cat "$W/$1.err"; fail "$1: expected exit 1, got $rc"; }
	grep -q -- "$3" "$W/$1.err" || { cat "$W/$1.err"; fail "$1: the error does not say \"$3\""; }
	ok "$1: refused, and said so: $(cat "$W/$1.err")"
}
try star "host=$PGHOST dbname=postgres user=ops** password=*" "password authentication failed"
try stars "host=$PGHOST dbname=postgres user=ops** password=**" "password authentication failed"
try port "host=$PGHOST dbname=postgres port=* password=*" "invalid integer value"
try echoed "host=$PGHOST dbname=postgres port=hunter2 password=hunter2" "invalid integer value"
if grep -q hunter2 "$W/echoed.err"; then
	cat "$W/echoed.err"
	fail "the password is in the error"
fi
grep -q '"\*\*\*\*\*"' "$W/echoed.err" || { cat "$W/echoed.err"; fail "the password is not shown as *****"; }
ok "a password the error quotes is shown as *****"
