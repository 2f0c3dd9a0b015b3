#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pg/colrefs.h"
#include "pg/pgparse.h"
#include "base/xalloc.h"

void
tree_column_refs(json_object *o, struct strlist *out)
{
	json_object *ref, *fields, *last, *str, *name;

	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			tree_column_refs(json_object_array_get_idx(o, i), out);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	if (json_object_object_get_ex(o, "ColumnRef", &ref) && json_object_object_get_ex(ref, "fields", &fields) &&
	    json_object_array_length(fields) > 0) {
		last = json_object_array_get_idx(fields, json_object_array_length(fields) - 1);
		/* a.* ends in A_Star, not a name */
		if (json_object_object_get_ex(last, "String", &str) && json_object_object_get_ex(str, "sval", &name)) {
			const char *s = json_object_get_string(name);

			if (!strlist_contains(out, s))
				strlist_add(out, s);
		}
		return;
	}
	json_object_object_foreach(o, key, val) {
		(void) key;
		tree_column_refs(val, out);
	}
}

bool
sql_column_refs(const char *expr, struct strlist *out)
{
	char *q = xasprintf("SELECT (%s)", expr);
	struct parsed ps;
	bool ok = sql_parse(q, &ps);

	if (ok)
		tree_column_refs(ps.root, out);
	parsed_free(&ps);
	free(q);
	return ok;
}
