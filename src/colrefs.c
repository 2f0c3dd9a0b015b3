#include "config.h"

#include <json-c/json.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "colrefs.h"
#include "xalloc.h"

/* Parse trees nest deeply; json-c's default limit is 32. */
#define TREE_DEPTH 10000

static void
walk(json_object *o, struct strlist *out)
{
	json_object *ref, *fields, *last, *str, *name;

	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			walk(json_object_array_get_idx(o, i), out);
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
		walk(val, out);
	}
}

bool
sql_column_refs(const char *expr, struct strlist *out)
{
	char *q = xasprintf("SELECT (%s)", expr);
	PgQueryParseResult r = pg_query_parse(q);
	json_tokener *tok;
	json_object *tree = NULL;
	bool ok = false;

	free(q);
	if (!r.error && r.parse_tree) {
		tok = json_tokener_new_ex(TREE_DEPTH);
		tree = json_tokener_parse_ex(tok, r.parse_tree, (int) strlen(r.parse_tree));
		json_tokener_free(tok);
	}
	if (tree) {
		walk(tree, out);
		json_object_put(tree);
		ok = true;
	}
	pg_query_free_parse_result(r);
	return ok;
}
