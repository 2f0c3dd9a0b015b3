#!/bin/sh
# make check's only test when configure found no cmocka: the tests are
# cmocka programs, so none can be built. Exit 99: a hard error.
echo "make check: the tests need cmocka, which configure did not find: apt-get install libcmocka-dev, then run configure again" >&2
exit 99
