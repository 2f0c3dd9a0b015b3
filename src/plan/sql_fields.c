/*
 * The SQL a plan carries, read at load by PostgreSQL's parser as what each
 * field says it is (struct field's sql: an expression, statements, a SET
 * list, exclusion elements), with the position of every problem in the
 * file.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "pg/pgparse.h"
#include "pg/safety.h"
#include "pg/sqlfrag.h"
#include "plan/op_kind.h"
#include "plan/sql_fields.h"

void
sql_fields_error(struct diag *d, const char *file, const struct field_site *s, long offset, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int line = s->line, col = s->col;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (offset >= 0)
		field_site_pos(s, (size_t) offset, &line, &col);
	diag_add(d, file, line, col, "%s", sb.buf);
	sb_free(&sb);
}

/* Only `keys` may be present in the object o. */
static bool
only_keys(json_object *o, const char *const *keys)
{
	struct json_object_iterator it = json_object_iter_begin(o), end = json_object_iter_end(o);

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		const char *const *a;

		for (a = keys; *a; a++)
			if (strcmp(*a, k) == 0)
				break;
		if (!*a)
			return false;
	}
	return true;
}

/* SELECT <one expression>, nothing else. */
static bool
is_single_expression(const struct parsed *ps)
{
	static const char *const select_keys[] = {"targetList", "limitOption", "op", NULL};
	json_object *sel, *targets, *rt;

	if (jlen(ps->stmts) != 1)
		return false;
	sel = node_as(jget(jat(ps->stmts, 0), "stmt"), "SelectStmt");
	targets = jget(sel, "targetList");
	if (!sel || !only_keys(sel, select_keys) || !jis(sel, "op", "SETOP_NONE") || jlen(targets) != 1)
		return false;
	rt = node_as(jat(targets, 0), "ResTarget");
	return rt && !jget(rt, "name") && !jget(rt, "indirection");
}

/* UPDATE t SET <list>, nothing else. */
static bool
is_set_list(const struct parsed *ps)
{
	static const char *const update_keys[] = {"relation", "targetList", NULL};
	json_object *up;

	if (jlen(ps->stmts) != 1)
		return false;
	up = node_as(jget(jat(ps->stmts, 0), "stmt"), "UpdateStmt");
	return up && only_keys(up, update_keys);
}

/* pgroll's form of up and down: SELECT <one expression> [FROM ...], which
 * pgstep writes between parentheses, where it is a scalar subquery. */
enum select_form { NOT_SELECT, SELECT_OF_ONE, SELECT_OTHER };

static enum select_form
select_form(const char *text)
{
	struct parsed ps;
	json_object *sel;
	enum select_form form = NOT_SELECT;
	char *q;

	if (!sql_parse(text, &ps)) {
		parsed_free(&ps);
		return NOT_SELECT;
	}
	if (jlen(ps.stmts) == 1 && (sel = node_as(jget(jat(ps.stmts, 0), "stmt"), "SelectStmt")))
		form = jis(sel, "op", "SETOP_NONE") && jlen(jget(sel, "targetList")) == 1 && !jget(sel, "intoClause")
			? SELECT_OF_ONE : SELECT_OTHER;
	parsed_free(&ps);
	if (form == SELECT_OF_ONE) {
		/* and parses where pgstep writes it */
		q = xasprintf("SELECT (%s)", text);
		if (!sql_parse(q, &ps))
			form = SELECT_OTHER;
		parsed_free(&ps);
		free(q);
	}
	return form;
}

bool
sql_fields_check(const char *file, const struct op *op, const struct field_site *s, enum field_sql kind,
		 struct diag *d)
{
	static const char *const prefixes[] = {[FSQL_EXPR] = "SELECT ", [FSQL_STMTS] = "",
					       [FSQL_SET] = "UPDATE _pgstep_t SET ", [FSQL_UPDOWN] = "SELECT ",
					       [FSQL_EXCLUDE] = "ALTER TABLE _pgstep_t ADD EXCLUDE ("};
	const char *prefix = prefixes[kind];
	char *label, *q;
	struct parsed ps;
	struct txn_answer txn;
	bool ok = true;

