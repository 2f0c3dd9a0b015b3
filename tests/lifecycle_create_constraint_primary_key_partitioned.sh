#!/bin/sh
# The lifecycle of tests/lifecycle/create_constraint_primary_key_partitioned: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" create_constraint_primary_key_partitioned
