/* convert: ALTER TABLE's subcommands, CREATE INDEX, renames and drops,
 * each into the operation that does the same (pgstep-plan(5) names their
 * fields, src/ops/ reads them). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query/pg_query.pb-c.h>

#include "convert/convert_int.h"
#include "pg/safety.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

static struct yv *
on_table(const char *table)
{
	struct yv *m = yv_map();

	yv_put_str(m, "table", table);
	return m;
}

/* ---- ADD COLUMN ---- */

static struct yv *
add_column(struct cv *cv, const char *table, json_object *cmd, json_object *cd, size_t b)
{
	const char *name = jstr(cd, "colname");
	json_object *cons = jget(cd, "constraints");
	json_object *def = NULL, *check = NULL, *unique = NULL, *fk = NULL, *last = NULL;
	bool notnull = false, null = false, deferrable = false, deferred = false;
	struct yv *col, *f, *ref = NULL;
	char *type, *text;

	if (!name)
		return cv_give_up(cv, "the column has no name");
	if (jget(cd, "collClause"))
		return cv_give_up(cv, "add_column gives a column no COLLATE");
	if (jstr(cd, "compression") || jstr(cd, "storage"))
		return cv_give_up(cv, "add_column sets no COMPRESSION or STORAGE");
	for (size_t i = 0; i < jlen(cons); i++) {
		json_object *k = node_as(jat(cons, i), "Constraint");
		const char *t = contype(k);

		if (strcmp(t, "CONSTR_NULL") == 0)
			null = true;
		else if (strcmp(t, "CONSTR_NOTNULL") == 0)
			notnull = true;
		else if (strcmp(t, "CONSTR_DEFAULT") == 0)
			def = k;
		else if (strcmp(t, "CONSTR_CHECK") == 0 && !check)
			check = k;
		else if (strcmp(t, "CONSTR_UNIQUE") == 0 && !unique)
			last = unique = k;
		else if (strcmp(t, "CONSTR_FOREIGN") == 0 && !fk)
			last = fk = k;
		else if (strcmp(t, "CONSTR_ATTR_DEFERRABLE") == 0 || strcmp(t, "CONSTR_ATTR_DEFERRED") == 0) {
			if (last != fk || !fk)
				return cv_give_up(cv, "add_column's unique constraint cannot be DEFERRABLE");
			deferrable = true;
			deferred = deferred || strcmp(t, "CONSTR_ATTR_DEFERRED") == 0;
		} else if (strcmp(t, "CONSTR_ATTR_NOT_DEFERRABLE") == 0 || strcmp(t, "CONSTR_ATTR_IMMEDIATE") == 0)
			continue;
		else if (strcmp(t, "CONSTR_PRIMARY") == 0)
			return cv_give_up(cv, "add_column cannot add a primary key column (it would build the key's index under an ACCESS EXCLUSIVE lock)");
		else if (strcmp(t, "CONSTR_GENERATED") == 0 || strcmp(t, "CONSTR_IDENTITY") == 0)
			return cv_give_up(cv, "add_column cannot add a generated or identity column (it computes every row while the table is locked)");
		else
			return cv_give_up(cv, "add_column takes one CHECK, one UNIQUE and one REFERENCES");
	}
	if (notnull && null)
		return cv_give_up(cv, "the column is both NULL and NOT NULL");
	if (notnull && !def)
		return cv_give_up(cv, "a NOT NULL column with no default cannot be added to a table that has rows, in plain SQL as by add_column (which needs a default, or up to fill the rows)");
	type = column_type(cv, cd, b);
	if (!type)
		return cv_give_up(cv, "the column's type could not be read");
	if (safety_is_volatile(safety_type_volatility(type))) {
		free(type);
		return cv_give_up(cv, "a serial column takes nextval() for every row, so adding it rewrites the table under an ACCESS EXCLUSIVE lock (add an integer column, fill it, then give it the default)");
	}
	if (unique) {
		char *pgname = sql_pg_name(table, name, "key");
		const char *given = jstr(unique, "conname");
		bool plain = (!given || strcmp(given, pgname) == 0) && !jbool(unique, "nulls_not_distinct") &&
			!jget(unique, "options") && !jstr(unique, "indexspace");

		free(pgname);
		if (!plain) {
			free(type);
			return cv_give_up(cv, "add_column's unique constraint has PostgreSQL's name %s_%s_key and no options", table,
					  name);
		}
	}
	if (fk) {
		if (jget(fk, "fk_del_set_cols")) {
			free(type);
			return cv_give_up(cv, "a column's references have no ON DELETE SET NULL (columns)");
		}
		if (!(ref = column_references(cv, table, name, fk, NULL, true))) {
			free(type);
			return NULL;
		}
		if (deferrable)
			yv_put_bool(ref, "deferrable", true);
		if (deferred)
			yv_put_bool(ref, "initially_deferred", true);
	}

	f = on_table(table);
	col = yv_put(f, "column", yv_map());
	yv_put_str(col, "name", name);
	yv_put_str(col, "type", type);
	if (def) {
		if (!(text = default_text(cv, cd, def, b))) {
			yv_free(f);
			yv_free(ref);
			free(type);
			return cv_give_up(cv, "the column's default could not be read");
		}
		yv_put(col, "default", yv_str_own(text));
	}
	/* as in pgroll, a column without nullable is NOT NULL */
	yv_put_bool(col, "nullable", !notnull);
	if (unique)
		yv_put_bool(col, "unique", true);
	if (check) {
		struct yv *c = yv_put(col, "check", yv_map());
		char *expr = check_text(cv, check, tok_at(cv, jint(check, "location")), b);
		char *cname = jstr(check, "conname") ? xstrdup(jstr(check, "conname"))
			: check_default_name(table, jget(check, "raw_expr"));

		yv_put(c, "name", yv_str_own(cname));
		if (!expr) {
			yv_free(f);
			yv_free(ref);
			free(type);
			return cv_give_up(cv, "the column's CHECK could not be read");
		}
		yv_put(c, "constraint", yv_str_own(expr));
		if (jbool(check, "is_no_inherit"))
			yv_put_bool(c, "no_inherit", true);
	}
	if (ref)
		yv_put(col, "references", ref);
	if (jbool(cmd, "missing_ok"))
		cv_note(cv, "IF NOT EXISTS is left out: expand fails if %s already has a column %s", table, name);
	known_col_add(known_table(cv, table) ? known_table(cv, table) : known_table_add(cv, table), name, type, notnull);
	free(type);
	return op_new("add_column", f);
}

