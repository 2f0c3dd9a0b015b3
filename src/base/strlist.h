/* A list of strings, each owned by the list. */
#ifndef PGSTEP_STRLIST_H
#define PGSTEP_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};

void strlist_free(struct strlist *l);
bool strlist_contains(const struct strlist *l, const char *s);
/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s);

#endif
