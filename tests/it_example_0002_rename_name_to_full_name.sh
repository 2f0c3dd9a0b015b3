#!/bin/sh
# The example plan plans/0002_rename_name_to_full_name.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0002_rename_name_to_full_name
