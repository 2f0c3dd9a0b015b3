#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/sanitize.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* The length of the valid UTF-8 sequence at s (RFC 3629: shortest form,
 * no surrogates, at most U+10FFFF) and its code point; 0 when invalid. */
static size_t
utf8_sequence(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		/* a NUL ends the string: the sequence is cut short */
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Unicode's bidirectional controls: a terminal that honours them shows
 * text in an order other than the bytes' (a query that reads as harmless
 * and is not, "Trojan Source"). ALM, LRM, RLM, LRE..RLO, LRI..PDI. */
static bool
is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

char *
sanitize(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *) (s ? s : "");

	while (*p) {
		uint32_t cp;
		size_t n = utf8_sequence(p, &cp);

		if (n == 0) {
			sb_puts(&sb, "?");
			p++;
		} else if (cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r') {
			sb_puts(&sb, " ");
			p++;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)) {
			sb_puts(&sb, "?");
			p += n;
		} else {
			sb_printf(&sb, "%.*s", (int) n, (const char *) p);
			p += n;
		}
	}
	return sb_steal(&sb);
}

void
sanitize_copy(char *dst, size_t size, const char *s)
{
	char *clean = sanitize(s);

	str_copy(dst, size, clean);
	free(clean);
}
