#include "config.h"

#include <string.h>

#include "plan/phase.h"

static const char *const phase_names[N_PHASES] = {"expand", "backfill", "switch", "contract"};

const char *
phase_name(enum phase ph)
{
	return ph < N_PHASES ? phase_names[ph] : "?";
}

bool
phase_parse(const char *name, enum phase *ph)
{
	for (int i = 0; i < N_PHASES; i++) {
		if (strcmp(name, phase_names[i]) == 0) {
			*ph = (enum phase) i;
			return true;
		}
	}
	return false;
}
