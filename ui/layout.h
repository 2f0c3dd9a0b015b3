/* Where each panel goes for a terminal size. */
#ifndef PGSTEP_LAYOUT_H
#define PGSTEP_LAYOUT_H

#include "ui.h"

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

/* Fills ui->areas for rows x cols; sets ui->too_small below 80x24. */
void layout_compute(struct ui *ui, int rows, int cols);

#endif
