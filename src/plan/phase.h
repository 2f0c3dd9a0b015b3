/* The phases every migration moves through, and their names: what the
 * compiler fills, the store records and the console shows. */
#ifndef PGSTEP_PHASE_H
#define PGSTEP_PHASE_H

#include <stdbool.h>

enum phase {
	PHASE_EXPAND,
	PHASE_BACKFILL,
	PHASE_SWITCH,
	PHASE_CONTRACT,
	N_PHASES
};

/* "expand", "backfill", "switch", "contract"; "?" past them. */
const char *phase_name(enum phase ph);
bool phase_parse(const char *name, enum phase *ph);

#endif
