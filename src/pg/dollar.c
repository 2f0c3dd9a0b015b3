#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "pg/dollar.h"

char *
dollar_tag(const char *body, const char *name)
{
	char *tag = xasprintf("$%s$", name);

	for (int i = 1; strstr(body, tag); i++) {
		free(tag);
		tag = xasprintf("$%s%d$", name, i);
	}
	return tag;
}

char *
dollar_quote(const char *body)
{
	char *tag = dollar_tag(body, "pgstep");
	char *q = xasprintf("%s%s%s", tag, body, tag);

	free(tag);
	return q;
}

char *
do_block(const char *body)
{
	char *q = dollar_quote(body);
	char *sql = xasprintf("DO %s", q);

	free(q);
	return sql;
}
