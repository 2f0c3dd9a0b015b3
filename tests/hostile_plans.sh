#!/bin/sh
# Hostile and malformed plans (tests/hostile/, see its README) against a real
# PostgreSQL. A rejected plan must exit 2 with its expected FILE:LINE:COL
# message, before any SQL: the database dumps the same afterwards and the
# server never saw a connection from pgstep. A valid one must work end to
# end with its odd names quoted right: run to switch, checked, rolled back
# to the exact starting schema, then run through contract and checked. No
# run may crash (a signal, exit >= 128) or draw a sanitizer report.
set -eu
. "$top_srcdir/tests/lib/common.sh"
H=$top_srcdir/tests/hostile
# Generous: a hang (an alias bomb expanded, quadratic nesting) fails here.
LIMIT=${HOSTILE_TIMEOUT:-120}

pg_start
W=$PGTEST_DIR/work
mkdir -p "$W"
chmod 755 "$W"
# Every statement and connection in the server log, prefixed with the
# application_name: pgstep's are "pgstep:<migration>:<phase>" or "pgstep".
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
ALTER SYSTEM SET log_statement = 'all';
ALTER SYSTEM SET log_connections = on;
ALTER SYSTEM SET log_line_prefix = '[%a] ';
SELECT pg_reload_conf();
EOF
LOG=$PGTEST_DIR/server.log

# pgstep_do NAME ARGS...: runs pgstep under a time limit into $W/out and
# $W/err; $rc is its status. A crash, a hang or a sanitizer report fails.
pgstep_do() {
	_what=$1
	shift
	set +e
	timeout "$LIMIT" "$PGSTEP" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	set -e
	if [ "$rc" = 124 ]; then
		fail "$_what: pgstep $1 took more than ${LIMIT}s"
	fi
	if [ "$rc" -ge 128 ] ||
		grep -q -e 'Sanitizer' -e 'runtime error:' -e '^==[0-9]*==' "$W/err"; then
		head -c 4000 "$W/err" >&2
		fail "$_what: pgstep $1 crashed (exit $rc)"
	fi
}

# Schema and data, pgstep's state included, without the lines that change
# from one dump to the next.
# pg_dump's exit is checked and an empty dump refused: two empty dumps
# would compare equal.
full_dump() {
	"$PG_CLIENT_BINDIR/pg_dump" --no-owner "$@" >"$W/dump.raw" 2>"$W/dump.err" ||
		{ cat "$W/dump.err" >&2; fail "pg_dump failed"; }
	[ -s "$W/dump.raw" ] || fail "pg_dump printed nothing"
	grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^$' "$W/dump.raw" || fail "pg_dump printed only comments"
}

log_mark() {
	wc -c <"$LOG"
}

# The server log since MARK holds nothing from pgstep: no connection
# (logged with its application_name) and no statement.
no_pgstep_in_log() {
	if tail -c "+$(($1 + 1))" "$LOG" | grep -q -e '^\[pgstep' -e 'application_name=pgstep'; then
		tail -c "+$(($1 + 1))" "$LOG" | grep -e '^\[pgstep' -e 'application_name=pgstep' | head -n 5 >&2
		fail "$2: pgstep talked to the server"
	fi
}

# expect_rejected NAME FILE WANT...: both show and run exit 2, print each
# WANT (FILE followed by it, so the position is checked too), print nothing
# but "FILE:LINE:COL: message" or "FILE: message" lines, and leave the
# database as it was.
expect_rejected() {
	_name=$1
	_file=$2
	shift 2
	_mark=$(log_mark)
	for _cmd in show run; do
		if [ "$_cmd" = show ]; then
			pgstep_do "$_name" show "$_file"
		else
			pgstep_do "$_name" run "$_file" --to contract
		fi
		if [ "$rc" != 2 ]; then
			head -c 2000 "$W/err" >&2
			fail "$_name: pgstep $_cmd exited $rc, not 2"
		fi
		for _want in "$@"; do
			if ! grep -q -F -e "$_file$_want" "$W/err"; then
				echo "expected: $_file$_want" >&2
				echo "got:" >&2
				head -c 2000 "$W/err" >&2
				fail "$_name: pgstep $_cmd did not give the expected message"
			fi
		done
		# Every line is one diagnostic with the file's name first.
		if awk -v f="$_file" 'index($0, f ": ") != 1 && !(index($0, f ":") == 1 &&
			substr($0, length(f) + 1) ~ /^:[0-9]+:[0-9]+: ./) { bad = 1 } END { exit !bad }' "$W/err"; then
			head -c 2000 "$W/err" >&2
			fail "$_name: pgstep $_cmd printed a line that is not FILE:LINE:COL: message"
		fi
		if [ -s "$W/out" ]; then
			fail "$_name: pgstep $_cmd printed to stdout"
		fi
	done
	full_dump >"$W/after.sql"
	cmp -s "$W/before.sql" "$W/after.sql" || {
		diff -u "$W/before.sql" "$W/after.sql" | head -n 40 >&2
		fail "$_name: the database changed"
	}
	no_pgstep_in_log "$_mark" "$_name"
}

# sql_true FILE WHAT: the query in FILE returns t.
sql_true() {
	_got=$(psql -X -At -v ON_ERROR_STOP=1 -f "$1" 2>&1) || true
	[ "$_got" = t ] || fail "$2 (${1##*/} gave: $_got)"
}

