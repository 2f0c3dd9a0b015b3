# The oracle: what pgstep promises about locks and rewrites, checked on the
# database of a test (tests/lifecycle/run.sh and tests/examples/run.sh run
# every pgstep phase through it). Source after common.sh and pg_start.
#
#   oracle_install         the instruments (tests/lib/oracle.sql) in the
#                          database PGDATABASE, before pgstep first runs
#   oracle_measure         the bound of a step's duration, from the tables
#                          with rows (below)
#   oracle_phase WHAT CMD  runs CMD (one pgstep phase, or one rollback)
#                          and fails the test when it:
#     - changed the relfilenode of a table that was there before and still
#       is, or of its TOAST table or of an index of either (a rewrite; a
#       rebuilt index): expand, backfill and switch may rewrite nothing,
#       contract only what it drops, and a rollback nothing either (a
#       rollback that writes rows back, rollback.rewrites in the lifecycle
#       cases, does so by UPDATE, which keeps the file);
#     - ran a statement that read a table with rows (its scan counter went
#       up) while its transaction held SHARE or a stronger lock on it;
#     - held SHARE or a stronger lock on a table with rows in a step that
#       ran longer than ORACLE_BOUND_MS, or outside its step log.
#
# The locks are observed, not derived from the statement's text: an event
# trigger at the end of every DDL command records the locks pg_locks shows
# its transaction holding then (locks are held until the transaction
# ends), so what a step took is what PostgreSQL granted it, in every
# version. A statement that is no DDL command (UPDATE, VACUUM, LOCK) is
# not seen this way; a step whose SQL starts with ALTER, CREATE, DROP or
# COMMENT and was not seen fails the test (the instruments are blind).
# Each step's lock, size and time go to ORACLE_LOG, one line each.
#
# The bound. A step's time is pgstep's own (pgstep.steps: duration_ms less
# lock_wait_ms, the attempts that timed out): round trips, BEGIN, the
# statement, pgstep's progress update and COMMIT. oracle_measure times
# ORACLE_RUNS metadata-only ALTERs (ADD COLUMN, no default) and scanning
# ones (ADD CONSTRAINT ... CHECK, validated) on the largest table with
# rows, as the server times them, undone, and sets
#
#   ORACLE_BOUND_MS = ORACLE_MARGIN x (slowest metadata-only ALTER) + ORACLE_SLACK_MS
#
# ORACLE_SLACK_MS (default 200) is the client side of a step and the
# scheduling of a 2-core machine shared by several builds and four tests
# at once: under `make -j4 check` the metadata-only steps that held a
# write-blocking lock took 13 to 68 ms (1 to 5 ms alone), and the slowest
# metadata-only ALTER measured 3 to 13 ms (the first run is the slow one).
# The bound is thus 215 to 250 ms. On the lifecycle cases' tables (3000
# rows, about 20 pages) a validating scan takes about 1 ms, so the time
# alone cannot tell a scan there (a table of some 10^6 rows would be
# needed to rise above the noise of this machine, and every case would
# backfill it three times); the scan counter (the second check) tells a
# scan at any size, and the bound catches a lock held long for any other
# reason. ORACLE_LOG's first line says both measurements and the bound.

: "${ORACLE_RUNS:=5}"
: "${ORACLE_MARGIN:=4}"
: "${ORACLE_SLACK_MS:=200}"

_oracle_psql() {
	local what=$1
	shift
	psql -X -q -At -F " " -v ON_ERROR_STOP=1 "$@" >"$ORACLE_DIR/out" 2>"$ORACLE_DIR/err" ||
		{ cat "$ORACLE_DIR/err" >&2; fail "the oracle failed: $what"; }
}

oracle_install() {
	ORACLE_DIR=$PGTEST_DIR/oracle
	mkdir -p "$ORACLE_DIR"
	: "${ORACLE_LOG:=$ORACLE_DIR/oracle.log}"
	: >"$ORACLE_LOG"
	_oracle_psql "installing tests/lib/oracle.sql" -f "$top_srcdir/tests/lib/oracle.sql"
}

