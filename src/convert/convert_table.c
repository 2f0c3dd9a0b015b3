/* convert: CREATE TABLE into create_table, and the parts of constraints
 * that ADD COLUMN and ADD CONSTRAINT share with it.
 *
 * A table's new constraints keep the names the statement gives them, and
 * no other: create_table writes an unnamed one as the statement does, so
 * PostgreSQL names it exactly as it would have. On a table that exists
 * (ADD COLUMN, ADD CONSTRAINT), the plan names each constraint itself,
 * with PostgreSQL's name when the statement gives none. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <pg_query/pg_query.pb-c.h>

#include "pg/colrefs.h"
#include "convert/convert_int.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* ---- shared with ALTER TABLE ---- */

void
fk_actions(struct yv *m, json_object *k, bool with_set_columns)
{
	static const struct {
		const char *code, *sql;
	} actions[] = {{"r", "RESTRICT"}, {"c", "CASCADE"}, {"n", "SET NULL"}, {"d", "SET DEFAULT"}};
	static const struct {
		const char *field, *key;
	} which[] = {{"fk_del_action", "on_delete"}, {"fk_upd_action", "on_update"}};

	for (size_t w = 0; w < sizeof(which) / sizeof(which[0]); w++)
		for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
			if (jis(k, which[w].field, actions[i].code))
				yv_put_str(m, which[w].key, actions[i].sql);
	if (jis(k, "fk_matchtype", "f"))
		yv_put_str(m, "match_type", "FULL");
	else if (jis(k, "fk_matchtype", "p"))
		yv_put_str(m, "match_type", "PARTIAL");
	if (with_set_columns && jlen(jget(k, "fk_del_set_cols"))) {
		struct strlist cols;

		string_list(jget(k, "fk_del_set_cols"), &cols);
		yv_put(m, "on_delete_set_columns", name_list(&cols));
		strlist_free(&cols);
	}
}

/* The columns a reference without a column list points at: the primary
 * key of the table referenced, if the file says it. */
static const struct strlist *
referenced_key(struct cv *cv, const char *table, const char *reftable, const struct strlist *self_pk)
{
	if (strcmp(reftable, table) == 0 && self_pk && self_pk->n)
		return self_pk;
	return known_pk(cv, reftable);
}

struct yv *
column_references(struct cv *cv, const char *table, const char *column, json_object *k,
		  const struct strlist *self_pk, bool named)
{
	const char *reftable = cv_relation(cv, jget(k, "pktable")), *given = jstr(k, "conname");
	json_object *pk = jget(k, "pk_attrs");
	const struct strlist *key;
	const char *refcol;
	struct yv *m;

	if (!reftable)
		return NULL;
	if (jlen(pk) > 1)
		return cv_give_up(cv, "a column references one column");
	if (jlen(pk) == 1) {
		refcol = string_node(jat(pk, 0));
	} else {
		key = referenced_key(cv, table, reftable, self_pk);
		if (!key)
			return cv_give_up(cv, "REFERENCES %s names no column, and the file does not say the primary key of %s", reftable,
					  reftable);
		if (key->n != 1)
			return cv_give_up(cv, "REFERENCES %s names no column, and the primary key of %s has %zu columns", reftable, reftable,
					  key->n);
		refcol = key->v[0];
	}
	if (!refcol)
		return cv_give_up(cv, "the referenced column could not be read");
	m = yv_map();
	if (given) {
		yv_put_str(m, "name", given);
	} else if (named) {
		char *n = sql_pg_name(table, column, "fkey");

		yv_put(m, "name", yv_str_own(n));
	}
	yv_put_str(m, "table", reftable);
	yv_put_str(m, "column", refcol);
	fk_actions(m, k, false);
	return m;
}

