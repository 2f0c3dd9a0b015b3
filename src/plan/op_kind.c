#include "config.h"

#include <stdio.h>
#include <string.h>

#include "plan/op_kind.h"

const struct op_kind *
op_kind_find(const char *name)
{
	for (const struct op_kind *const *k = op_kinds; *k; k++)
		if (strcmp((*k)->name, name) == 0)
			return *k;
	return NULL;
}

const char *
op_kind_names(void)
{
	static char names[512];

	if (!names[0]) {
		size_t off = 0;

		for (const struct op_kind *const *k = op_kinds; *k && off < sizeof(names); k++)
			off += (size_t) snprintf(names + off, sizeof(names) - off, "%s%s",
						 k == op_kinds ? "" : ", ", (*k)->name);
	}
	return names;
}
