#!/bin/sh
# The example plan plans/0005_users_email_index.yaml through its whole life: see examples/run.sh.
exec bash "$top_srcdir/tests/examples/run.sh" 0005_users_email_index
