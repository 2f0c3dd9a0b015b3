#!/bin/sh
# The lifecycle of tests/lifecycle/create_index_partitioned: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" create_index_partitioned
