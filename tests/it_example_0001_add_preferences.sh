#!/bin/sh
# The example plan plans/0001_add_preferences.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0001_add_preferences