/* ---- ALTER COLUMN ---- */

static struct yv *
alter_type(struct cv *cv, const char *table, const char *column, json_object *cd, size_t b)
{
	int loc = jint(jget(cd, "typeName"), "location");
	size_t t = tok_at(cv, loc), u = tok_find(cv, t, b, PG_QUERY__TOKEN__USING);
	struct kcol *kc = known_col(known_table(cv, table), column);
	char *type, *up, *down, *qc;
	struct yv *f;

	if (jget(cd, "collClause"))
		return cv_give_up(cv, "alter_column changes a type, not a collation (COLLATE)");
	if (!(type = tok_text(cv, t, u)))
		return cv_give_up(cv, "the new type could not be read");
	qc = ident_sql(column);
	up = u < b ? tok_text(cv, u + 1, b) : xasprintf("%s::%s", qc, type);
	if (!up) {
		free(type);
		free(qc);
		return cv_give_up(cv, "the USING expression could not be read");
	}
	down = xasprintf("%s::%s", qc, kc && kc->type ? kc->type : "text");
	f = on_table(table);
	yv_put_str(f, "column", column);
	yv_put_str(f, "type", type);
	yv_put(f, "up", yv_str_own(up));
	yv_put_str(f, "down", down);
	if (kc && kc->notnull)
		yv_put_bool(f, "nullable", false);
	if (kc && kc->type)
		cv_note(cv, "down is %s, back to the type the file gave %s.%s before: review it. It turns a value of the new type back into the old one, for the application still on the old column until contract",
			down, table, column);
	else
		cv_note(cv, "down is %s, a guess (the file does not say the type %s.%s had): review it. It turns a value of the new type back into the old one, for the application still on the old column until contract",
			down, table, column);
	if (kc) {
		free(kc->type);
		kc->type = xstrdup(type);
	}
	free(type);
	free(down);
	free(qc);
	return op_new("alter_column", f);
}

