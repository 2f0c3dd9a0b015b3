#!/bin/sh
# The example plan plans/0006_email_not_null.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0006_email_not_null
