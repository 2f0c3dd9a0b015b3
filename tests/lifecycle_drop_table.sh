#!/bin/sh
# The lifecycle of tests/lifecycle/drop_table: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" drop_table