/* The type change of table.column that is the plan's last operation, if
 * it is one: a NOT NULL or a default for the column right after it goes
 * into it, as alter_column gives them to the new column. */
static struct yv *
last_type_change(struct cv *cv, const char *table, const char *column, const char *key)
{
	struct yv *a = cv->ops->n ? yv_get(cv->ops->items[cv->ops->n - 1], "alter_column") : NULL;
	struct yv *t = yv_get(a, "table"), *c = yv_get(a, "column");

	if (!a || !yv_get(a, "type") || yv_get(a, key) || strcmp(t->s, table) != 0 || strcmp(c->s, column) != 0)
		return NULL;
	return a;
}

static struct yv *
set_not_null(struct cv *cv, const char *table, const char *column, bool notnull)
{
	struct yv *typed = last_type_change(cv, table, column, "nullable");
	struct yv *f = on_table(table);
	struct kcol *kc = known_col(known_table(cv, table), column);

	if (typed) {
		yv_free(f);
		yv_put_bool(typed, "nullable", !notnull);
		if (kc)
			kc->notnull = notnull;
		cv->skip = true;
		return NULL;
	}
	yv_put_str(f, "column", column);
	yv_put_bool(f, "nullable", !notnull);
	if (notnull) {
		char *qc = ident_sql(column);

		yv_put_str(f, "up", qc);
		cv_note(cv, "up is %s, which leaves NULLs as they are: as SET NOT NULL would, the migration fails at switch (VALIDATE) while any row of %s has a NULL %s, until up is written to give those rows a value",
			qc, table, column);
		free(qc);
	}
	if (kc)
		kc->notnull = notnull;
	return op_new("alter_column", f);
}

static struct yv *
column_default(struct cv *cv, const char *table, const char *column, json_object *cmd, size_t a, size_t b)
{
	struct yv *typed = last_type_change(cv, table, column, "default");
	struct yv *f = on_table(table), *v;

	yv_put_str(f, "column", column);
	if (jget(cmd, "def")) {
		size_t d = tok_find(cv, a, b, PG_QUERY__TOKEN__DEFAULT);
		char *text = d < b ? tok_text(cv, d + 1, b) : NULL;

		if (!text) {
			yv_free(f);
			return cv_give_up(cv, "the default could not be read");
		}
		v = yv_str_own(text);
	} else {
		v = yv_null();
	}
	if (typed) {
		/* the new column has no default but the one alter_column gives it */
		yv_free(f);
		if (v->kind == YV_STR)
			yv_put(typed, "default", v);
		else
			yv_free(v);
		cv->skip = true;
		return NULL;
	}
	yv_put(f, "default", v);
	return op_new("alter_column", f);
}

/* ---- constraints ---- */

