/* Drawing helpers shared by the panels: clipped text by display width,
 * titles, bars, sparklines, and the formats numbers are shown in. */
#ifndef PGSTEP_DRAW_H
#define PGSTEP_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "glyphs.h"
#include "ui.h"

/* Blanks the area. */
void draw_clear(const struct area *a);
/* Draws s at row/col of the area in role r, cut to width columns (and to
 * the area) with an ellipsis; returns the columns used. */
int draw_text(const struct area *a, int row, int col, int width, enum role r, const char *s);
int draw_fmt(const struct area *a, int row, int col, int width, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Paints a whole row of the area in role r (the selection bar). */
void draw_row_fill(const struct area *a, int row, enum role r);
/* A panel's title on its first row: "── Title ─────── right ─". */
void draw_title(const struct area *a, const char *title, bool focused, const char *right);
/* A progress bar of width cells, filled to fraction (0..1). */
void draw_bar(const struct area *a, int row, int col, int width, double fraction);
/* The last width samples of v as a sparkline scaled to their maximum. */
void draw_spark(const struct area *a, int row, int col, int width, const float *v, int n);

/* Display columns of a UTF-8 string. */
int text_width(const char *s);

/* 250ms, 3.2s, 4m05s, 2h03m. */
void fmt_ms(int64_t ms, char *buf, size_t len);
/* How long ago, shortly: 5s, 3m, 2h, 4d; "-" when never. */
void fmt_age(time_t t, time_t now, char *buf, size_t len);
/* 12, 12.3k, 4.5M */
void fmt_count(double n, char *buf, size_t len);

#endif
