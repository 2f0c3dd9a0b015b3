/*
 * Safety decisions offline: read from PostgreSQL's parse tree
 * (libpg_query, pgparse.h). The live catalog's half is safety_catalog.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strlist.h"
#include "pg/pgparse.h"
#include "pg/safety.h"
#include "pg/sql.h"
#include "base/xalloc.h"

/* ---- volatility ---- */

bool
safety_is_volatile(enum volatility v)
{
	return v == VOL_VOLATILE || v == VOL_UNKNOWN;
}

const char *
safety_volatility_name(enum volatility v)
{
	switch (v) {
	case VOL_IMMUTABLE:
		return "immutable";
	case VOL_STABLE:
		return "stable";
	case VOL_VOLATILE:
		return "volatile";
	case VOL_UNKNOWN:
		break;
	}
	return "of unknown volatility";
}

enum volatility
safety_volatility_from_char(char c)
{
	return c == 'i' ? VOL_IMMUTABLE : c == 's' ? VOL_STABLE : VOL_VOLATILE;
}

char
safety_volatility_char(enum volatility v)
{
	return v == VOL_IMMUTABLE ? 'i' : v == VOL_STABLE ? 's' : v == VOL_VOLATILE ? 'v' : '?';
}

/*
 * Functions pgstep knows, with the highest volatility PostgreSQL gives any
 * of their overloads (pg_proc.provolatile; tests/it_safety checks every
 * row against the live catalog: never lower). `any_schema`: an
 * extension's function, which lives wherever the extension was installed;
 * only volatile ones are listed so, since a user's function of the same
 * name in some schema may be anything.
 */