struct yv *
table_references(struct cv *cv, const char *table, json_object *k, size_t ncols, const struct strlist *self_pk)
{
	const char *reftable = cv_relation(cv, jget(k, "pktable"));
	const struct strlist *key;
	struct strlist pk;
	struct yv *r;

	if (!reftable)
		return NULL;
	string_list(jget(k, "pk_attrs"), &pk);
	if (pk.n == 0) {
		if (!(key = referenced_key(cv, table, reftable, self_pk))) {
			strlist_free(&pk);
			return cv_give_up(cv, "REFERENCES %s names no columns, and the file does not say the primary key of %s", reftable,
					  reftable);
		}
		for (size_t i = 0; i < key->n; i++)
			strlist_add(&pk, key->v[i]);
	}
	if (pk.n != ncols) {
		cv_give_up(cv, "the foreign key has %zu column%s and references %zu", ncols, ncols == 1 ? "" : "s", pk.n);
		strlist_free(&pk);
		return NULL;
	}
	r = yv_map();
	yv_put_str(r, "table", reftable);
	yv_put(r, "columns", name_list(&pk));
	fk_actions(r, k, true);
	strlist_free(&pk);
	return r;
}

char *
check_text(struct cv *cv, json_object *k, size_t a, size_t b)
{
	size_t i = tok_at(cv, jint(k, "location")), c;

	if (i < a)
		i = a;
	c = tok_find(cv, i, b, PG_QUERY__TOKEN__CHECK);
	return c < b ? paren_text(cv, c + 1, b) : NULL;
}

char *
check_default_name(const char *table, json_object *expr)
{
	struct strlist cols = {0};
	char *name;

	/* AddRelationNewConstraints: the column, when the expression names
	 * exactly one */
	tree_column_refs(expr, &cols);
	name = sql_pg_name(table, cols.n == 1 ? cols.v[0] : NULL, "check");
	strlist_free(&cols);
	return name;
}

struct yv *
index_parameters(struct cv *cv, json_object *k, size_t a, size_t b)
{
	json_object *including = jget(k, "including");
	const char *space = jstr(k, "indexspace");
	struct yv *m;

	if (!jlen(including) && !jget(k, "options") && !space)
		return NULL;
	m = yv_map();
	if (jlen(including)) {
		struct strlist cols;

		string_list(including, &cols);
		yv_put(m, "include_columns", name_list(&cols));
		strlist_free(&cols);
	}
	if (jget(k, "options")) {
		size_t i = tok_at(cv, jint(k, "location")), w;
		char *with;

		w = tok_find(cv, i < a ? a : i, b, PG_QUERY__TOKEN__WITH);
		with = w < b ? paren_text(cv, w + 1, b) : NULL;
		yv_put(m, "storage_parameters", with ? yv_str_own(with) : yv_null());
	}
	if (space)
		yv_put_str(m, "tablespace", space);
	return m;
}

/* ---- CREATE TABLE ---- */

/* The table's primary key, as its columns or its constraints give it. */
static void
primary_key(json_object *elts, struct strlist *pk)
{
	memset(pk, 0, sizeof(*pk));
	for (size_t i = 0; i < jlen(elts); i++) {
		json_object *cd = node_as(jat(elts, i), "ColumnDef"), *k = node_as(jat(elts, i), "Constraint");
		json_object *cons = jget(cd, "constraints");

		for (size_t j = 0; j < jlen(cons); j++)
			if (jis(node_as(jat(cons, j), "Constraint"), "contype", "CONSTR_PRIMARY") && jstr(cd, "colname"))
				strlist_add(pk, jstr(cd, "colname"));
		for (size_t j = 0; jis(k, "contype", "CONSTR_PRIMARY") && j < jlen(jget(k, "keys")); j++)
			if (string_node(jat(jget(k, "keys"), j)))
				strlist_add(pk, string_node(jat(jget(k, "keys"), j)));
	}
}

/* DEFERRABLE and INITIALLY DEFERRED, which the parser leaves as
 * constraints of their own after the one they qualify. */
