#!/bin/sh
# The lifecycle of tests/lifecycle/create_table_versioned: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" create_table_versioned
