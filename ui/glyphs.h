/* How things look on this terminal: UTF-8 or ASCII glyphs, chosen from the
 * locale's codeset, and colours or monochrome attributes, chosen from
 * has_colors() and NO_COLOR. */
#ifndef PGSTEP_GLYPHS_H
#define PGSTEP_GLYPHS_H

#include <stdbool.h>

#include <curses.h>

struct glyphs {
	const char *hline;		/* panel title rules */
	const char *bar_full;
	const char *bar_empty;
	const char *bar_part[8];	/* a cell filled 0/8 .. 7/8; [0] unused */
	const char *spark[8];		/* lowest to highest */
	const char *sel;		/* the selected row */
	const char *own;		/* pgstep's own sessions */
	const char *ellipsis;		/* a truncated text */
	const char *more_up, *more_down;	/* a list scrolls on */
	const char *sep;		/* between header fields */
};

/* The roles text is drawn in; each maps to an attribute. */
enum role {
	TH_NORMAL,
	TH_BANNER,		/* the header line */
	TH_TITLE,		/* a panel's title */
	TH_TITLE_FOCUS,		/* the focused panel's title */
	TH_COLHEAD,		/* column headings */
	TH_SELECTED,		/* the selected row */
	TH_OK,
	TH_WARN,
	TH_ERROR,
	TH_DIM,
	TH_OWN,			/* pgstep's own sessions */
	TH_BAR,
	TH_KEY,			/* a key in the footer */
	N_ROLES
};

extern const struct glyphs *glyphs;

/* Before initscr: picks the glyph table from nl_langinfo(CODESET). */
void glyphs_init(void);
bool glyphs_utf8(void);
/* After initscr: colours when the terminal has them and NO_COLOR is not set. */
void theme_init(void);
attr_t theme_attr(enum role r);

#endif