static void
deferral(json_object *cons, size_t of, bool *deferrable, bool *deferred)
{
	*deferrable = *deferred = false;
	for (size_t j = of + 1; j < jlen(cons); j++) {
		const char *t = contype(node_as(jat(cons, j), "Constraint"));

		if (strncmp(t, "CONSTR_ATTR_", 12) != 0)
			return;
		if (strcmp(t, "CONSTR_ATTR_DEFERRABLE") == 0)
			*deferrable = true;
		if (strcmp(t, "CONSTR_ATTR_DEFERRED") == 0)
			*deferrable = *deferred = true;
	}
}

static void
put_deferral(struct yv *m, bool deferrable, bool deferred)
{
	if (deferrable && !deferred)
		yv_put_bool(m, "deferrable", true);
	if (deferred) {
		yv_put_bool(m, "deferrable", true);
		yv_put_bool(m, "initially_deferred", true);
	}
}

/* A unique or primary key constraint of one column, as a table constraint. */
static struct yv *
column_key(struct cv *cv, json_object *k, const char *column, size_t a, size_t b, bool deferrable, bool deferred)
{
	struct yv *m = yv_map(), *cols = yv_seq(), *ip;
	bool pk = jis(k, "contype", "CONSTR_PRIMARY");

	if (jstr(k, "conname"))
		yv_put_str(m, "name", jstr(k, "conname"));
	yv_put_str(m, "type", pk ? "primary_key" : "unique");
	yv_push(cols, yv_str(column));
	yv_put(m, "columns", cols);
	if ((ip = index_parameters(cv, k, a, b)))
		yv_put(m, "index_parameters", ip);
	put_deferral(m, deferrable, deferred);
	if (jbool(k, "nulls_not_distinct"))
		yv_put_bool(m, "nulls_not_distinct", true);
	return m;
}

static struct yv *
check_value(struct cv *cv, json_object *k, size_t a, size_t b, bool as_table)
{
	char *expr = check_text(cv, k, a, b);
	struct yv *m;

	if (!expr)
		return cv_give_up(cv, "a CHECK expression could not be read");
	if (!as_table && !jstr(k, "conname") && !jbool(k, "is_no_inherit"))
		return yv_str_own(expr);
	m = yv_map();
	if (jstr(k, "conname"))
		yv_put_str(m, "name", jstr(k, "conname"));
	if (as_table) {
		yv_put_str(m, "type", "check");
		yv_put(m, "check", yv_str_own(expr));
	} else {
		yv_put(m, "constraint", yv_str_own(expr));
	}
	if (jbool(k, "is_no_inherit"))
		yv_put_bool(m, "no_inherit", true);
	return m;
}

/* GENERATED ALWAYS AS (expr) STORED, or an identity with its options. */
static struct yv *
generated(struct cv *cv, json_object *cd, json_object *k, size_t b)
{
	int loc = jint(k, "location");
	size_t i = tok_at(cv, loc), end = next_clause(cv, cd, loc, b);
	struct yv *g = yv_map(), *id;
	char *text;

	if (jis(k, "contype", "CONSTR_GENERATED")) {
		if (!(text = paren_text(cv, tok_find(cv, i, end, '('), end))) {
			yv_free(g);
			return cv_give_up(cv, "the generated column's expression could not be read");
		}
		yv_put(g, "expression", yv_str_own(text));
		return g;
	}
	id = yv_put(g, "identity", yv_map());
	yv_put_str(id, "user_specified_values", jis(k, "generated_when", "a") ? "ALWAYS" : "BY DEFAULT");
	i = tok_find(cv, i, end, PG_QUERY__TOKEN__IDENTITY_P);
	if (jget(k, "options") && (text = paren_text(cv, i + 1, end)))
		yv_put(id, "sequence_options", yv_str_own(text));
	return g;
}

struct column_out {
	struct yv *columns, *constraints;
	struct ktable *kt;	/* the table as it will be known */
};

