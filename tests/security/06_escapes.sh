#!/bin/bash
# Issue 14, item 6: text other sessions wrote reaches no output raw. A lock
# holder's query text carrying an OSC title sequence (ESC ] ... BEL) and a
# C1 CSI, a server error quoting a value another role wrote, and a key
# value in the backfill's "not converted" warning: pgstep's stderr,
# `pgstep status`, `status --json` and the error columns of pgstep.steps
# and pgstep.migrations hold none of those bytes (and still the text).
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI=$(printf '\302\233')	# U+009B, the one-character CSI, as UTF-8

# raw FILE: true when FILE holds an ESC, a BEL or a C1 CSI byte sequence.
raw() {
	LC_ALL=C grep -q -e "$ESC" -e "$BEL" -e "$CSI" "$1"
}
# clean FILE WHAT: FILE names the planted text (sanitized) and holds none
# of the raw bytes.
clean() {
	grep -q "pwned" "$1" || { cat -v "$1"; fail "$2 does not show the other session's text at all"; }
	if raw "$1"; then
		cat -v "$1"
		fail "$2 holds raw control characters from another session"
	fi
}

q "CREATE ROLE app LOGIN;
   CREATE TABLE t (id int PRIMARY KEY, v text);
   CREATE TABLE k (k text PRIMARY KEY, v text);
   GRANT SELECT, INSERT ON t, k TO app" >/dev/null
# Values another role wrote, escapes and all.
psql -X -q -v ON_ERROR_STOP=1 -U app -c "INSERT INTO t VALUES (1, E'\\033]0;pwned\\007 \\u009b31m');
	INSERT INTO k VALUES (E'k\\033]0;pwned\\007', 'abc'), ('k2', '5')"
[ "$(q "SELECT count(*) FROM t WHERE strpos(v, chr(27)) > 0")" = 1 ] || fail "the planted value has no ESC"

cat >"$W/plans/0001_blocked.yaml" <<'YAML'
settings: {lock_timeout: 20ms, lock_retries: 3}
operations:
  - add_column:
      table: t
      column: {name: w, type: int, nullable: true}
YAML
cat >"$W/plans/0002_error.yaml" <<'YAML'
operations:
  - sql:
      up: SELECT v::int FROM t WHERE id = 1
      down: SELECT 1
YAML
cat >"$W/plans/0003_keys.yaml" <<'YAML'
operations:
  - alter_column:
      table: k
      column: v
      type: integer
      up: "CASE WHEN v ~ '^[0-9]+$' THEN v::integer END"
      down: v::text
YAML

# 1. A lock holder whose query text holds the sequences, open while
# pgstep's ADD COLUMN waits for its lock.
psql -X -q -U app -c "SELECT count(*) FROM t; SELECT pg_sleep(600) /* ${ESC}]0;pwned${BEL} ${CSI}31m */" \
	>/dev/null 2>&1 &
holding() {
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE a.usename = 'app' AND l.relation = 't'::regclass AND l.granted")" = 1 ]
}
wait_until 30 holding || fail "the blocker does not hold its lock"
set +e
"$PGSTEP" -P "$W/plans" step 0001_blocked 2>"$W/blocked.err"
rc=$?
set -e
[ $rc = 1 ] || { cat -v "$W/blocked.err"; fail "0001_blocked: expected exit 1 (lock not taken), got $rc"; }
grep -q "could not take the lock" "$W/blocked.err" || { cat -v "$W/blocked.err"; fail "0001_blocked did not fail on the lock"; }
clean "$W/blocked.err" "stderr of a step blocked by the holder"
ok "stderr names the blocker's query without its control characters"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app'" >/dev/null

# 2. A server error quoting the value another role wrote.
set +e
"$PGSTEP" -P "$W/plans" step 0002_error 2>"$W/error.err"
rc=$?
set -e
[ $rc = 1 ] || { cat -v "$W/error.err"; fail "0002_error: expected exit 1, got $rc"; }
grep -q "invalid input syntax for type integer" "$W/error.err" || { cat -v "$W/error.err"; fail "0002_error failed otherwise"; }
clean "$W/error.err" "stderr of a step whose server error quotes the value"
ok "stderr shows the server's error without its control characters"

# 3. A key value in the backfill's warning about rows not converted.
"$PGSTEP" -P "$W/plans" run 0003_keys --to backfill 2>"$W/keys.err" || { cat -v "$W/keys.err"; fail "0003_keys failed"; }
grep -q "not converted (keys " "$W/keys.err" || { cat -v "$W/keys.err"; fail "no warning naming the key not converted"; }
clean "$W/keys.err" "stderr of a backfill that lists a key"
ok "the backfill lists the key without its control characters"

# What was recorded, and what status prints of it.
psql -X -At -v ON_ERROR_STOP=1 -c "SELECT string_agg(error, ' | ' ORDER BY id) FROM pgstep.steps" >"$W/steps.txt"
clean "$W/steps.txt" "pgstep.steps.error"
psql -X -At -v ON_ERROR_STOP=1 -c "SELECT string_agg(error, ' | ' ORDER BY name) FROM pgstep.migrations" >"$W/migrations.txt"
clean "$W/migrations.txt" "pgstep.migrations.error"
ok "the error columns hold the errors without their control characters"

"$PGSTEP" -P "$W/plans" status >"$W/status.txt"
clean "$W/status.txt" "pgstep status"
"$PGSTEP" -P "$W/plans" status --json >"$W/status.json"
clean "$W/status.json" "pgstep status --json"
# json-c writes ESC as \u001b: the reader of the JSON gets it back raw
if grep -q -i -e '\\u001b' -e '\\u0007' -e '\\u009b' "$W/status.json"; then
	cat "$W/status.json"
	fail "pgstep status --json escapes control characters for its reader to decode"
fi
ok "status, text and JSON, shows the errors without control characters"
