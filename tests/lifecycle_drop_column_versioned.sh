#!/bin/sh
# The lifecycle of tests/lifecycle/drop_column_versioned: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" drop_column_versioned