static bool
table_column(struct cv *cv, const char *table, json_object *cd, size_t a, size_t b, const struct strlist *pk,
	     struct column_out *out)
{
	const char *name = jstr(cd, "colname");
	json_object *cons = jget(cd, "constraints");
	struct yv *col, *check = NULL, *ref = NULL, *gen = NULL, *extra = yv_seq();
	char *type, *def = NULL;
	bool notnull = false, null = false, unique = false, is_pk = false, ok = true;

	if (!name) {
		yv_free(extra);
		return cv_fail(cv, "a column has no name");
	}
	if (jget(cd, "collClause") || jstr(cd, "compression") || jstr(cd, "storage")) {
		yv_free(extra);
		return cv_fail(cv, "create_table's columns have no COLLATE, COMPRESSION or STORAGE (%s has)", name);
	}
	if (!(type = column_type(cv, cd, b))) {
		yv_free(extra);
		return cv_fail(cv, "the type of %s could not be read", name);
	}
	for (size_t j = 0; ok && j < jlen(cons); j++) {
		json_object *k = node_as(jat(cons, j), "Constraint");
		const char *t = contype(k);
		size_t ka = tok_at(cv, jint(k, "location")), kb = next_clause(cv, cd, jint(k, "location"), b);
		bool deferrable, deferred;
		struct yv *v;

		deferral(cons, j, &deferrable, &deferred);
		if (strcmp(t, "CONSTR_NULL") == 0) {
			null = true;
		} else if (strcmp(t, "CONSTR_NOTNULL") == 0) {
			notnull = true;
		} else if (strcmp(t, "CONSTR_DEFAULT") == 0) {
			free(def);
			if (!(def = default_text(cv, cd, k, b)))
				ok = cv_fail(cv, "the default of %s could not be read", name);
		} else if (strcmp(t, "CONSTR_CHECK") == 0) {
			if (!(v = check_value(cv, k, ka, kb, check != NULL)))
				ok = false;
			else if (!check)
				check = v;
			else
				yv_push(extra, v);
		} else if (strcmp(t, "CONSTR_UNIQUE") == 0 || strcmp(t, "CONSTR_PRIMARY") == 0) {
			bool as_pk = strcmp(t, "CONSTR_PRIMARY") == 0;
			bool *flag = as_pk ? &is_pk : &unique;

			if (!*flag && !jstr(k, "conname") && !deferrable && !jbool(k, "nulls_not_distinct") &&
			    !jget(k, "options") && !jstr(k, "indexspace"))
				*flag = true;
			else
				yv_push(extra, column_key(cv, k, name, ka, kb, deferrable, deferred));
		} else if (strcmp(t, "CONSTR_FOREIGN") == 0) {
			if (ref || jlen(jget(k, "fk_del_set_cols"))) {
				/* a second one, or one that needs the table form */
				struct yv *m = yv_map(), *cols = yv_seq(), *r;

				if (jstr(k, "conname"))
					yv_put_str(m, "name", jstr(k, "conname"));
				yv_put_str(m, "type", "foreign_key");
				yv_push(cols, yv_str(name));
				yv_put(m, "columns", cols);
				if (!(r = table_references(cv, table, k, 1, pk))) {
					yv_free(m);
					ok = false;
					continue;
				}
				yv_put(m, "references", r);
				put_deferral(m, deferrable, deferred);
				yv_push(extra, m);
			} else if (!(ref = column_references(cv, table, name, k, pk, false))) {
				ok = false;
			} else {
				if (deferrable)
					yv_put_bool(ref, "deferrable", true);
				if (deferred)
					yv_put_bool(ref, "initially_deferred", true);
			}
		} else if (strcmp(t, "CONSTR_GENERATED") == 0 || strcmp(t, "CONSTR_IDENTITY") == 0) {
			yv_free(gen);
			if (!(gen = generated(cv, cd, k, b)))
				ok = false;
		} else if (strncmp(t, "CONSTR_ATTR_", 12) != 0) {
			ok = cv_fail(cv, "create_table has no such constraint on a column (%s)", name);
		}
	}
	if (ok && null && notnull)
		ok = cv_fail(cv, "column %s is both NULL and NOT NULL", name);
	if (!ok) {
		yv_free(check);
		yv_free(ref);
		yv_free(gen);
		yv_free(extra);
		free(def);
		free(type);
		return false;
	}
	col = yv_push(out->columns, yv_map());
	yv_put_str(col, "name", name);
	yv_put_str(col, "type", type);
	if (def)
		yv_put(col, "default", yv_str_own(def));
	/* a primary key column is NOT NULL: pgstep refuses nullable on one */
	if (!is_pk && !strlist_contains(pk, name))
		yv_put_bool(col, "nullable", !notnull);
	if (unique)
		yv_put_bool(col, "unique", true);
	if (is_pk)
		yv_put_bool(col, "pk", true);
	if (check)
		yv_put(col, "check", check);
	if (ref)
		yv_put(col, "references", ref);
	if (gen)
		yv_put(col, "generated", gen);
	for (size_t i = 0; i < extra->n; i++)
		yv_push(out->constraints, extra->items[i]);
	extra->n = 0;
	yv_free(extra);
	known_col_add(out->kt, name, type, notnull || is_pk || strlist_contains(pk, name));
	free(type);
	return true;
}