static const struct known_fn {
	const char *name;
	enum volatility v;
	bool any_schema;
} known_fns[] = {
	/* volatile: a value for every row */
	{"clock_timestamp", VOL_VOLATILE, false},
	{"timeofday", VOL_VOLATILE, false},
	{"random", VOL_VOLATILE, false},
	{"random_normal", VOL_VOLATILE, false},	/* PostgreSQL 16 */
	{"setseed", VOL_VOLATILE, false},
	{"nextval", VOL_VOLATILE, false},
	{"setval", VOL_VOLATILE, false},
	{"currval", VOL_VOLATILE, false},
	{"lastval", VOL_VOLATILE, false},
	/* PostgreSQL marks it stable (one value per transaction); as a
	 * default it is meant per row, and the catalog corrects the rest */
	{"txid_current", VOL_VOLATILE, false},
	{"pg_sleep", VOL_VOLATILE, false},
	{"gen_random_uuid", VOL_VOLATILE, true},	/* pg_catalog since 13, and pgcrypto */
	{"gen_random_bytes", VOL_VOLATILE, true},	/* pgcrypto */
	{"gen_salt", VOL_VOLATILE, true},		/* pgcrypto */
	{"uuid_generate_v1", VOL_VOLATILE, true},	/* uuid-ossp */
	{"uuid_generate_v1mc", VOL_VOLATILE, true},
	{"uuid_generate_v4", VOL_VOLATILE, true},
	/* AT TIME ZONE: PostgreSQL 14 has a volatile overload (timezone(text,
	 * timetz) reads the current date); 15 on mark every one stable, and
	 * there the live catalog says so at run time */
	{"timezone", VOL_VOLATILE, false},
	/* stable: one value per statement */
	{"now", VOL_STABLE, false},
	{"statement_timestamp", VOL_STABLE, false},
	{"transaction_timestamp", VOL_STABLE, false},
	{"current_setting", VOL_STABLE, false},
	{"current_database", VOL_STABLE, false},
	{"current_schema", VOL_STABLE, false},
	{"pg_backend_pid", VOL_STABLE, false},
	{"inet_client_addr", VOL_STABLE, false},
	{"version", VOL_STABLE, false},
	{"to_json", VOL_STABLE, false},
	{"to_jsonb", VOL_STABLE, false},
	{"row_to_json", VOL_STABLE, false},
	{"json_build_object", VOL_STABLE, false},
	{"json_build_array", VOL_STABLE, false},
	{"jsonb_build_object", VOL_STABLE, false},
	{"jsonb_build_array", VOL_STABLE, false},
	{"concat", VOL_STABLE, false},
	{"concat_ws", VOL_STABLE, false},
	{"format", VOL_STABLE, false},
	{"to_char", VOL_STABLE, false},
	{"to_date", VOL_STABLE, false},
	{"to_number", VOL_STABLE, false},
	{"to_timestamp", VOL_STABLE, false},
	{"date_trunc", VOL_STABLE, false},
	{"date_part", VOL_STABLE, false},
	{"extract", VOL_STABLE, false},
	{"age", VOL_STABLE, false},
	{"make_timestamptz", VOL_STABLE, false},
	{"array_to_string", VOL_STABLE, false},
	{"length", VOL_STABLE, false},
	{"pg_collation_for", VOL_STABLE, false},	/* COLLATION FOR */
	{"overlaps", VOL_STABLE, false},	/* OVERLAPS */
	/* immutable */
	{"lower", VOL_IMMUTABLE, false},
	{"upper", VOL_IMMUTABLE, false},
	{"initcap", VOL_IMMUTABLE, false},
	{"btrim", VOL_IMMUTABLE, false},	/* TRIM */
	{"ltrim", VOL_IMMUTABLE, false},
	{"rtrim", VOL_IMMUTABLE, false},
	{"substr", VOL_IMMUTABLE, false},
	{"substring", VOL_IMMUTABLE, false},
	{"left", VOL_IMMUTABLE, false},
	{"right", VOL_IMMUTABLE, false},
	{"lpad", VOL_IMMUTABLE, false},
	{"rpad", VOL_IMMUTABLE, false},
	{"replace", VOL_IMMUTABLE, false},
	{"split_part", VOL_IMMUTABLE, false},
	{"regexp_replace", VOL_IMMUTABLE, false},
	{"strpos", VOL_IMMUTABLE, false},
	{"position", VOL_IMMUTABLE, false},
	{"overlay", VOL_IMMUTABLE, false},
	{"translate", VOL_IMMUTABLE, false},
	{"reverse", VOL_IMMUTABLE, false},
	{"repeat", VOL_IMMUTABLE, false},
	{"normalize", VOL_IMMUTABLE, false},
	{"char_length", VOL_IMMUTABLE, false},
	{"character_length", VOL_IMMUTABLE, false},
	{"octet_length", VOL_IMMUTABLE, false},
	{"ascii", VOL_IMMUTABLE, false},
	{"chr", VOL_IMMUTABLE, false},
	{"to_hex", VOL_IMMUTABLE, false},
	{"md5", VOL_IMMUTABLE, false},
	{"sha224", VOL_IMMUTABLE, false},
	{"sha256", VOL_IMMUTABLE, false},
	{"sha384", VOL_IMMUTABLE, false},
	{"sha512", VOL_IMMUTABLE, false},
	{"encode", VOL_IMMUTABLE, false},
	{"decode", VOL_IMMUTABLE, false},
	{"abs", VOL_IMMUTABLE, false},
	{"round", VOL_IMMUTABLE, false},
	{"trunc", VOL_IMMUTABLE, false},
	{"ceil", VOL_IMMUTABLE, false},
	{"ceiling", VOL_IMMUTABLE, false},
	{"floor", VOL_IMMUTABLE, false},
	{"sign", VOL_IMMUTABLE, false},
	{"sqrt", VOL_IMMUTABLE, false},
	{"power", VOL_IMMUTABLE, false},
	{"mod", VOL_IMMUTABLE, false},
	{"div", VOL_IMMUTABLE, false},
	{"string_to_array", VOL_IMMUTABLE, false},
	{"array_length", VOL_IMMUTABLE, false},
	{"cardinality", VOL_IMMUTABLE, false},
	{"array_append", VOL_IMMUTABLE, false},
	{"array_prepend", VOL_IMMUTABLE, false},
	{"array_cat", VOL_IMMUTABLE, false},
	{"jsonb_set", VOL_IMMUTABLE, false},
	{"jsonb_object", VOL_IMMUTABLE, false},
	{"make_date", VOL_IMMUTABLE, false},
	{"make_time", VOL_IMMUTABLE, false},
	{"make_timestamp", VOL_IMMUTABLE, false},
	{"make_interval", VOL_IMMUTABLE, false},
};

