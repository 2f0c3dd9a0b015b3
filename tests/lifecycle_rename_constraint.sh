#!/bin/sh
# The lifecycle of tests/lifecycle/rename_constraint: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" rename_constraint