static struct yv *
add_constraint(struct cv *cv, const char *table, json_object *k, size_t a, size_t b)
{
	const char *t = contype(k), *given = jstr(k, "conname");
	struct yv *f = on_table(table), *ref = NULL, *ip = NULL;
	struct strlist cols = {0};
	char *name = NULL, *expr = NULL;
	const char *type;

	if (jbool(k, "deferrable") || jbool(k, "initdeferred"))
		cv_give_up(cv, "create_constraint makes no DEFERRABLE constraint");
	else if (strcmp(t, "CONSTR_CHECK") == 0) {
		type = "check";
		if (!(expr = check_text(cv, k, a, b)))
			cv_give_up(cv, "the CHECK expression could not be read");
		else
			name = given ? xstrdup(given) : check_default_name(table, jget(k, "raw_expr"));
	} else if (strcmp(t, "CONSTR_UNIQUE") == 0 || strcmp(t, "CONSTR_PRIMARY") == 0) {
		bool pk = strcmp(t, "CONSTR_PRIMARY") == 0;

		type = pk ? "primary_key" : "unique";
		string_list(jget(k, "keys"), &cols);
		if (jstr(k, "indexname"))
			cv_give_up(cv, "create_constraint builds its own index CONCURRENTLY and takes no USING INDEX");
		else if (jbool(k, "nulls_not_distinct"))
			cv_give_up(cv, "create_constraint has no NULLS NOT DISTINCT");
		else {
			struct strlist named, included;

			/* PostgreSQL names the index after its INCLUDE columns too */
			string_list(jget(k, "keys"), &named);
			string_list(jget(k, "including"), &included);
			for (size_t i = 0; i < included.n; i++)
				strlist_add(&named, included.v[i]);
			strlist_free(&included);
			ip = index_parameters(cv, k, a, b);
			name = given ? xstrdup(given) : pg_object_name(table, pk ? NULL : &named, pk ? "pkey" : "key");
			strlist_free(&named);
		}
	} else if (strcmp(t, "CONSTR_FOREIGN") == 0) {
		type = "foreign_key";
		string_list(jget(k, "fk_attrs"), &cols);
		if ((ref = table_references(cv, table, k, cols.n, known_pk(cv, table))))
			name = given ? xstrdup(given) : pg_object_name(table, &cols, "fkey");
	} else if (strcmp(t, "CONSTR_EXCLUSION") == 0)
		cv_give_up(cv, "create_constraint makes no EXCLUDE constraint");
	else
		cv_give_up(cv, "create_constraint makes check, unique, primary key and foreign key constraints only");
	if (!name) {
		yv_free(f);
		yv_free(ip);
		free(expr);
		strlist_free(&cols);
		return NULL;
	}
	yv_put_str(f, "name", name);
	yv_put_str(f, "type", type);
	if (cols.n)
		yv_put(f, "columns", name_list(&cols));
	if (expr)
		yv_put(f, "check", yv_str_own(expr));
	if (ref)
		yv_put(f, "references", ref);
	if (jbool(k, "is_no_inherit"))
		yv_put_bool(f, "no_inherit", true);
	if (ip)
		yv_put(f, "index_parameters", ip);
	if (!given)
		cv_note(cv, "the constraint has no name: the plan calls it %s, as PostgreSQL would unless that name is taken",
			name);
	if (jbool(k, "skip_validation")) {
		cv->nv_new.table = xstrdup(table);
		cv->nv_new.name = xstrdup(name);
		cv->nv_new.line = cv->line;
		cv->nv_new.col = cv->col;
	}
	if (strcmp(type, "primary_key") == 0) {
		struct ktable *kt = known_table(cv, table);

		if (kt) {
			strlist_free(&kt->pk);
			for (size_t i = 0; i < cols.n; i++) {
				struct kcol *kc = known_col(kt, cols.v[i]);

				strlist_add(&kt->pk, cols.v[i]);
				if (kc)
					kc->notnull = true;
			}
		}
	}
	free(name);
	strlist_free(&cols);
	return op_new("create_constraint", f);
}

/* VALIDATE CONSTRAINT of one the file added NOT VALID: create_constraint
 * validates it in switch already. */
static struct yv *
validate_constraint(struct cv *cv, const char *table, const char *name)
{
	for (size_t i = 0; name && i < cv->nnv; i++) {
		if (strcmp(cv->nv[i].table, table) == 0 && strcmp(cv->nv[i].name, name) == 0) {
			free(cv->nv[i].table);
			free(cv->nv[i].name);
			cv->nv[i] = cv->nv[--cv->nnv];
			cv->skip = true;
			return NULL;
		}
	}
	return cv_give_up(cv, "no operation validates a constraint that the file did not add");
}

static struct yv *
replica_identity(struct cv *cv, const char *table, json_object *ri)
{
	static const struct {
		const char *code, *type;
	} kinds[] = {{"f", "full"}, {"d", "default"}, {"n", "nothing"}, {"i", "index"}};
	const char *code = jstr(ri, "identity_type");
	struct yv *f, *id;

	for (size_t i = 0; code && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(code, kinds[i].code) != 0)
			continue;
		f = on_table(table);
		id = yv_put(f, "identity", yv_map());
		yv_put_str(id, "type", kinds[i].type);
		if (jstr(ri, "name"))
			yv_put_str(id, "index", jstr(ri, "name"));
		return op_new("set_replica_identity", f);
	}
	return cv_give_up(cv, "the replica identity could not be read");
}