enum volatility
safety_function_volatility(const char *schema, const char *name)
{
	bool catalog = !schema || strcmp(schema, "pg_catalog") == 0;

	if (!name)
		return VOL_UNKNOWN;
	for (size_t i = 0; i < sizeof(known_fns) / sizeof(known_fns[0]); i++)
		if (strcmp(known_fns[i].name, name) == 0 && (catalog || known_fns[i].any_schema))
			return known_fns[i].v;
	return VOL_UNKNOWN;
}

bool
safety_known_function(size_t i, const char **name, enum volatility *v, bool *any_schema)
{
	if (i >= sizeof(known_fns) / sizeof(known_fns[0]))
		return false;
	*name = known_fns[i].name;
	*v = known_fns[i].v;
	*any_schema = known_fns[i].any_schema;
	return true;
}

/* The first part of the answer at the highest volatility wins. */
static void
consider(struct vol_answer *out, enum volatility v, const char *what, int loc)
{
	if (v < out->v || (v == out->v && out->what[0]))
		return;
	out->v = v;
	snprintf(out->what, sizeof(out->what), "%s", what);
	out->loc = loc;
}

/* calls: function calls and operators count; without, only what is no
 * call (SQL value functions), which the catalog's dependencies miss. */
static void
walk_volatility(json_object *o, bool calls, struct vol_answer *out, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			walk_volatility(jat(o, i), calls, out, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);

		if (strcmp(key, "FuncCall") == 0 && calls) {
			json_object *names = jget(v, "funcname");
			size_t n = jlen(names);
			const char *name = last_name(names);
			const char *schema = n >= 2 ? string_node(jat(names, n - 2)) : NULL;
			char what[160];

			/* pg_catalog.x is how the grammar writes SQL syntax
			 * (EXTRACT, TRIM, AT TIME ZONE): named by the function */
			snprintf(what, sizeof(what), "%s%s%s()", schema && strcmp(schema, "pg_catalog") != 0 ? schema : "",
				 schema && strcmp(schema, "pg_catalog") != 0 ? "." : "", name ? name : "?");
			consider(out, safety_function_volatility(schema, name), what, jint(v, "location"));
		} else if (strcmp(key, "SQLValueFunction") == 0) {
			/* CURRENT_TIMESTAMP, CURRENT_USER, LOCALTIME...: stable */
			const char *op = jstr(v, "op");
			char what[64];
			size_t n;

			snprintf(what, sizeof(what), "%s", op && strncmp(op, "SVFOP_", 6) == 0 ? op + 6 : "CURRENT_TIMESTAMP");
			/* LOCALTIMESTAMP(3) is SVFOP_LOCALTIMESTAMP_N */
			if ((n = strlen(what)) > 2 && strcmp(what + n - 2, "_N") == 0)
				what[n - 2] = '\0';
			consider(out, VOL_STABLE, what, jint(v, "location"));
		} else if (strcmp(key, "A_Expr") == 0 && calls) {
			/* an operator of a schema other than pg_catalog: OPERATOR(s.+) */
			json_object *names = jget(v, "name");
			size_t n = jlen(names);
			const char *schema = n >= 2 ? string_node(jat(names, n - 2)) : NULL;

			if (schema && strcmp(schema, "pg_catalog") != 0) {
				char what[160];

				snprintf(what, sizeof(what), "OPERATOR(%s.%s)", schema, last_name(names) ? last_name(names) : "?");
				consider(out, VOL_UNKNOWN, what, jint(v, "location"));
			}
		}
		walk_volatility(v, calls, out, depth + 1);
	}
}

static void
tree_volatility(json_object *expr, bool calls, struct vol_answer *out)
{
	memset(out, 0, sizeof(*out));
	out->v = VOL_IMMUTABLE;
	out->loc = -1;
	walk_volatility(expr, calls, out, 0);
}

void
safety_tree_volatility(json_object *expr, struct vol_answer *out)
{
	tree_volatility(expr, true, out);
}

#define EXPR_PREFIX "SELECT ("