# expect_valid NAME FILE: end to end in a database of its own, a copy of
# hostile_template (the example schema with 2000 users).
expect_valid() {
	_name=$1
	_file=$2
	_base=$H/$_name
	PGDATABASE=h_$_name
	export PGDATABASE
	createdb -T hostile_template "$PGDATABASE"
	if [ -f "$_base.setup.sql" ]; then
		psql -X -q -v ON_ERROR_STOP=1 -f "$_base.setup.sql" >/dev/null
	fi
	# The schema: a rollback leaves values an in-place fill (nullable:
	# false with up) wrote, as the example plans' tests also allow.
	schema_dump >"$W/valid.before"
	pgstep_do "$_name" show "$_file"
	[ "$rc" = 0 ] || { cat "$W/err" >&2; fail "$_name: show exited $rc"; }
	pgstep_do "$_name" run "$_file" --to switch
	[ "$rc" = 0 ] || { tail -n 30 "$W/err" >&2; fail "$_name: run --to switch exited $rc"; }
	sql_true "$_base.switch.sql" "$_name: after switch, the objects are not as the plan says"
	for _phase in switch backfill expand; do
		pgstep_do "$_name" rollback "$_file"
		[ "$rc" = 0 ] || { tail -n 30 "$W/err" >&2; fail "$_name: rollback of $_phase exited $rc"; }
	done
	schema_dump >"$W/valid.after"
	diff -u "$W/valid.before" "$W/valid.after" >&2 || fail "$_name: rolled back, the database is not as it was"
	pgstep_do "$_name" run "$_file" --to contract
	[ "$rc" = 0 ] || { tail -n 30 "$W/err" >&2; fail "$_name: run --to contract exited $rc"; }
	sql_true "$_base.end.sql" "$_name: after contract, the objects are not as the plan says"
	PGDATABASE=postgres
}

# ---- the corpus ----
load_users 2000
createdb hostile_template
load_users 2000 hostile_template
full_dump >"$W/before.sql"
n_rejected=0
n_valid=0
for expect in "$H"/*.expect; do
	name=$(basename "$expect" .expect)
	file=
	for f in "$H/$name".*; do
		case $f in
		*.expect | *.sql) ;;
		*) file=$f ;;
		esac
	done
	[ -n "$file" ] || fail "$name: no plan file beside $expect"
	line=$(grep -v -e '^#' -e '^$' "$expect" | head -n 1)
	case $line in
	valid)
		expect_valid "$name" "$file"
		n_valid=$((n_valid + 1))
		ok "$name: valid, run, rolled back exactly and contracted"
		;;
	"reject: "*)
		# one argument per "reject: " line (messages hold no newline)
		set --
		while IFS= read -r want; do
			case $want in
			"reject: "*) set -- "$@" "${want#reject: }" ;;
			esac
		done <"$expect"
		expect_rejected "$name" "$file" "$@"
		n_rejected=$((n_rejected + 1))
		ok "$name: rejected with ${line#reject: }"
		;;
	*)
		fail "$expect: the first line must be \"valid\" or \"reject: MESSAGE\""
		;;
	esac
done

# The log check above sees pgstep when it does connect.
_mark=$(log_mark)
pgstep_do status status
if (no_pgstep_in_log "$_mark" status) 2>/dev/null; then
	fail "the server log does not show pgstep's connections: the check of rejected plans proves nothing"
fi

# ---- made at run time: what git should not hold ----

# A directory where a plan should be.
mkdir "$W/a_directory.yaml"
expect_rejected a_directory "$W/a_directory.yaml" ": cannot read: Is a directory"
ok "a directory: rejected"

# A file pgstep may not read (root reads anything: run as nobody then).
cp "$H/ident_quotes.yaml" "$W/unreadable.yaml"
chmod 000 "$W/unreadable.yaml"
if [ "$(id -u)" = 0 ]; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
	set +e
	as_nobody "$PGSTEP" show "$W/unreadable.yaml" >"$W/out" 2>"$W/err"
	rc=$?
	set -e
else
	pgstep_do unreadable show "$W/unreadable.yaml"
fi
[ "$rc" -lt 128 ] || fail "unreadable file: pgstep crashed (exit $rc)"
[ "$rc" = 2 ] && grep -q -F "$W/unreadable.yaml: cannot open: Permission denied" "$W/err" || {
	cat "$W/err" >&2
	fail "unreadable file: exit $rc"
}
ok "an unreadable file: rejected"

# 10 MB of operations whose last one is broken: every line read, the
# position right at the end, in bounded time.
{
	echo "operations:"
	yes '  - drop_index: {name: some_index_that_is_not_there}' | head -n 200000
	echo '  - drop_index: {name: the_last_one, cascade: true}'
} >"$W/ten_megabytes.yaml"
expect_rejected ten_megabytes "$W/ten_megabytes.yaml" \
	':200002:38: unknown key "cascade" in drop_index'
ok "a 10 MB plan: rejected at line 200002"

# 10 MB of '[': libyaml's scanner would take hours over it.
{
	printf 'operations: '
	head -c 10485760 /dev/zero | tr '\0' '['
} >"$W/ten_megabytes_deep.yaml"
expect_rejected ten_megabytes_deep "$W/ten_megabytes_deep.yaml" ":1:76: nested deeper than 64 levels"
ok "10 MB of nesting: rejected"

# Over the size limit.
{
	echo "operations:"
	yes '  - drop_index: {name: some_index_that_is_not_there}' | head -n 340000
} >"$W/seventeen_megabytes.yaml"
expect_rejected seventeen_megabytes "$W/seventeen_megabytes.yaml" ": the file is larger than 16 MiB"
ok "a 17 MB plan: rejected"

[ "$n_rejected" -ge 30 ] && [ "$n_valid" -ge 5 ] || fail "only $n_rejected rejected and $n_valid valid plans in $H"
ok "$n_rejected rejected and $n_valid valid plans from tests/hostile, 5 made at run time"