static struct yv *
drop_named(struct cv *cv, const char *kind, const char *table, const char *key, const char *name, json_object *cmd)
{
	struct yv *f = on_table(table);

	yv_put_str(f, key, name);
	if (jbool(cmd, "missing_ok"))
		cv_note(cv, "IF EXISTS is left out: the operation fails if %s has no %s %s", table,
			strcmp(key, "column") == 0 ? "column" : "constraint", name);
	if (jis(cmd, "behavior", "DROP_CASCADE"))
		cv_note(cv, "CASCADE is left out: contract fails while a view or another object depends on %s", name);
	if (strcmp(key, "column") == 0)
		known_col_drop(known_table(cv, table), name);
	return op_new(kind, f);
}

struct yv *
convert_alter_cmd(struct cv *cv, const char *table, json_object *cmd, size_t a, size_t b)
{
	const char *sub = jstr(cmd, "subtype"), *name = jstr(cmd, "name");
	json_object *def = jget(cmd, "def");
	char *what;

	if (!sub)
		return cv_give_up(cv, "the subcommand could not be read");
	if (strcmp(sub, "AT_AddColumn") == 0 && node_as(def, "ColumnDef"))
		return add_column(cv, table, cmd, node_as(def, "ColumnDef"), b);
	if (strcmp(sub, "AT_AlterColumnType") == 0 && name && node_as(def, "ColumnDef"))
		return alter_type(cv, table, name, node_as(def, "ColumnDef"), b);
	if (strcmp(sub, "AT_SetNotNull") == 0 && name)
		return set_not_null(cv, table, name, true);
	if (strcmp(sub, "AT_DropNotNull") == 0 && name)
		return set_not_null(cv, table, name, false);
	if (strcmp(sub, "AT_ColumnDefault") == 0 && name)
		return column_default(cv, table, name, cmd, a, b);
	if (strcmp(sub, "AT_DropColumn") == 0 && name)
		return drop_named(cv, "drop_column", table, "column", name, cmd);
	if (strcmp(sub, "AT_AddConstraint") == 0 && node_as(def, "Constraint"))
		return add_constraint(cv, table, node_as(def, "Constraint"), a, b);
	if (strcmp(sub, "AT_DropConstraint") == 0 && name)
		return drop_named(cv, "drop_constraint", table, "name", name, cmd);
	if (strcmp(sub, "AT_ValidateConstraint") == 0)
		return validate_constraint(cv, table, name);
	if (strcmp(sub, "AT_ReplicaIdentity") == 0 && node_as(def, "ReplicaIdentityStmt"))
		return replica_identity(cv, table, node_as(def, "ReplicaIdentityStmt"));
	what = leading_words(cv, a, b);
	cv_give_up(cv, "no operation does ALTER TABLE ... %s", what);
	free(what);
	return NULL;
}

/* ---- CREATE INDEX ---- */

static const char *
sort_word(json_object *e, const char *key, const char *first, const char *first_word, const char *second,
	  const char *second_word)
{
	return jis(e, key, first) ? first_word : jis(e, key, second) ? second_word : NULL;
}

/* One index column: its name, or {column, sort, nulls, collate, opclass}. */
static struct yv *
index_column(struct cv *cv, json_object *e, struct strlist *names)
{
	const char *col = jstr(e, "name");
	const char *sort = sort_word(e, "ordering", "SORTBY_ASC", "ASC", "SORTBY_DESC", "DESC");
	const char *nulls = sort_word(e, "nulls_ordering", "SORTBY_NULLS_FIRST", "FIRST", "SORTBY_NULLS_LAST", "LAST");
	json_object *coll = jget(e, "collation"), *opc = jget(e, "opclass"), *opts = jget(e, "opclassopts");
	struct yv *m;

	if (!col)
		return cv_give_up(cv, "create_index indexes columns, not expressions");
	if (jis(e, "ordering", "SORTBY_USING"))
		return cv_give_up(cv, "create_index sorts ASC or DESC, not USING an operator");
	if (jlen(coll) > 1)
		return cv_give_up(cv, "create_index takes a collation without a schema");
	strlist_add(names, col);
	if (!sort && !nulls && !jlen(coll) && !jlen(opc))
		return yv_str(col);
	m = yv_map();
	yv_put_str(m, "column", col);
	if (sort)
		yv_put_str(m, "sort", sort);
	if (nulls)
		yv_put_str(m, "nulls", nulls);
	if (jlen(coll))
		yv_put_str(m, "collate", string_node(jat(coll, 0)));
	if (jlen(opc)) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < jlen(opc); i++) {
			char *part = ident_sql(string_node(jat(opc, i)) ? string_node(jat(opc, i)) : "");

			sb_printf(&sb, "%s%s", i ? "." : "", part);
			free(part);
		}
		if (!jlen(opts)) {
			yv_put(m, "opclass", yv_str_own(sb_steal(&sb)));
		} else {
			struct yv *o = yv_put(m, "opclass", yv_map());
			struct yv *params = yv_seq();

			yv_put(o, "name", yv_str_own(sb_steal(&sb)));
			for (size_t i = 0; i < jlen(opts); i++) {
				size_t s = tok_at(cv, jint(node_as(jat(opts, i), "DefElem"), "location"));
				char *p = tok_text(cv, s, tok_element_end(cv, s, cv->t1));

				if (!p) {
					yv_free(params);
					yv_free(m);
					return cv_give_up(cv, "the operator class's parameters could not be read");
				}
				yv_push(params, yv_str_own(p));
			}
			yv_put(o, "params", params);
		}
	}
	return m;
}