static bool
expr_volatility(const char *expr, bool calls, struct vol_answer *out)
{
	char *q = xasprintf(EXPR_PREFIX "%s\n)", expr);
	struct parsed ps;
	bool ok;

	ok = sql_parse(q, &ps) && jlen(ps.stmts) == 1 &&
		jlen(jget(node_as(jget(jat(ps.stmts, 0), "stmt"), "SelectStmt"), "targetList")) == 1;
	if (ok) {
		tree_volatility(jget(jat(ps.stmts, 0), "stmt"), calls, out);
		if (out->loc >= 0)
			out->loc = out->loc >= (int) strlen(EXPR_PREFIX) ? out->loc - (int) strlen(EXPR_PREFIX) : 0;
	} else {
		memset(out, 0, sizeof(*out));
		out->v = VOL_UNKNOWN;
		out->loc = -1;
		snprintf(out->what, sizeof(out->what), "an expression that does not parse");
	}
	parsed_free(&ps);
	free(q);
	return ok;
}

bool
safety_expr_volatility(const char *expr, struct vol_answer *out)
{
	return expr_volatility(expr, true, out);
}

bool
safety_expr_value_functions(const char *expr, struct vol_answer *out)
{
	return expr_volatility(expr, false, out);
}

static void
walk_calls(json_object *o, struct strlist *names, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			walk_calls(jat(o, i), names, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);

		if (strcmp(key, "FuncCall") == 0) {
			json_object *fn = jget(v, "funcname");
			size_t n = jlen(fn);
			const char *name = last_name(fn);
			const char *schema = n >= 2 ? string_node(jat(fn, n - 2)) : NULL;

			if (name && (!schema || strcmp(schema, "pg_catalog") == 0) && !strlist_contains(names, name))
				strlist_add(names, name);
		}
		walk_calls(v, names, depth + 1);
	}
}

bool
safety_expr_catalog_calls(const char *expr, struct strlist *names)
{
	char *q = xasprintf(EXPR_PREFIX "%s\n)", expr);
	struct parsed ps;
	bool ok = sql_parse(q, &ps);

	if (ok)
		walk_calls(ps.stmts, names, 0);
	parsed_free(&ps);
	free(q);
	return ok;
}

enum volatility
safety_type_volatility(const char *type)
{
	static const char *const serials[] = {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"};

	for (size_t i = 0; type && i < sizeof(serials) / sizeof(serials[0]); i++)
		if (strcasecmp(type, serials[i]) == 0)
			return VOL_VOLATILE;
	return VOL_IMMUTABLE;
}

/* ---- facts ---- */

static bool
same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

const struct safety_fact *
safety_facts_find(const struct safety_facts *f, const char *expr, const char *type)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (strcmp(f->v[i].expr, expr) == 0 && same(f->v[i].type, type))
			return &f->v[i];
	return NULL;
}

void
safety_fact_clear(struct safety_fact *fact)
{
	free(fact->expr);
	free(fact->type);
	free(fact->why);
	memset(fact, 0, sizeof(*fact));
}

void
safety_facts_add(struct safety_facts *f, const struct safety_fact *fact)
{
	struct safety_fact *to = (struct safety_fact *) safety_facts_find(f, fact->expr, fact->type);

	if (to)
		safety_fact_clear(to);
	else {
		f->v = xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
		to = &f->v[f->n++];
	}
	to->expr = xstrdup(fact->expr);
	to->type = fact->type ? xstrdup(fact->type) : NULL;
	to->v = fact->v;
	to->why = xstrdup(fact->why ? fact->why : "");
}

void
safety_facts_free(struct safety_facts *f)
{
	for (size_t i = 0; i < f->n; i++)
		safety_fact_clear(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

char *
safety_facts_to_json(const struct safety_facts *f)
{
	json_object *a = json_object_new_array();
	char *text;

	for (size_t i = 0; i < f->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "expr", json_object_new_string(f->v[i].expr));
		json_object_object_add(o, "type", f->v[i].type ? json_object_new_string(f->v[i].type) : NULL);
		json_object_object_add(o, "volatility", json_object_new_string(safety_volatility_name(f->v[i].v)));
		json_object_object_add(o, "why", json_object_new_string(f->v[i].why ? f->v[i].why : ""));
		json_object_array_add(a, o);
	}
	text = xstrdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return text;
}

bool
safety_facts_from_json(const char *text, struct safety_facts *out)
{
	json_object *a = json_tokener_parse(text);
	bool ok = a && json_object_is_type(a, json_type_array);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; ok && i < jlen(a); i++) {
		json_object *o = jat(a, i);
		const char *expr = jstr(o, "expr"), *vol = jstr(o, "volatility"), *why = jstr(o, "why");
		struct safety_fact fact = {0};

		if (!expr || !vol) {
			ok = false;
			break;
		}
		fact.expr = (char *) expr;
		fact.type = (char *) jstr(o, "type");
		fact.why = (char *) why;
		/* anything but the two safe answers is volatile */
		fact.v = strcmp(vol, "immutable") == 0 ? VOL_IMMUTABLE : strcmp(vol, "stable") == 0 ? VOL_STABLE
			: VOL_VOLATILE;
		safety_facts_add(out, &fact);
	}
	json_object_put(a);
	if (!ok)
		safety_facts_free(out);
	return ok;
}

