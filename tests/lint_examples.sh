#!/bin/sh
# pgstep lint as CI runs it, no database needed: every example plan lints
# clean; the exit codes, the text and JSON reports and --list; show and step
# refusing a plan whose expression does not parse.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/build/default}"
: "${PGSTEP:=$top_builddir/pgstep}"

fail() {
	echo "FAIL: lint_examples: $*" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every example plan, each alone and all together (in name order, the
# order they apply in).
n=0
for plan in "$top_srcdir"/plans/*.yaml "$top_srcdir"/plans/*.yml; do
	[ -f "$plan" ] || continue
	n=$((n + 1))
	"$PGSTEP" lint "$plan" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "$plan does not lint clean"; }
	# One line, the summary, and nothing else.
	[ "$(wc -l <"$tmp/out")" = 1 ] && grep -qE '^ok: 1 plan, [1-9][0-9]* statements? with their rollbacks: nothing takes a dangerous lock or rewrites a table$' "$tmp/out" ||
		{ cat "$tmp/out" >&2; fail "$plan: lint printed more or less than its one-line summary"; }
done
echo "ok - $n example plans lint clean"
if [ "$n" -gt 0 ]; then
	"$PGSTEP" lint "$top_srcdir/plans" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "plans/ does not lint clean"; }
	grep -qE "^ok: $n plans?, [1-9][0-9]* statements? with their rollbacks: " "$tmp/out" ||
		{ cat "$tmp/out" >&2; fail "plans/: the summary does not count its $n plans"; }
	echo "ok - the plans directory lints clean"
fi

# --list: every rule, with its reason and safe alternative.
"$PGSTEP" lint --list >"$tmp/list"
for rule in create-index-not-concurrently drop-index-not-concurrently reindex-not-concurrently \
	no-transaction-block add-column-volatile-default add-column-generated alter-column-type \
	set-not-null-without-check constraint-without-not-valid validate-in-same-step unique-without-index \
	rename-before-contract drop-before-contract vacuum-full cluster multiple-ddl-in-step prefer-jsonb \
	identifier-too-long syntax-error; do
	grep -q "^$rule (" "$tmp/list" || fail "--list lacks $rule"
done
[ "$(grep -c 'safe alternative:' "$tmp/list")" -ge 19 ] || fail "--list lacks safe alternatives"
echo "ok - lint --list"

# Exit codes: 0 clean, 1 warnings, 2 errors.
cat >"$tmp/clean.yaml" <<'EOF'
operations:
  - create_index: {name: users_email_idx, table: users, columns: [email]}
EOF
cat >"$tmp/warn.yaml" <<'EOF'
operations:
  - raw_sql:
      expand:
        up: CREATE INDEX users_email_idx ON users (email)
EOF
cat >"$tmp/error.yaml" <<'EOF'
operations:
  - raw_sql:
      expand:
        up: CREATE INDEX CONCURRENTLY users_email_idx ON users (email)
EOF
cat >"$tmp/silenced.yaml" <<'EOF'
operations:
  - raw_sql:
      expand:
        up: CREATE INDEX users_email_idx ON users (email)
      lint_ignore: [create-index-not-concurrently]
EOF
"$PGSTEP" lint "$tmp/clean.yaml" >"$tmp/out" || fail "a clean plan: exit $?"
# create_index: the index, and its rollback (drop it)
grep -qx "ok: 1 plan, 2 statements with their rollbacks: nothing takes a dangerous lock or rewrites a table" "$tmp/out" ||
	{ cat "$tmp/out" >&2; fail "a clean plan's summary"; }
rc=0; "$PGSTEP" lint "$tmp/warn.yaml" >"$tmp/out" || rc=$?
[ "$rc" = 1 ] || fail "a plan with a warning: exit $rc, not 1"
grep -q "^$tmp/warn.yaml:4:13: create-index-not-concurrently: step 1 (expand): .*(safe alternative: " "$tmp/out" ||
	{ cat "$tmp/out" >&2; fail "the text report"; }
rc=0; "$PGSTEP" lint "$tmp/error.yaml" >"$tmp/out" || rc=$?
[ "$rc" = 2 ] || fail "a plan with an error: exit $rc, not 2"
grep -q ":4:13: no-transaction-block: " "$tmp/out" || { cat "$tmp/out" >&2; fail "no-transaction-block"; }
"$PGSTEP" lint "$tmp/silenced.yaml" >"$tmp/out" || fail "a silenced finding: exit $?"
grep -q "create-index-not-concurrently: .*(silenced by lint_ignore)" "$tmp/out" || fail "the report does not say it was silenced"
grep -qE "^ok: 1 plan, [0-9]+ statements? with their rollbacks: .* \(1 finding silenced by lint_ignore\)$" "$tmp/out" ||
	{ cat "$tmp/out" >&2; fail "the summary does not count the silenced finding"; }
rc=0; "$PGSTEP" lint "$tmp/warn.yaml" >"$tmp/out" || rc=$?
grep -q "^ok:" "$tmp/out" && fail "a summary saying ok after a warning"
rc=0; "$PGSTEP" lint "$tmp/clean.yaml" "$tmp/warn.yaml" "$tmp/error.yaml" >"$tmp/out" || rc=$?
[ "$rc" = 2 ] || fail "several plans: exit $rc, not 2"
echo "ok - exit codes 0, 1, 2"

# JSON, for tools.
rc=0; "$PGSTEP" lint --format=json "$tmp/warn.yaml" >"$tmp/json" || rc=$?
[ "$rc" = 1 ] || fail "--format=json: exit $rc"
grep -q '"rule": *"create-index-not-concurrently"' "$tmp/json" || { cat "$tmp/json" >&2; fail "JSON report"; }
grep -q '"line": *4' "$tmp/json" || fail "JSON report: line"
grep -q '"warnings": *1' "$tmp/json" || fail "JSON report: count"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/json" || fail "the JSON does not parse"
fi
rc=0; "$PGSTEP" lint --format=yaml "$tmp/warn.yaml" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--format=yaml accepted"
echo "ok - lint --format=json"

# An expression that does not parse: show and step refuse the plan, at
# its line and column, before connecting.
cat >"$tmp/bad.yaml" <<'EOF'
operations:
  - add_column:
      table: users
      column: {name: email_lower, type: text}
      up: lower(email +
EOF
rc=0; "$PGSTEP" show "$tmp/bad.yaml" >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "show of a plan with a bad expression: exit $rc"
grep -q "bad.yaml:5:24: add_column.up is not valid SQL" "$tmp/out" || { cat "$tmp/out" >&2; fail "show's message"; }
rc=0; "$PGSTEP" -d "host=/nonexistent dbname=none" step "$tmp/bad.yaml" >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "step of a plan with a bad expression: exit $rc"
grep -q "bad.yaml:5:24: add_column.up is not valid SQL" "$tmp/out" || { cat "$tmp/out" >&2; fail "step's message"; }
rc=0; "$PGSTEP" lint "$tmp/bad.yaml" >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "lint of a plan with a bad expression: exit $rc"
grep -q "bad.yaml:5:24: invalid-plan: add_column.up is not valid SQL" "$tmp/out" || { cat "$tmp/out" >&2; fail "lint's message"; }
echo "ok - show, step and lint refuse a plan whose expression does not parse"

# step warns, before anything runs (here it cannot connect: the warning
# comes first all the same).
rc=0; "$PGSTEP" -d "host=/nonexistent dbname=none" step "$tmp/warn.yaml" >"$tmp/out" 2>&1 || rc=$?
grep -q "^pgstep: lint: .*create-index-not-concurrently" "$tmp/out" || { cat "$tmp/out" >&2; fail "step does not warn"; }
echo "ok - step warns with the lint"