	label = xasprintf("%s.%s", op->kind->name, s->path);
	if (kind == FSQL_UPDOWN) {
		enum select_form form = select_form(s->text);

		if (form == SELECT_OF_ONE) {
			free(label);
			return true;
		}
		if (form == SELECT_OTHER) {
			sql_fields_error(d, file, s, -1,
				   "%s must be one SQL expression, or a SELECT of one expression (a value for one column)",
				   label);
			free(label);
			return false;
		}
		kind = FSQL_EXPR;
	}
	if (kind == FSQL_SET || kind == FSQL_EXCLUDE) {
		/* pasted as a list into pgstep's own statement: nothing in it
		 * may end that statement or comment out what follows */
		char why[256];
		long at;

		if (!sql_frag_contained(s->text, why, sizeof(why), &at)) {
			sql_fields_error(d, file, s, at, "%s %s: pgstep writes it into its own statement", label, why);
			free(label);
			return false;
		}
	}
	q = xasprintf("%s%s%s", prefix, s->text, kind == FSQL_EXCLUDE ? ")" : "");

	if (!sql_parse(q, &ps)) {
		/* the prefix is ASCII: its characters are its bytes */
		long off = ps.cursor > 0 ? (long) ps.cursor - 1 - (long) strlen(prefix) : -1;

		sql_fields_error(d, file, s, ps.cursor > 0 && off < 0 ? 0 : off, "%s is not valid SQL%s: %s", label,
			   kind == FSQL_EXPR ? " (read as SELECT <expression>)" :
			   kind == FSQL_SET ? " (read as UPDATE <table> SET <list>)" :
			   kind == FSQL_EXCLUDE ? " (read as EXCLUDE (<element> WITH <operator>, ...))" : "", ps.error);
		ok = false;
	} else if (kind == FSQL_EXPR && !is_single_expression(&ps)) {
		sql_fields_error(d, file, s, -1,
			   "%s must be one SQL expression, such as lower(email) or price > 0: pgstep writes it into SELECT and UPDATE statements",
			   label);
		ok = false;
	} else if (kind == FSQL_SET && !is_set_list(&ps)) {
		sql_fields_error(d, file, s, -1, "%s must be a SET list, such as total = price * qty, nothing after it", label);
		ok = false;
	} else if (kind == FSQL_STMTS && jlen(ps.stmts) == 0) {
		sql_fields_error(d, file, s, -1, "%s holds no SQL statement", label);
		ok = false;
	} else if (kind == FSQL_STMTS && safety_sql_txn(s->text, &txn) == TXN_MIXED) {
		/* alone it would run outside a transaction; with others it
		 * cannot, whatever pgstep does */
		sql_fields_error(d, file, s, (long) chars_in(s->text, (size_t) txn.loc),
			   "%s holds %s and %zu other statement%s, which run together as one transaction, inside which %s cannot run: put it in an operation of its own, where it runs alone outside a transaction",
			   label, txn.what, txn.nstmts - 1, txn.nstmts == 2 ? "" : "s", txn.what);
		ok = false;
	}
	parsed_free(&ps);
	if (ok && kind == FSQL_EXPR) {
		/* pgstep writes an expression between parentheses: a trailing
		 * -- comment would swallow the closing one */
		free(q);
		q = xasprintf("SELECT (%s)", s->text);
		if (!sql_parse(q, &ps)) {
			sql_fields_error(d, file, s, -1,
				   "%s does not parse between parentheses, where pgstep writes it (a -- comment at its end?): %s",
				   label, ps.error);
			ok = false;
		}
		parsed_free(&ps);
	}
	free(q);
	free(label);
	return ok;
}

bool
sql_fields_check_op(const char *file, const struct op *op, struct diag *d)
{
	bool ok = true;

	for (size_t i = 0; i < op->sites.n; i++) {
		const struct field_site *s = &op->sites.v[i];
		enum field_sql kind;

		if ((kind = fields_sql_at(op->kind->fields, s->path)) && !sql_fields_check(file, op, s, kind, d))
			ok = false;
	}
	return ok;
}
