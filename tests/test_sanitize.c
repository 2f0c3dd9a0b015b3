/* The one sanitizer for text other sessions wrote (src/sanitize.h): no
 * control character and no invalid UTF-8 comes out of it raw. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/sanitize.h"

static void
expect_clean(const char *in, const char *want)
{
	char *got = sanitize(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_controls(void **state)
{
	/* an OSC title sequence and a CSI colour, as a query could hold them */
	expect_clean("SELECT 1 /* \033]0;pwned\007 */", "SELECT 1 /* ?]0;pwned? */");
	expect_clean("\033[31mred\033[0m", "?[31mred?[0m");
	/* whitespace becomes a space: one message, one line */
	expect_clean("a\tb\nc\rd\ve\ff", "a b c d e f");
	expect_clean("\001\002\037\177", "????");
	/* C1 controls written as UTF-8: CSI (U+009B), NEL (U+0085), U+0080 */
	expect_clean("x\xc2\x9b" "31my\xc2\x85z\xc2\x80", "x?31my?z?");
	/* bidirectional controls: RLO (U+202E), LRI (U+2066), PDI (U+2069),
	 * RLM (U+200F), ALM (U+061C); a neighbour (U+2070, superscript 0) stays */
	expect_clean("a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x81\xa9" "d\xe2\x80\x8f" "e\xd8\x9c" "f\xe2\x81\xb0",
		     "a?b?c?d?e?f\xe2\x81\xb0");
	expect_clean(NULL, "");
	expect_clean("", "");
}

static void
test_utf8(void **state)
{
	/* valid text stays as it is: accents, CJK, emoji, U+00A0 after C1 */
	expect_clean("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x98 \xc2\xa0", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x98 \xc2\xa0");
	/* a stray continuation byte, a lead byte cut short, at the end too */
	expect_clean("a\x80z", "a?z");
	expect_clean("a\xc3z", "a?z");
	expect_clean("a\xe6\x97", "a??");
	/* overlong forms (of ESC and of '/'), a surrogate, beyond U+10FFFF,
	 * bytes that never start a sequence */
	expect_clean("\xc0\x9b", "??");
	expect_clean("\xe0\x80\xaf", "???");
	expect_clean("\xed\xa0\x80", "???");
	expect_clean("\xf4\x90\x80\x80", "????");
	expect_clean("\xf8\x88\x80\x80\x80\xff\xfe", "???????");
}

static void
test_copy(void **state)
{
	char buf[6];

	/* cut at a character boundary, never inside one */
	sanitize_copy(buf, sizeof(buf), "ab\033\xc3\xa9\xc3\xa9");
	assert_string_equal(buf, "ab?\xc3\xa9");
	sanitize_copy(buf, sizeof(buf), "\033");
	assert_string_equal(buf, "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests_name("sanitize", tests, NULL, NULL);
}