oracle_measure() {
	_oracle_psql "finding the largest table with rows" -c "
		SELECT t::regclass, pgstep_oracle.pages(t), (SELECT relispartition FROM pg_class WHERE oid = t)
		FROM pgstep_oracle.user_tables() t
		WHERE (SELECT relkind FROM pg_class WHERE oid = t) IN ('r', 'm') AND pgstep_oracle.pages(t) > 0
		ORDER BY pgstep_oracle.pages(t) DESC, t::regclass::text LIMIT 1"
	_table=
	_pages=0
	_partition=
	read -r _table _pages _partition <"$ORACLE_DIR/out" || true
	# No table with rows: the bound is that of an empty table (tables
	# the applications write a few rows into are measured by it).
	_make=
	if [ "$_partition" = t ]; then
		# ALTER TABLE ... ADD COLUMN is refused on a partition: its rows,
		# copied into a temporary table, are measured instead.
		_make="CREATE TEMP TABLE pgstep_oracle_copy AS TABLE $_table;"
		_table=pg_temp.pgstep_oracle_copy
	elif [ -z "$_table" ]; then
		_table=pg_temp.pgstep_oracle_empty
		_make="CREATE TEMP TABLE pgstep_oracle_empty (id integer);"
	fi
	_oracle_psql "measuring ALTERs on $_table" -c "$_make
		SELECT round(metadata_ms::numeric, 2), round(scan_ms::numeric, 2),
		       ceil($ORACLE_MARGIN * metadata_ms + $ORACLE_SLACK_MS)::bigint
		FROM pgstep_oracle.measure('$_table', $ORACLE_RUNS)"
	read -r _meta _scan ORACLE_BOUND_MS <"$ORACLE_DIR/out" || fail "the oracle's measurement printed nothing"
	[ -n "$ORACLE_BOUND_MS" ] || fail "the oracle's measurement printed no bound"
	echo "BOUND $ORACLE_BOUND_MS ms = $ORACLE_MARGIN x $_meta ms (slowest metadata-only ALTER of $ORACLE_RUNS) + $ORACLE_SLACK_MS ms; a validating scan took $_scan ms (fastest of $ORACLE_RUNS) on $_table, $_pages pages" >>"$ORACLE_LOG"
}

# oracle_phase WHAT CMD...: CMD runs one phase (or one rollback); the
# findings go to ORACLE_LOG, and a FAIL line fails the test.
oracle_phase() {
	local _what=$1 _ddl _cmd _rw _st
	shift
	[ -n "${ORACLE_BOUND_MS:-}" ] || fail "oracle_phase before oracle_measure"
	_oracle_psql "recording the relfilenodes before $_what" -f "$top_srcdir/tests/lib/oracle_before.sql"
	read -r _ddl _cmd _rw _st <"$ORACLE_DIR/out" || fail "the oracle recorded nothing before $_what"
	[ -n "$_st" ] || fail "the oracle recorded nothing before $_what"
	"$@"
	_oracle_psql "checking $_what" -v what="$_what" -v ddl_from="$_ddl" -v cmd_from="$_cmd" -v rewrite_from="$_rw" \
		-v step_from="$_st" -v bound_ms="$ORACLE_BOUND_MS" -f "$top_srcdir/tests/lib/oracle_check.sql"
	cat "$ORACLE_DIR/out" >>"$ORACLE_LOG"
	if grep '^FAIL ' "$ORACLE_DIR/out" >"$ORACLE_DIR/fail"; then
		sed 's/^FAIL /  /' "$ORACLE_DIR/fail" >&2
		fail "the oracle: $_what broke pgstep's promise (above; every step in $ORACLE_LOG)"
	fi
}

# oracle_summary: one ok line, how many steps the oracle saw and the
# longest time a write-blocking lock was held on a table with rows.
oracle_summary() {
	awk '
		/^BOUND / { bound = $2 }
		/^STEP / { n++
			if (match($0, / lock=(ShareLock|ShareRowExclusiveLock|ExclusiveLock|AccessExclusiveLock) table=[^ ]+ pages=[1-9]/)) {
				strong++
				if (match($0, / ms=[0-9]+ /)) { ms = substr($0, RSTART + 4, RLENGTH - 5) + 0; if (ms > max) max = ms }
			}
		}
		/^PLAN / { plan++ }
		END { printf "ok - the oracle: %d steps, %d of them held a write-blocking lock on a table with rows, for %d ms at most (bound %s ms); %d finding(s) in the plan'"'"'s own SQL\n", n, strong, max, bound, plan }
	' "$ORACLE_LOG"
}
