#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pgparse.h"
#include "pg/sqlfrag.h"
#include "base/xalloc.h"

/* How each kind is parsed: inside a statement of the shape PostgreSQL
 * gives it, whose parse tree is then checked to hold that and only that. */
static const struct {
	const char *what;
	const char *before, *after;
} frags[] = {
	[FRAG_TYPE] = {"a type name", "SELECT NULL::", ""},
	[FRAG_OPCLASS] = {"an operator class name", "CREATE INDEX ON _pgstep_t (_pgstep_c ", ")"},
	[FRAG_OPCLASS_PARAMS] = {"operator class parameters", "CREATE INDEX ON _pgstep_t (_pgstep_c _pgstep_ops (",
				 "))"},
	[FRAG_OPTIONS] = {"a list of storage parameters", "CREATE TABLE _pgstep_t () WITH (", ")"},
	[FRAG_SEQ_OPTIONS] = {"sequence options", "CREATE SEQUENCE _pgstep_s ", ""},
};

const char *
sql_frag_what(enum sql_frag kind)
{
	return frags[kind].what;
}

/* No comment, no semicolon, and parentheses that close only what the text
 * opened: nothing in it can reach past where pgstep writes it. */
bool
sql_frag_contained(const char *text, char *why, size_t whylen, long *offset)
{
	struct pg_tokens t;
	char *error;
	int depth = 0;
	bool ok = true;

	if (!sql_scan(text, &t, &error)) {
		snprintf(why, whylen, "%s", error);
		free(error);
		return false;
	}
	for (size_t i = 0; i < t.n && ok; i++) {
		const struct pg_token *tk = &t.v[i];

		*offset = (long) chars_in(text, (size_t) tk->start);
		if (tk->comment) {
			snprintf(why, whylen, "holds a comment");
			ok = false;
		} else if (tk->token == ';') {
			snprintf(why, whylen, "holds a semicolon");
			ok = false;
		} else if (tk->token == '(') {
			depth++;
		} else if (tk->token == ')' && --depth < 0) {
			snprintf(why, whylen, "closes a parenthesis it did not open");
			ok = false;
		}
	}
	if (ok && depth > 0) {
		snprintf(why, whylen, "leaves a parenthesis open");
		*offset = -1;
		ok = false;
	}
	pg_tokens_free(&t);
	return ok;
}

/* The one statement of the parse, as the node `type`, or NULL. */
static json_object *
only_stmt(const struct parsed *ps, const char *type)
{
	if (jlen(ps->stmts) != 1)
		return NULL;
	return node_as(jget(jat(ps->stmts, 0), "stmt"), type);
}

/* A sort order left as it is: PostgreSQL writes the default, or nothing. */
static bool
is_default(json_object *elem, const char *key, const char *value)
{
	return !jget(elem, key) || jis(elem, key, value);
}

/* The first index element, when the index has exactly one. */
static json_object *
one_index_elem(json_object *index)
{
	json_object *params = jget(index, "indexParams");

	if (!index || jlen(params) != 1)
		return NULL;
	return node_as(jat(params, 0), "IndexElem");
}

static bool
tree_is(enum sql_frag kind, const struct parsed *ps)
{
	json_object *n, *e;

	switch (kind) {
	case FRAG_TYPE:
		n = only_stmt(ps, "SelectStmt");
		if (!n || jlen(jget(n, "targetList")) != 1 || jget(n, "fromClause") || jget(n, "whereClause"))
			return false;
		n = node_as(jget(node_as(jat(jget(n, "targetList"), 0), "ResTarget"), "val"), "TypeCast");
		return n && node_as(jget(n, "arg"), "A_Const") && jbool(node_as(jget(n, "arg"), "A_Const"), "isnull");
	case FRAG_OPCLASS:
	case FRAG_OPCLASS_PARAMS:
		e = one_index_elem(only_stmt(ps, "IndexStmt"));
		if (!e || !jget(e, "opclass") || jget(e, "collation") || jget(e, "expr") ||
		    !is_default(e, "ordering", "SORTBY_DEFAULT") ||
		    !is_default(e, "nulls_ordering", "SORTBY_NULLS_DEFAULT"))
			return false;
		return kind == FRAG_OPCLASS ? !jget(e, "opclassopts") : jlen(jget(e, "opclassopts")) > 0;
	case FRAG_OPTIONS:
		n = only_stmt(ps, "CreateStmt");
		return n && jlen(jget(n, "options")) > 0 && !jget(n, "tableElts") && !jget(n, "tablespacename") &&
			!jget(n, "partspec") && !jget(n, "inhRelations");
	case FRAG_SEQ_OPTIONS:
		n = only_stmt(ps, "CreateSeqStmt");
		return n && jlen(jget(n, "options")) > 0;
	}
	return false;
}

bool
sql_frag_check(enum sql_frag kind, const char *text, char *why, size_t whylen, long *offset)
{
	const char *before = frags[kind].before;
	char *sql;
	struct parsed ps;
	bool ok;

	*offset = -1;
	if (!*text) {
		snprintf(why, whylen, "is empty");
		return false;
	}
	if (!sql_frag_contained(text, why, whylen, offset))
		return false;
	*offset = -1;
	sql = xasprintf("%s%s%s", before, text, frags[kind].after);
	ok = sql_parse(sql, &ps);
	if (!ok) {
		/* the prefix is ASCII: its characters are its bytes */
		long at = ps.cursor > 0 ? (long) ps.cursor - 1 - (long) strlen(before) : -1;

		*offset = at < 0 ? -1 : at;
		snprintf(why, whylen, "is not %s: %s", frags[kind].what, ps.error);
	} else if (!(ok = tree_is(kind, &ps)))
		snprintf(why, whylen, "is not %s alone", frags[kind].what);
	parsed_free(&ps);
	free(sql);
	return ok;
}