static struct yv *
table_constraint(struct cv *cv, const char *table, json_object *k, size_t a, size_t b, const struct strlist *pk)
{
	const char *t = contype(k);
	struct yv *m, *v;
	struct strlist cols;

	if (strcmp(t, "CONSTR_CHECK") == 0)
		return check_value(cv, k, a, b, true);
	m = yv_map();
	if (jstr(k, "conname"))
		yv_put_str(m, "name", jstr(k, "conname"));
	if (strcmp(t, "CONSTR_UNIQUE") == 0 || strcmp(t, "CONSTR_PRIMARY") == 0) {
		if (jstr(k, "indexname")) {
			yv_free(m);
			return cv_give_up(cv, "a new table's constraint cannot use an existing index");
		}
		yv_put_str(m, "type", strcmp(t, "CONSTR_PRIMARY") == 0 ? "primary_key" : "unique");
		string_list(jget(k, "keys"), &cols);
		yv_put(m, "columns", name_list(&cols));
		strlist_free(&cols);
	} else if (strcmp(t, "CONSTR_FOREIGN") == 0) {
		yv_put_str(m, "type", "foreign_key");
		string_list(jget(k, "fk_attrs"), &cols);
		yv_put(m, "columns", name_list(&cols));
		v = table_references(cv, table, k, cols.n, pk);
		strlist_free(&cols);
		if (!v) {
			yv_free(m);
			return NULL;
		}
		yv_put(m, "references", v);
	} else if (strcmp(t, "CONSTR_EXCLUSION") == 0) {
		size_t e = tok_find(cv, tok_at(cv, jint(k, "location")), b, PG_QUERY__TOKEN__EXCLUDE) + 1, close;
		const char *method = jstr(k, "access_method");
		char *elements, *pred = NULL;

		if (tok_is(cv, e, PG_QUERY__TOKEN__USING))
			e += 2;
		close = tok_close(cv, e, b);
		elements = paren_text(cv, e, b);
		if (jget(k, "where_clause")) {
			size_t w = tok_find(cv, close + 1, b, PG_QUERY__TOKEN__WHERE);

			pred = w < b ? paren_text(cv, w + 1, b) : NULL;
		}
		if (!elements || (jget(k, "where_clause") && !pred)) {
			free(elements);
			free(pred);
			yv_free(m);
			return cv_give_up(cv, "the EXCLUDE constraint could not be read");
		}
		yv_put_str(m, "type", "exclude");
		v = yv_put(m, "exclude", yv_map());
		if (method && strcmp(method, "btree") != 0)
			yv_put_str(v, "index_method", method);
		yv_put(v, "elements", yv_str_own(elements));
		if (pred)
			yv_put(v, "predicate", yv_str_own(pred));
	} else {
		yv_free(m);
		return cv_give_up(cv, "create_table has no such table constraint");
	}
	if (strcmp(t, "CONSTR_FOREIGN") != 0 && (v = index_parameters(cv, k, a, b)))
		yv_put(m, "index_parameters", v);
	put_deferral(m, jbool(k, "deferrable") || jbool(k, "initdeferred"), jbool(k, "initdeferred"));
	if (jbool(k, "nulls_not_distinct"))
		yv_put_bool(m, "nulls_not_distinct", true);
	return m;
}

