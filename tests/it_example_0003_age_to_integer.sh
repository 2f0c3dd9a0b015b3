#!/bin/sh
# The example plan plans/0003_age_to_integer.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0003_age_to_integer
