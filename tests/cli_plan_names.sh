#!/bin/sh
# How a command finds its plan: a bare name is a migration of the plans
# directory, even where a file or a directory of that name stands in the
# working directory; a path (with a / or a plan's extension) is a file.
# Offline: `pgstep show` needs no server.
set -eu
. "$top_srcdir/tests/lib/common.sh"
tmpdir_for_test
trap 'rm -rf "$TEST_TMP"' EXIT
cd "$TEST_TMP"
mkdir -p plans 0001_x other
cat >plans/0001_x.yaml <<'YAML'
operations:
  - drop_index: {name: from_plans}
YAML
cat >other/0001_x.yaml <<'YAML'
operations:
  - drop_index: {name: from_path}
YAML
printf 'not a plan\n' >0002_y
cat >plans/0002_y.yaml <<'YAML'
operations:
  - drop_index: {name: y_from_plans}
YAML

"$PGSTEP" -P plans show 0001_x >out 2>err || { cat err; fail "show 0001_x, with a directory 0001_x here, failed"; }
grep -q '"from_plans"' out || fail "show 0001_x did not read plans/0001_x.yaml"
"$PGSTEP" -P plans show 0002_y >out 2>err || { cat err; fail "show 0002_y, with a file 0002_y here, failed"; }
grep -q '"y_from_plans"' out || fail "show 0002_y read ./0002_y, not plans/0002_y.yaml"
ok "a bare name is the plans directory's migration, whatever stands here under that name"

"$PGSTEP" -P plans show other/0001_x.yaml >out 2>err || { cat err; fail "show other/0001_x.yaml failed"; }
grep -q '"from_path"' out || fail "a path was not read as a path"
(cd other && "$PGSTEP" -P ../plans show 0001_x.yaml >../out 2>../err) || { cat err; fail "show 0001_x.yaml failed"; }
grep -q '"from_path"' out || fail "a file name with its extension was not read from here first"
ok "a path, or a name with its extension, is a file"

set +e
"$PGSTEP" -P plans show 0003_none >out 2>err
rc=$?
set -e
[ "$rc" = 2 ] || fail "a missing plan: exit $rc, not 2"
grep -qF "no plan file 0003_none (nor plans/0003_none.yaml, nor a plan named 0003_none in plans)" err || { cat err; fail "no clear message for a missing plan"; }
ok "a missing plan is named, with where it was looked for"