/* ---- transaction blocks ---- */

/* A DefElem option that is on unless written off (create_slot). */
static bool
option_off(json_object *options, const char *name)
{
	for (size_t i = 0; i < jlen(options); i++) {
		json_object *d = node_as(jat(options, i), "DefElem");

		if (jis(d, "defname", name))
			return !has_option(options, name);
	}
	return false;
}

const char *
safety_no_txn_statement(json_object *stmt)
{
	json_object *b;
	const char *t = node_type(stmt, &b);

	if (!t)
		return NULL;
	/* what PostgreSQL 15 runs through PreventInTransactionBlock */
	if (strcmp(t, "IndexStmt") == 0)
		return jbool(b, "concurrent") ? "CREATE INDEX CONCURRENTLY" : NULL;
	if (strcmp(t, "DropStmt") == 0)
		return jbool(b, "concurrent") ? "DROP INDEX CONCURRENTLY" : NULL;
	if (strcmp(t, "ReindexStmt") == 0) {
		if (has_option(jget(b, "params"), "concurrently"))
			return "REINDEX CONCURRENTLY";
		if (jis(b, "kind", "REINDEX_OBJECT_SCHEMA"))
			return "REINDEX SCHEMA";
		if (jis(b, "kind", "REINDEX_OBJECT_SYSTEM"))
			return "REINDEX SYSTEM";
		if (jis(b, "kind", "REINDEX_OBJECT_DATABASE"))
			return "REINDEX DATABASE";
		return NULL;
	}
	if (strcmp(t, "VacuumStmt") == 0)
		return jbool(b, "is_vacuumcmd") ? "VACUUM" : NULL;	/* ANALYZE alone may */
	if (strcmp(t, "ClusterStmt") == 0)
		return jget(b, "relation") ? NULL : "CLUSTER of every clustered table";
	if (strcmp(t, "CreatedbStmt") == 0)
		return "CREATE DATABASE";
	if (strcmp(t, "DropdbStmt") == 0)
		return "DROP DATABASE";
	if (strcmp(t, "AlterDatabaseStmt") == 0) {
		json_object *opts = jget(b, "options");

		for (size_t i = 0; i < jlen(opts); i++)
			if (jis(node_as(jat(opts, i), "DefElem"), "defname", "tablespace"))
				return "ALTER DATABASE SET TABLESPACE";
		return NULL;
	}
	if (strcmp(t, "CreateTableSpaceStmt") == 0)
		return "CREATE TABLESPACE";
	if (strcmp(t, "DropTableSpaceStmt") == 0)
		return "DROP TABLESPACE";
	if (strcmp(t, "AlterSystemStmt") == 0)
		return "ALTER SYSTEM";
	if (strcmp(t, "DiscardStmt") == 0)
		return jis(b, "target", "DISCARD_ALL") ? "DISCARD ALL" : NULL;
	if (strcmp(t, "TransactionStmt") == 0) {
		if (jis(b, "kind", "TRANS_STMT_COMMIT_PREPARED"))
			return "COMMIT PREPARED";
		if (jis(b, "kind", "TRANS_STMT_ROLLBACK_PREPARED"))
			return "ROLLBACK PREPARED";
		return NULL;
	}
	if (strcmp(t, "CreateSubscriptionStmt") == 0) {
		json_object *opts = jget(b, "options");

		return option_off(opts, "create_slot") || option_off(opts, "connect") ? NULL
			: "CREATE SUBSCRIPTION (which creates a replication slot)";
	}
	if (strcmp(t, "DropSubscriptionStmt") == 0)
		return "DROP SUBSCRIPTION";
	if (strcmp(t, "AlterSubscriptionStmt") == 0)
		return jis(b, "kind", "ALTER_SUBSCRIPTION_REFRESH") ? "ALTER SUBSCRIPTION ... REFRESH PUBLICATION" : NULL;
	if (strcmp(t, "AlterTableStmt") == 0) {
		json_object *cmds = jget(b, "cmds");

		for (size_t i = 0; i < jlen(cmds); i++) {
			json_object *cmd = node_as(jat(cmds, i), "AlterTableCmd");

			if (jis(cmd, "subtype", "AT_DetachPartition") &&
			    jbool(node_as(jget(cmd, "def"), "PartitionCmd"), "concurrent"))
				return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY";
		}
	}
	return NULL;
}

