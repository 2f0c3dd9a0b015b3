#!/bin/sh
# The example plan plans/0004_partition_users_by_year.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0004_partition_users_by_year