struct yv *
convert_create_table(struct cv *cv, json_object *b)
{
	json_object *rv = jget(b, "relation"), *elts = jget(b, "tableElts");
	const char *table = cv_relation(cv, rv);
	struct column_out out = {0};
	struct ktable kt = {0};
	struct strlist pk;
	struct yv *f;
	size_t open, close, n, *starts, *ends;
	bool ok = true;

	if (!table)
		return NULL;
	if (jget(b, "inhRelations") || jget(b, "partspec") || jget(b, "partbound") || jget(b, "ofTypename"))
		return cv_give_up(cv, "create_table makes plain tables: no INHERITS, PARTITION BY, PARTITION OF or OF type");
	if (jget(b, "options") || jstr(b, "tablespacename") || jstr(b, "accessMethod"))
		return cv_give_up(cv, "create_table has no WITH (...), TABLESPACE or USING");
	if (!jis(rv, "relpersistence", "p") || !jis(b, "oncommit", "ONCOMMIT_NOOP"))
		return cv_give_up(cv, "create_table makes no temporary or unlogged table");
	open = tok_find(cv, after_relation(cv, rv), cv->t1, '(');
	close = tok_close(cv, open, cv->t1);
	if (close >= cv->t1 || jlen(elts) == 0)
		return cv_give_up(cv, "create_table needs columns");
	n = tok_split(cv, open + 1, close, &starts, &ends);
	if (n != jlen(elts)) {
		free(starts);
		free(ends);
		return cv_give_up(cv, "its columns and constraints cannot be told apart");
	}
	primary_key(elts, &pk);
	kt.name = xstrdup(table);
	out.kt = &kt;
	out.columns = yv_seq();
	out.constraints = yv_seq();
	for (size_t i = 0; ok && i < n; i++) {
		json_object *cd = node_as(jat(elts, i), "ColumnDef"), *k = node_as(jat(elts, i), "Constraint");
		struct yv *c;

		if (cd)
			ok = table_column(cv, table, cd, starts[i], ends[i], &pk, &out);
		else if (k && (c = table_constraint(cv, table, k, starts[i], ends[i], &pk)))
			yv_push(out.constraints, c);
		else if (k)
			ok = false;
		else
			ok = cv_fail(cv, "create_table has no LIKE");
	}
	free(starts);
	free(ends);
	if (!ok) {
		yv_free(out.columns);
		yv_free(out.constraints);
		kt.pk = pk;
		ktable_free(&kt);
		return NULL;
	}
	f = yv_map();
	yv_put_str(f, "name", table);
	yv_put(f, "columns", out.columns);
	if (out.constraints->n)
		yv_put(f, "constraints", out.constraints);
	else
		yv_free(out.constraints);
	if (jbool(b, "if_not_exists"))
		cv_note(cv, "IF NOT EXISTS is left out: expand fails if table %s exists", table);
	/* what later statements of the file may need: types, NOT NULL, the key */
	kt.pk = pk;
	known_table_put(cv, &kt);
	return op_new("create_table", f);
}