enum txn_need
safety_sql_txn(const char *sql, struct txn_answer *out)
{
	struct parsed ps;

	memset(out, 0, sizeof(*out));
	out->loc = -1;
	if (!sql_parse(sql, &ps)) {
		parsed_free(&ps);
		return out->need = TXN_UNPARSED;
	}
	out->nstmts = jlen(ps.stmts);
	out->need = TXN_ANY;
	for (size_t i = 0; i < out->nstmts; i++) {
		json_object *raw = jat(ps.stmts, i);
		const char *what = safety_no_txn_statement(jget(raw, "stmt"));

		if (what) {
			int loc = jint(raw, "stmt_location");

			/* the statement itself, past the blanks and comments before it */
			while (sql[loc] && strchr(" \t\r\n", sql[loc]))
				loc++;
			out->what = what;
			out->loc = loc;
			out->need = out->nstmts == 1 ? TXN_NONE : TXN_MIXED;
			break;
		}
	}
	parsed_free(&ps);
	return out->need;
}

/* What PostgreSQL names an index column after (FigureIndexColname):
 * NULL for an expression it gives no name. */
static const char *
figure_colname(json_object *n, int depth)
{
	json_object *b;
	const char *t = node_type(n, &b);

	if (!t || depth > 100)
		return NULL;
	if (strcmp(t, "ColumnRef") == 0) {
		json_object *fields = jget(b, "fields");

		return string_node(jat(fields, jlen(fields) - 1));
	}
	if (strcmp(t, "FuncCall") == 0)
		return last_name(jget(b, "funcname"));
	if (strcmp(t, "A_Expr") == 0)
		return jis(b, "kind", "AEXPR_NULLIF") ? "nullif" : NULL;
	if (strcmp(t, "TypeCast") == 0) {
		const char *name = figure_colname(jget(b, "arg"), depth + 1);

		return name ? name : last_name(jget(jget(b, "typeName"), "names"));
	}
	if (strcmp(t, "CollateClause") == 0)
		return figure_colname(jget(b, "arg"), depth + 1);
	if (strcmp(t, "CaseExpr") == 0)
		return "case";
	if (strcmp(t, "A_ArrayExpr") == 0)
		return "array";
	if (strcmp(t, "RowExpr") == 0)
		return "row";
	if (strcmp(t, "CoalesceExpr") == 0)
		return "coalesce";
	if (strcmp(t, "MinMaxExpr") == 0)
		return jis(b, "op", "IS_LEAST") ? "least" : "greatest";
	return NULL;
}

/* ChooseIndexColumnNames and ChooseIndexNameAddition: the column names
 * (a repeated one numbered), joined by _, up to NAMEDATALEN. */
static void
index_name_addition(json_object *elems, struct strlist *names, char *buf, size_t size)
{
	for (size_t i = 0; i < jlen(elems); i++) {
		json_object *e = node_as(jat(elems, i), "IndexElem");
		const char *orig = jstr(e, "indexcolname");
		char cur[64];

		if (!orig)
			orig = jstr(e, "name");
		if (!orig)
			orig = figure_colname(jget(e, "expr"), 0);
		if (!orig)
			orig = "expr";
		snprintf(cur, sizeof(cur), "%s", orig);
		for (int k = 1; strlist_contains(names, cur); k++)
			snprintf(cur, sizeof(cur), "%.*s%d", (int) (sizeof(cur) - 12), orig, k);
		strlist_add(names, cur);
		if (strlen(buf) < 64) {
			size_t used = strlen(buf);

			snprintf(buf + used, size - used, "%s%s", used ? "_" : "", cur);
		}
	}
}

