#!/bin/sh
# The lifecycle of tests/lifecycle/drop_column: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" drop_column
