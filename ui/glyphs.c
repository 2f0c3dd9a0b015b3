/* Glyph tables and the colour theme, side by side in UTF-8 and ASCII,
 * colour and monochrome. */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glyphs.h"

static const struct glyphs utf8_glyphs = {
	.hline = "\u2500",
	.bar_full = "\u2588",
	.bar_empty = "\u2591",
	.bar_part = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"},
	.spark = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"},
	.sel = "\u25b6",
	.own = "\u25cf",
	.ellipsis = "\u2026",
	.more_up = "\u25b2",
	.more_down = "\u25bc",
	.sep = "\u2502",
};

static const struct glyphs ascii_glyphs = {
	.hline = "-",
	.bar_full = "#",
	.bar_empty = ".",
	.bar_part = {"", ".", ".", ".", ":", ":", ":", ":"},
	.spark = {"_", ".", "-", "-", "=", "+", "*", "#"},
	.sel = ">",
	.own = "*",
	.ellipsis = "~",
	.more_up = "^",
	.more_down = "v",
	.sep = "|",
};

const struct glyphs *glyphs = &ascii_glyphs;

static attr_t attrs[N_ROLES];

void
glyphs_init(void)
{
	const char *cs = nl_langinfo(CODESET);

	glyphs = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0)
		? &utf8_glyphs : &ascii_glyphs;
}

bool
glyphs_utf8(void)
{
	return glyphs == &utf8_glyphs;
}

/* https://no-color.org: present and not empty means no colour. */
static bool
no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v && *v;
}

void
theme_init(void)
{
	/* Monochrome first: it is also what a colour role falls back to. */
	attrs[TH_NORMAL] = A_NORMAL;
	attrs[TH_BANNER] = A_REVERSE;
	attrs[TH_TITLE] = A_BOLD;
	attrs[TH_TITLE_FOCUS] = A_BOLD | A_REVERSE;
	attrs[TH_COLHEAD] = A_UNDERLINE;
	attrs[TH_SELECTED] = A_REVERSE;
	attrs[TH_OK] = A_NORMAL;
	attrs[TH_WARN] = A_BOLD;
	attrs[TH_ERROR] = A_BOLD | A_REVERSE;
	attrs[TH_DIM] = A_DIM;
	attrs[TH_OWN] = A_BOLD;
	attrs[TH_BAR] = A_NORMAL;
	attrs[TH_KEY] = A_REVERSE;

	if (no_color() || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);
	init_pair(2, COLOR_CYAN, -1);
	init_pair(3, COLOR_GREEN, -1);
	init_pair(4, COLOR_YELLOW, -1);
	init_pair(5, COLOR_RED, -1);
	init_pair(6, COLOR_MAGENTA, -1);
	init_pair(7, COLOR_WHITE, COLOR_RED);
	attrs[TH_BANNER] = COLOR_PAIR(1);
	attrs[TH_TITLE] = COLOR_PAIR(2) | A_BOLD;
	attrs[TH_TITLE_FOCUS] = COLOR_PAIR(1) | A_BOLD;
	attrs[TH_COLHEAD] = COLOR_PAIR(2);
	attrs[TH_SELECTED] = COLOR_PAIR(1);
	attrs[TH_OK] = COLOR_PAIR(3);
	attrs[TH_WARN] = COLOR_PAIR(4) | A_BOLD;
	attrs[TH_ERROR] = COLOR_PAIR(7) | A_BOLD;
	attrs[TH_OWN] = COLOR_PAIR(6) | A_BOLD;
	attrs[TH_BAR] = COLOR_PAIR(3);
	attrs[TH_KEY] = COLOR_PAIR(1);
}

attr_t
theme_attr(enum role r)
{
	return r < N_ROLES ? attrs[r] : A_NORMAL;
}
