/* The screen, top to bottom: header; migrations beside the phases of the
 * selected one; progress; lock waits; log; status line; footer. 80x24 is
 * the smallest size every panel is still useful at; rows beyond it go to
 * the lists. */
#include "config.h"

#include <string.h>

#include "layout.h"

void
layout_compute(struct ui *ui, int rows, int cols)
{
	struct area *a = ui->areas;
	int middle, extra, top, progress = 6, locks, log, y, left;

	ui->rows = rows;
	ui->cols = cols;
	ui->too_small = rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS;
	memset(ui->areas, 0, sizeof(ui->areas));
	if (ui->too_small)
		return;

	middle = rows - 3;
	extra = middle - (LAYOUT_MIN_ROWS - 3);
	top = 6 + extra / 3;
	locks = 4 + extra / 3;
	log = middle - top - progress - locks;
	left = cols - 39;	/* the phases panel's columns fit in 39 */

	a[P_HEADER] = (struct area) {0, 0, 1, cols};
	y = 1;
	a[P_MIGS] = (struct area) {y, 0, top, left};
	a[P_PHASES] = (struct area) {y, left, top, cols - left};
	y += top;
	a[P_PROGRESS] = (struct area) {y, 0, progress, cols};
	y += progress;
	a[P_LOCKS] = (struct area) {y, 0, locks, cols};
	y += locks;
	a[P_LOG] = (struct area) {y, 0, log, cols};
	a[P_STATUS] = (struct area) {rows - 2, 0, 1, cols};
	a[P_FOOTER] = (struct area) {rows - 1, 0, 1, cols};
}
