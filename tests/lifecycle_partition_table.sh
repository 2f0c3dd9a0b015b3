#!/bin/sh
# The lifecycle of tests/lifecycle/partition_table: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" partition_table
