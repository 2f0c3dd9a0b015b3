/* Passwords kept out of messages (conn_redact) and out of argv
 * (conn_scrub_arg), without a server. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/conn.h"

static void
expect_redacted(const char *conninfo, const char *msg, const char *want)
{
	char out[256];

	conn_redact(conninfo, msg, out, sizeof(out));
	assert_string_equal(out, want);
}

static void
test_redact(void **state)
{
	expect_redacted("host=h password=hunter2", "bad \"hunter2\"\n", "bad \"*****\"");
	/* a password that is part of its own mask: one pass, no loop */
	expect_redacted("password=*", "user \"ops*\" failed", "user \"ops*****\" failed");
	expect_redacted("password=**", "\"ops**\" and \"*\"", "\"ops*****\" and \"*\"");
	/* every form it is written in: the longest first where they meet */
	expect_redacted("postgresql://u:p%40ss@h/db", "p%40ss or p@ss", "***** or *****");
	expect_redacted(NULL, "nothing to hide", "nothing to hide");
}

/* scrub ARG: what argv holds afterwards, up to the first NUL, and every
 * byte after it NUL; the argument never grows. */
static void
expect_scrubbed(const char *arg, const char *want)
{
	char buf[256];
	size_t n = strlen(arg);

	memcpy(buf, arg, n + 1);
	conn_scrub_arg(buf);
	assert_string_equal(buf, want);
	for (size_t i = strlen(buf); i < n; i++)
		assert_int_equal(buf[i], 0);
	assert_null(strstr(buf, "secret"));
}

static void
test_scrub(void **state)
{
	/* no password: left as written */
	expect_scrubbed("mydb", "mydb");
	expect_scrubbed("host=h dbname=d", "host=h dbname=d");
	expect_scrubbed("postgresql://u@h/db", "postgresql://u@h/db");
	/* a password: the other options, the password as *****, cut to fit */
	expect_scrubbed("host=h password=secret1", "password=***** host=h");
	expect_scrubbed("host=h sslpassword=secret1 password=secret2", "password=***** host=h sslpassword=*****");
	expect_scrubbed("postgresql://u:secret@h/db", "user=u password=***** dbna");
	expect_scrubbed("postgresql://h/db?password=secret", "password=***** dbname=db host=h");
	/* a dbname that is itself a conninfo with a password */
	expect_scrubbed("dbname='host=x password=secret'", "dbname=*****");
	/* what libpq cannot read may hide one anywhere: blanked */
	expect_scrubbed("password='secret", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_scrub),
	};

	return cmocka_run_group_tests_name("conn", tests, NULL, NULL);
}
