#!/bin/sh
# `pgstep show` on every example plan under valgrind's memcheck: no invalid
# access, no use of uninitialised memory, no leak (definite, indirect or
# possible). A build with the sanitizers (script/test exports
# PGSTEP_SANITIZED=1 for it) cannot run under valgrind, and its own leak
# checker covers it: skipped there.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/build/default}"
: "${PGSTEP:=$top_builddir/pgstep}"

if [ "${PGSTEP_SANITIZED:-}" = 1 ]; then
	echo "skip: the sanitizers' build checks leaks itself; valgrind cannot run it"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "FAIL: valgrind_show: valgrind is missing: run script/bootstrap (apt-get install valgrind)" >&2
	exit 1
fi

log=$(mktemp "${TMPDIR:-/tmp}/pgstep-valgrind.XXXXXX")
trap 'rm -f "$log"' EXIT
n=0
for plan in "$top_srcdir"/plans/*.yaml; do
	if ! valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
		"$PGSTEP" show "$plan" >/dev/null 2>"$log"; then
		cat "$log" >&2
		echo "FAIL: valgrind_show: pgstep show ${plan##*/}" >&2
		exit 1
	fi
	n=$((n + 1))
	echo "ok - pgstep show ${plan##*/}: no error, no leak"
done
[ "$n" -gt 0 ] || { echo "FAIL: valgrind_show: no plans in $top_srcdir/plans" >&2; exit 1; }