struct yv *
convert_create_index(struct cv *cv, json_object *b)
{
	static const char *const methods[] = {"btree", "hash", "gist", "spgist", "gin", "brin"};
	json_object *rv = jget(b, "relation"), *params = jget(b, "indexParams");
	const char *table = cv_relation(cv, rv), *method = jstr(b, "accessMethod"), *idx = jstr(b, "idxname");
	struct yv *f, *cols;
	struct strlist names = {0};
	size_t rel_end, open, close, w;
	bool known_method = false;
	char *name;

	if (!table)
		return NULL;
	if (!jbool(rv, "inh"))
		return cv_give_up(cv, "create_index has no ONLY (it builds the index on the table and its partitions alike)");
	if (jget(b, "indexIncludingParams"))
		return cv_give_up(cv, "create_index has no INCLUDE columns");
	if (jstr(b, "tableSpace"))
		return cv_give_up(cv, "create_index has no TABLESPACE");
	if (jbool(b, "nulls_not_distinct"))
		return cv_give_up(cv, "create_index has no NULLS NOT DISTINCT");
	for (size_t i = 0; method && i < sizeof(methods) / sizeof(methods[0]); i++)
		known_method = known_method || strcmp(method, methods[i]) == 0;
	if (method && !known_method)
		return cv_give_up(cv, "create_index builds btree, hash, gist, spgist, gin and brin indexes, not %s", method);
	cols = yv_seq();
	for (size_t i = 0; i < jlen(params); i++) {
		struct yv *c = index_column(cv, node_as(jat(params, i), "IndexElem"), &names);

		if (!c) {
			yv_free(cols);
			strlist_free(&names);
			return NULL;
		}
		yv_push(cols, c);
	}
	name = idx ? xstrdup(idx) : pg_object_name(table, &names, "idx");
	f = yv_map();
	yv_put_str(f, "name", name);
	yv_put_str(f, "table", table);
	yv_put(f, "columns", cols);
	if (jbool(b, "unique"))
		yv_put_bool(f, "unique", true);
	if (method && strcmp(method, "btree") != 0)
		yv_put_str(f, "method", method);
	rel_end = after_relation(cv, rv);
	open = tok_find(cv, rel_end, cv->t1, '(');
	close = tok_close(cv, open, cv->t1);
	if (jget(b, "whereClause")) {
		w = tok_find(cv, close + 1, cv->t1, PG_QUERY__TOKEN__WHERE);
		yv_put(f, "predicate", w < cv->t1 ? yv_str_own(tok_text(cv, w + 1, cv->t1)) : yv_null());
	}
	if (jget(b, "options")) {
		char *with;

		w = tok_find(cv, close + 1, cv->t1, PG_QUERY__TOKEN__WITH);
		with = w < cv->t1 ? paren_text(cv, w + 1, cv->t1) : NULL;
		yv_put(f, "storage_parameters", with ? yv_str_own(with) : yv_null());
	}
	if (!idx)
		cv_note(cv, "the index has no name: the plan calls it %s, as PostgreSQL would unless that name is taken",
			name);
	if (jbool(b, "if_not_exists"))
		cv_note(cv, "IF NOT EXISTS is left out: expand fails if an index %s exists", name);
	free(name);
	strlist_free(&names);
	return op_new("create_index", f);
}