bool
safety_concurrent_index(const char *sql, struct built_index *out)
{
	struct parsed ps;
	json_object *b;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (sql_parse(sql, &ps) && jlen(ps.stmts) == 1 &&
	    (b = node_as(jget(jat(ps.stmts, 0), "stmt"), "IndexStmt")) && jbool(b, "concurrent") &&
	    jstr(jget(b, "relation"), "relname")) {
		json_object *rv = jget(b, "relation");

		out->table = xstrdup(jstr(rv, "relname"));
		out->schema = jstr(rv, "schemaname") ? xstrdup(jstr(rv, "schemaname")) : NULL;
		if (jstr(b, "idxname"))
			out->index = xstrdup(jstr(b, "idxname"));
		else {
			struct strlist names = {0};
			char addition[256] = "";

			index_name_addition(jget(b, "indexParams"), &names, addition, sizeof(addition));
			index_name_addition(jget(b, "indexIncludingParams"), &names, addition, sizeof(addition));
			strlist_free(&names);
			out->index = sql_pg_name(out->table, addition, "idx");
		}
		ok = true;
	}
	parsed_free(&ps);
	return ok;
}

void
built_index_free(struct built_index *b)
{
	free(b->schema);
	free(b->table);
	free(b->index);
	memset(b, 0, sizeof(*b));
}

/* ---- column types ---- */

void
safety_type_read(json_object *tn, struct col_type *t)
{
	json_object *mods = jget(tn, "typmods");
	const char *name = last_name(jget(tn, "names"));

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "?");
	t->array = jget(tn, "arrayBounds") != NULL;
	for (size_t i = 0; i < jlen(mods); i++) {
		json_object *c = node_as(jat(mods, i), "A_Const");
		json_object *iv = jget(c, "ival");

		if (!iv || i >= 2) {
			t->nmods = -1;
			return;
		}
		t->mods[t->nmods++] = jint(iv, "ival");	/* {"ival": {}} is 0 */
	}
}

void
safety_type_text(const struct col_type *t, char *out, size_t size)
{
	static const struct {
		const char *internal, *sql;
	} names[] = {
		{"int2", "smallint"}, {"int4", "integer"}, {"int8", "bigint"}, {"float4", "real"},
		{"float8", "double precision"}, {"bool", "boolean"}, {"bpchar", "char"},
	};
	const char *name = t->name;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].internal) == 0)
			name = names[i].sql;
	if (t->nmods == 1)
		snprintf(out, size, "%s(%d)%s", name, t->mods[0], t->array ? "[]" : "");
	else if (t->nmods == 2)
		snprintf(out, size, "%s(%d,%d)%s", name, t->mods[0], t->mods[1], t->array ? "[]" : "");
	else
		snprintf(out, size, "%s%s%s", name, t->nmods < 0 ? "(...)" : "", t->array ? "[]" : "");
}

bool
safety_type_change_is_free(const struct col_type *from, const struct col_type *to)
{
	if (from->nmods < 0 || to->nmods < 0 || from->array != to->array)
		return false;
	if (strcmp(from->name, to->name) == 0 && from->nmods == to->nmods &&
	    memcmp(from->mods, to->mods, sizeof(from->mods)) == 0)
		return true;
	if (strcmp(from->name, "varchar") == 0) {
		if (strcmp(to->name, "text") == 0)
			return true;
		if (strcmp(to->name, "varchar") == 0)
			return to->nmods == 0 || (from->nmods == 1 && to->mods[0] >= from->mods[0]);
	}
	if (strcmp(from->name, "text") == 0 && strcmp(to->name, "varchar") == 0)
		return to->nmods == 0;
	if (strcmp(from->name, "numeric") == 0 && strcmp(to->name, "numeric") == 0 && from->nmods > 0) {
		int fscale = from->nmods == 2 ? from->mods[1] : 0;
		int tscale = to->nmods == 2 ? to->mods[1] : 0;

		return to->nmods == 0 || (tscale == fscale && to->mods[0] >= from->mods[0]);
	}
	return false;
}
