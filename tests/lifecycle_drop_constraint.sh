#!/bin/sh
# The lifecycle of tests/lifecycle/drop_constraint: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" drop_constraint