/* ---- renames and drops ---- */

struct yv *
convert_rename(struct cv *cv, json_object *b)
{
	const char *type = jstr(b, "renameType"), *to = jstr(b, "newname"), *from = jstr(b, "subname");
	json_object *rv = jget(b, "relation");
	const char *table;
	struct yv *f;
	char *what;

	if (type && to && (strcmp(type, "OBJECT_TABLE") == 0 ||
			   ((strcmp(type, "OBJECT_COLUMN") == 0 && jis(b, "relationType", "OBJECT_TABLE")) ||
			    strcmp(type, "OBJECT_TABCONSTRAINT") == 0))) {
		if (!(table = cv_relation(cv, rv)))
			return NULL;
		if (jbool(b, "missing_ok"))
			cv_note(cv, "IF EXISTS is left out: the operation fails if table %s does not exist", table);
		if (!jbool(rv, "inh"))
			cv_note(cv, "ONLY is left out: the operation renames in %s and the tables that inherit from it", table);
		f = yv_map();
		if (strcmp(type, "OBJECT_TABLE") == 0) {
			struct ktable *kt = known_table(cv, table);

			yv_put_str(f, "from", table);
			yv_put_str(f, "to", to);
			if (kt) {
				known_table_drop(cv, to);
				kt = known_table(cv, table);
				free(kt->name);
				kt->name = xstrdup(to);
			}
			return op_new("rename_table", f);
		}
		if (!from) {
			yv_free(f);
			return cv_give_up(cv, "the old name could not be read");
		}
		yv_put_str(f, "table", table);
		yv_put_str(f, "from", from);
		yv_put_str(f, "to", to);
		if (strcmp(type, "OBJECT_COLUMN") == 0) {
			struct kcol *kc = known_col(known_table(cv, table), from);

			if (kc) {
				free(kc->name);
				kc->name = xstrdup(to);
			}
			cv_note(cv, "rename_column makes %s a second column kept equal to %s until contract drops %s (its indexes and constraints are built again on %s); expand refuses it while another table's foreign key references %s, and contract fails while a view uses it",
				to, from, from, to, from);
			return op_new("rename_column", f);
		}
		return op_new("rename_constraint", f);
	}
	what = leading_words(cv, cv->t0, cv->t1);
	cv_give_up(cv, "no operation does %s ... RENAME", what);
	free(what);
	return NULL;
}

struct yv *
convert_drop(struct cv *cv, json_object *b)
{
	const char *type = jstr(b, "removeType");
	json_object *objs = jget(b, "objects");
	bool table = type && strcmp(type, "OBJECT_TABLE") == 0, index = type && strcmp(type, "OBJECT_INDEX") == 0;
	struct yv *ops;
	char *what;

	if (!table && !index) {
		what = leading_words(cv, cv->t0, cv->t1);
		cv_give_up(cv, "no operation does %s", what);
		free(what);
		return NULL;
	}
	ops = yv_seq();
	for (size_t i = 0; i < jlen(objs); i++) {
		json_object *items = list_items(jat(objs, i));
		size_t n = jlen(items);
		const char *name = last_name(items), *schema = n == 2 ? string_node(jat(items, 0)) : NULL;
		struct yv *f = yv_map();

		if (!name || n > 2 || (schema && strcmp(schema, "public") != 0)) {
			yv_free(f);
			yv_free(ops);
			return cv_give_up(cv, "pgstep's operations name %s without a schema, through the search_path of pgstep's connection",
					  table ? "tables" : "indexes");
		}
		if (schema)
			cv_note(cv, "public.%s is written %s: pgstep's operations find it through the search_path of pgstep's connection",
				name, name);
		yv_put_str(f, "name", name);
		yv_push(ops, op_new(table ? "drop_table" : "drop_index", f));
		if (table && jbool(b, "missing_ok"))
			cv_note(cv, "IF EXISTS is left out: contract fails if table %s does not exist", name);
		if (jis(b, "behavior", "DROP_CASCADE"))
			cv_note(cv, "CASCADE is left out: contract fails while a view, a foreign key or another object depends on %s",
				name);
		if (table)
			known_table_drop(cv, name);
	}
	return ops;
}
