/*
 * pgstep convert: the statements of a .sql file, read by PostgreSQL's own
 * parser (libpg_query, through pgparse.c), each turned into the operation
 * that does the same without long locks, in file order; what no operation
 * does stays as written in a sql operation, with a warning.
 *
 * Text such as an expression or a type is taken back out of the file with
 * the scanner's tokens (convert_text.c), so the plan carries the SQL
 * exactly as its author wrote it; convert_ops.c and convert_table.c turn
 * statements into operations. The plan is written by libyaml's emitter
 * (yamlout.c), and every operation is loaded through plan_load_buffer
 * before it is kept: one that pgstep would refuse becomes a sql operation
 * instead. This file drives it all, and keeps the warnings.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "convert/convert.h"
#include "convert/convert_int.h"
#include "plan/plan.h"
#include "pg/safety.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "lint/validate.h"

/* ---- warnings ---- */

static void
warn_at(struct cv *cv, int line, int col, const char *msg)
{
	if (cv->nwarn == cv->capwarn) {
		cv->capwarn = cv->capwarn ? 2 * cv->capwarn : 16;
		cv->warn = xrealloc(cv->warn, cv->capwarn * sizeof(*cv->warn));
	}
	cv->warn[cv->nwarn] = (struct cv_warning) {.line = line, .col = col, .msg = xstrdup(msg), .seq = cv->nwarn};
	cv->nwarn++;
}

static void
strlist_take(struct strlist *l, char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = s;
}

void
cv_note(struct cv *cv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	strlist_take(&cv->notes, sb_steal(&sb));
}

static void __attribute__((format(printf, 2, 0)))
set_why(struct cv *cv, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	sb_vprintf(&sb, fmt, ap);
	free(cv->why);
	cv->why = sb_steal(&sb);
}

struct yv *
cv_give_up(struct cv *cv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_why(cv, fmt, ap);
	va_end(ap);
	return NULL;
}

bool
cv_fail(struct cv *cv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_why(cv, fmt, ap);
	va_end(ap);
	return false;
}

struct yv *
op_new(const char *kind, struct yv *fields)
{
	struct yv *op = yv_map();

	yv_put(op, kind, fields);
	return op;
}

/* ---- what the file says about its tables ---- */

struct ktable *
known_table(struct cv *cv, const char *name)
{
	for (size_t i = 0; name && i < cv->ntables; i++)
		if (strcmp(cv->tables[i].name, name) == 0)
			return &cv->tables[i];
	return NULL;
}

void
ktable_free(struct ktable *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type);
	}
	free(t->cols);
	free(t->name);
	strlist_free(&t->pk);
}

void
known_table_drop(struct cv *cv, const char *name)
{
	struct ktable *t = known_table(cv, name);

	if (!t)
		return;
	ktable_free(t);
	*t = cv->tables[--cv->ntables];
}

struct ktable *
known_table_put(struct cv *cv, struct ktable *t)
{
	known_table_drop(cv, t->name);
	cv->tables = xrealloc(cv->tables, (cv->ntables + 1) * sizeof(*cv->tables));
	cv->tables[cv->ntables] = *t;
	return &cv->tables[cv->ntables++];
}

struct ktable *
known_table_add(struct cv *cv, const char *name)
{
	struct ktable t = {.name = xstrdup(name)};

	return known_table_put(cv, &t);
}

struct kcol *
known_col(struct ktable *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

void
known_col_drop(struct ktable *t, const char *name)
{
	struct kcol *c = known_col(t, name);

	if (!c)
		return;
	free(c->name);
	free(c->type);
	*c = t->cols[--t->ncols];
}

struct kcol *
known_col_add(struct ktable *t, const char *name, const char *type, bool notnull)
{
	struct kcol *c;

	known_col_drop(t, name);
	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	c = &t->cols[t->ncols++];
	c->name = xstrdup(name);
	c->type = type ? xstrdup(type) : NULL;
	c->notnull = notnull;
	return c;
}

const struct strlist *
known_pk(struct cv *cv, const char *table)
{
	struct ktable *t = known_table(cv, table);

	return t && t->pk.n ? &t->pk : NULL;
}

/* ---- keeping an operation ---- */

/* The first problem pgstep finds loading a plan of the operation alone,
 * or NULL when it loads; then m says whether it has steps after expand,
 * and a backfill. */
static char *
op_refused(const struct yv *op, struct op_meta *m)
{
	struct yv *plan = yv_map(), *ops = yv_put(plan, "operations", yv_seq());
	struct diag d = {0};
	struct plan *p;
	struct compiled *c;
	char *text, *error, *why = NULL;
	size_t len;

	m->late = m->backfill = false;
	yv_push(ops, (struct yv *) op);
	if (!yv_emit(plan, &text, &len, &error)) {
		why = error;
	} else {
		p = plan_validate_load_buffer("convert.yaml", (const unsigned char *) text, len, &d);
		if (!p) {
			why = xstrdup(d.n ? d.items[0].msg : "the plan does not load");
		} else {
			c = compile_plan(p, NULL);
			for (int ph = PHASE_BACKFILL; ph < N_PHASES; ph++)
				m->late = m->late || c->n[ph] > 0;
			for (size_t i = 0; i < c->n[PHASE_BACKFILL]; i++)
				m->backfill = m->backfill || c->steps[PHASE_BACKFILL][i].kind == STEP_BACKFILL;
			compiled_free(c);
		}
		plan_free(p);
		free(text);
	}
	ops->n = 0;	/* op is the caller's */
	yv_free(plan);
	diag_free(&d);
	return why;
}

static void
unit_begin(struct cv *cv)
{
	strlist_free(&cv->notes);
	free(cv->why);
	cv->why = NULL;
	cv->skip = false;
	free(cv->nv_new.table);
	free(cv->nv_new.name);
	memset(&cv->nv_new, 0, sizeof(cv->nv_new));
}

/* Warns once per statement for each text. */
static void
warn_statement(struct cv *cv, struct strlist *said, const char *msg)
{
	if (strlist_contains(said, msg))
		return;
	strlist_add(said, msg);
	warn_at(cv, cv->line, cv->col, msg);
}

static void
keep_op(struct cv *cv, struct yv *op, struct op_meta m)
{
	cv->meta = xrealloc(cv->meta, (cv->ops->n + 1) * sizeof(*cv->meta));
	m.line = cv->line;
	m.col = cv->col;
	cv->meta[cv->ops->n] = m;
	yv_push(cv->ops, op);
}

/* The unit's outcome: its operations kept, or `text` as a sql operation. */
static void
unit_end(struct cv *cv, struct yv *ops, char *text, const char *hint, struct strlist *said)
{
	struct yv *list = ops && ops->kind == YV_SEQ ? ops : NULL;
	size_t n = ops ? (list ? list->n : 1) : 0;
	struct op_meta *meta = xcalloc(n ? n : 1, sizeof(*meta)), sql_meta;
	char *why;

	for (size_t i = 0; ops && i < n; i++) {
		if ((why = op_refused(list ? list->items[i] : ops, &meta[i]))) {
			cv_give_up(cv, "pgstep would refuse the operation it converts to (%s)", why);
			free(why);
			yv_free(ops);
			ops = NULL;
		}
	}
	if (ops) {
		for (size_t i = 0; i < n; i++)
			keep_op(cv, list ? list->items[i] : ops, meta[i]);
		if (list) {
			list->n = 0;
			yv_free(list);
		}
		for (size_t i = 0; i < cv->notes.n; i++)
			warn_statement(cv, said, cv->notes.v[i]);
		if (cv->nv_new.name) {
			cv->nv = xrealloc(cv->nv, (cv->nnv + 1) * sizeof(*cv->nv));
			cv->nv[cv->nnv++] = cv->nv_new;
			memset(&cv->nv_new, 0, sizeof(cv->nv_new));
		}
	} else if (cv->skip) {
		for (size_t i = 0; i < cv->notes.n; i++)
			warn_statement(cv, said, cv->notes.v[i]);
	} else {
		struct yv *sql = yv_map();
		struct yv *op = op_new("sql", sql);
		char *msg;

		yv_put(sql, "up", yv_str(text));
		msg = xasprintf("%s; it stays a sql operation, which runs as written in expand and has no down: a rollback leaves it in place%s",
				cv->why ? cv->why : "no operation does this", hint ? hint : "");
		warn_statement(cv, said, msg);
		free(msg);
		if ((why = op_refused(op, &sql_meta))) {
			msg = xasprintf("pgstep refuses even that: %s", why);
			warn_statement(cv, said, msg);
			free(msg);
			free(why);
		}
		keep_op(cv, op, sql_meta);
	}
	free(meta);
	free(text);
	unit_begin(cv);
}

/* Whether operation op (kind: fields) names column `column` of `table`. */
static bool
names_column(const struct yv *op, const char *table, const char *column)
{
	const struct yv *f = op->n ? op->pairs[0].v : NULL, *t = yv_get(f, "table");
	static const char *const keys[] = {"column", "from"};
	const struct yv *cols;

	if (!t || t->kind != YV_STR || strcmp(t->s, table) != 0)
		return false;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct yv *c = yv_get(f, keys[i]);

		if (c && c->kind == YV_STR && strcmp(c->s, column) == 0)
			return true;
	}
	cols = yv_get(f, "columns");
	for (size_t i = 0; cols && cols->kind == YV_SEQ && i < cols->n; i++) {
		const struct yv *c = cols->items[i]->kind == YV_MAP ? yv_get(cols->items[i], "column") : cols->items[i];

		if (c && c->kind == YV_STR && strcmp(c->s, column) == 0)
			return true;
	}
	return false;
}

/*
 * A phase runs the steps of every operation, so operations of one plan do
 * not see each other's later phases. A table renamed in expand is a view
 * under its old name when the later phases of the operations before the
 * rename run; an operation after a type change, which swaps the new
 * column in at switch and drops the old one at contract, runs its expand
 * on the old column; and a primary key that create_constraint attaches at
 * switch is not there for the backfills, which walk it.
 */
static void
check_phases(struct cv *cv)
{
	for (size_t i = 0; i < cv->ops->n; i++) {
		const struct yv *op = cv->ops->items[i];
		const struct yv *r = yv_get(op, "rename_table"), *from = yv_get(r, "from");
		const struct yv *a = yv_get(op, "alter_column");
		const struct yv *table = yv_get(a, "table"), *column = yv_get(a, "column");

		for (size_t j = 0; from && j < i; j++) {
			const struct yv *other = cv->ops->items[j];
			const struct yv *t = other->n ? yv_get(other->pairs[0].v, "table") : NULL;

			/* pgstep refuses such a plan at load: said here, at the statement */
			if (cv->meta[j].late && t && t->kind == YV_STR && strcmp(t->s, from->s) == 0 && !cv->refused) {
				cv->refused = xasprintf("rename_table renames %s in expand, and the operations on it above still name it %s in their later phases, when it is a view: put the rename in a second SQL file, converted into a migration of its own, after this one",
							from->s, from->s);
				cv->refused_line = cv->meta[i].line;
				cv->refused_col = cv->meta[i].col;
				break;
			}
		}
		const struct yv *k = yv_get(op, "create_constraint"), *kt = yv_get(k, "table"), *ktype = yv_get(k, "type");

		for (size_t j = 0; kt && ktype && strcmp(ktype->s, "primary_key") == 0 && j < cv->ops->n; j++) {
			const struct yv *other = cv->ops->items[j];
			const struct yv *t = other->n ? yv_get(other->pairs[0].v, "table") : NULL;

			if (j != i && cv->meta[j].backfill && t && t->kind == YV_STR && strcmp(t->s, kt->s) == 0) {
				char *msg = xasprintf("this operation backfills %s in batches on its primary key, which the plan's create_constraint only attaches at switch, after the backfill: add the key in a migration of its own, before this one",
						      kt->s);

				warn_at(cv, cv->meta[j].line, cv->meta[j].col, msg);
				free(msg);
			}
		}
		if (!a || !yv_get(a, "type") || !table || !column)
			continue;
		for (size_t j = i + 1; j < cv->ops->n; j++) {
			if (names_column(cv->ops->items[j], table->s, column->s)) {
				char *msg = xasprintf("this operation runs its expand on the old column %s.%s, which the type change above replaces at switch and drops at contract: put it in a migration of its own, after that one",
						      table->s, column->s);

				warn_at(cv, cv->meta[j].line, cv->meta[j].col, msg);
				free(msg);
			}
		}
	}
}

/* What a sql operation made of the statement will do, beyond running. */
static const char *
sql_hint(json_object *stmt)
{
	json_object *b;
	const char *t = node_type(stmt, &b);

	if (!t)
		return NULL;
	/* alone in its sql operation, such a statement runs outside one */
	if (safety_no_txn_statement(stmt))
		return "; as it cannot run inside a transaction block, it runs alone outside one";
	if (strcmp(t, "IndexStmt") == 0)
		return "; it holds a SHARE lock on the table, which blocks writes, for the whole build";
	if (strcmp(t, "UpdateStmt") == 0 || strcmp(t, "DeleteStmt") == 0)
		return "; every row it changes stays locked until it commits (a raw_sql backfill works in batches)";
	return NULL;
}

/* ---- statements ---- */

static void
alter_table(struct cv *cv, json_object *b, struct strlist *said)
{
	json_object *cmds = jget(b, "cmds"), *rv = jget(b, "relation");
	size_t n = jlen(cmds), pieces, *starts, *ends, name_end;
	char *prefix;

	if (!jis(b, "objtype", "OBJECT_TABLE")) {
		char *what = leading_words(cv, cv->t0, cv->t1);

		cv_give_up(cv, "no operation does %s", what);
		free(what);
		unit_end(cv, NULL, tok_verbatim(cv, cv->t0, cv->t1), NULL, said);
		return;
	}
	pieces = tok_split(cv, cv->t0, cv->t1, &starts, &ends);
	if (pieces != n || n == 0) {
		cv_give_up(cv, "its subcommands cannot be told apart");
		unit_end(cv, NULL, tok_verbatim(cv, cv->t0, cv->t1), NULL, said);
		free(starts);
		free(ends);
		return;
	}
	name_end = after_relation(cv, rv);
	prefix = tok_verbatim(cv, cv->t0, name_end);
	for (size_t i = 0; i < n; i++) {
		size_t a = i == 0 ? name_end : starts[i];
		const char *table = cv_relation(cv, rv);
		struct yv *ops = NULL;
		char *text;

		if (table) {
			if (jbool(b, "missing_ok"))
				cv_note(cv, "IF EXISTS is left out: the operations fail if table %s does not exist", table);
			if (!jbool(rv, "inh"))
				cv_note(cv, "ONLY is left out: the operations change %s and the tables that inherit from it", table);
			ops = convert_alter_cmd(cv, table, node_as(jat(cmds, i), "AlterTableCmd"), a, ends[i]);
		}
		if (n == 1) {
			text = tok_verbatim(cv, cv->t0, cv->t1);
		} else {
			char *cmd = tok_verbatim(cv, a, ends[i]);

			text = xasprintf("%s %s", prefix, cmd);
			free(cmd);
		}
		unit_end(cv, ops, text, NULL, said);
	}
	free(prefix);
	free(starts);
	free(ends);
}

static void
convert_statement(struct cv *cv, json_object *stmt)
{
	struct strlist said = {0};
	json_object *b;
	const char *t = node_type(stmt, &b);
	struct yv *ops = NULL;

	unit_begin(cv);
	if (t && strcmp(t, "TransactionStmt") == 0) {
		/* the BEGIN and COMMIT around a file: each step has its own transaction */
		if (!jis(b, "kind", "TRANS_STMT_BEGIN") && !jis(b, "kind", "TRANS_STMT_START") &&
		    !jis(b, "kind", "TRANS_STMT_COMMIT"))
			warn_at(cv, cv->line, cv->col,
				"this transaction control statement is left out: pgstep runs each step in a transaction of its own");
		return;
	}
	if (t && strcmp(t, "VariableSetStmt") == 0) {
		warn_at(cv, cv->line, cv->col,
			jis(b, "name", "lock_timeout") || jis(b, "name", "statement_timeout")
			? "this SET is left out: pgstep sets lock_timeout for every step, and statement_timeout for every backfill batch, from the plan's settings"
			: "this SET is left out: the operations run in pgstep's own sessions, whose settings a plan does not change");
		return;
	}
	if (t && strcmp(t, "AlterTableStmt") == 0) {
		alter_table(cv, b, &said);
		strlist_free(&said);
		return;
	}
	if (!t)
		cv_give_up(cv, "the statement is empty");
	else if (strcmp(t, "IndexStmt") == 0)
		ops = convert_create_index(cv, b);
	else if (strcmp(t, "CreateStmt") == 0)
		ops = convert_create_table(cv, b);
	else if (strcmp(t, "RenameStmt") == 0)
		ops = convert_rename(cv, b);
	else if (strcmp(t, "DropStmt") == 0)
		ops = convert_drop(cv, b);
	else {
		char *what = leading_words(cv, cv->t0, cv->t1);

		cv_give_up(cv, "no operation does %s", what);
		free(what);
	}
	unit_end(cv, ops, tok_verbatim(cv, cv->t0, cv->t1), sql_hint(stmt), &said);
	strlist_free(&said);
}

/* The statement's tokens: from its first one that is not a comment, to
 * its last (PostgreSQL's statement location starts right after the
 * previous semicolon). */
static void
statement_tokens(struct cv *cv, int loc, int len)
{
	size_t i = 0;

	while (i < cv->tok.n && cv->tok.v[i].start < loc)
		i++;
	cv->t0 = i;
	while (i < cv->tok.n && (len == 0 || cv->tok.v[i].start < loc + len))
		i++;
	cv->t1 = i;
	while (cv->t0 < cv->t1 && cv->tok.v[cv->t0].comment)
		cv->t0++;
	while (cv->t1 > cv->t0 && cv->tok.v[cv->t1 - 1].comment)
		cv->t1--;
	text_position(cv->sql, cv->t0 < cv->t1 ? (size_t) cv->tok.v[cv->t0].start : (size_t) loc, &cv->line, &cv->col);
}

static int
warning_order(const void *a, const void *b)
{
	const struct cv_warning *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
cv_free(struct cv *cv)
{
	unit_begin(cv);
	pg_tokens_free(&cv->tok);
	yv_free(cv->ops);
	free(cv->meta);
	for (size_t i = 0; i < cv->nwarn; i++)
		free(cv->warn[i].msg);
	free(cv->warn);
	for (size_t i = 0; i < cv->ntables; i++)
		ktable_free(&cv->tables[i]);
	free(cv->tables);
	for (size_t i = 0; i < cv->nnv; i++) {
		free(cv->nv[i].table);
		free(cv->nv[i].name);
	}
	free(cv->nv);
	free(cv->refused);
	strlist_free(&cv->notes);
}

/* The plan as a whole loads, or the reason it does not (the name it gets
 * from its file does not matter here). */
static char *
plan_refused(const char *yaml, size_t len)
{
	struct diag d = {0};
	struct plan *p = plan_validate_load_buffer("convert.yaml", (const unsigned char *) yaml, len, &d);
	char *why = p ? NULL : xstrdup(d.n ? d.items[0].msg : "the plan does not load");

	plan_free(p);
	diag_free(&d);
	return why;
}

enum convert_status
convert_sql(const char *file, const char *sql, char **yaml, struct diag *warnings, struct diag *errors)
{
	struct cv cv = {.file = file, .sql = sql};
	struct parsed ps;
	struct yv *plan;
	char *error, *why;
	size_t len;
	int line, col;
	enum convert_status rc;

	*yaml = NULL;
	if (!yv_utf8(sql)) {
		diag_add(errors, file, 0, 0, "the file is not UTF-8 text, which a plan must be");
		return CONVERT_FAILED;
	}
	if (!sql_parse(sql, &ps)) {
		size_t at = ps.cursor > 0 ? byte_of_char(sql, (size_t) ps.cursor - 1) : 0;

		text_position(sql, at, &line, &col);
		diag_add(errors, file, line, col, "%s", ps.error);
		parsed_free(&ps);
		return CONVERT_FAILED;
	}
	if (!sql_scan(sql, &cv.tok, &error)) {
		diag_add(errors, file, 1, 1, "%s", error);
		free(error);
		parsed_free(&ps);
		return CONVERT_FAILED;
	}
	cv.ops = yv_seq();
	for (size_t i = 0; i < jlen(ps.stmts); i++) {
		json_object *raw = jat(ps.stmts, i);

		statement_tokens(&cv, jint(raw, "stmt_location"), jint(raw, "stmt_len"));
		convert_statement(&cv, jget(raw, "stmt"));
	}
	parsed_free(&ps);
	check_phases(&cv);
	for (size_t i = 0; i < cv.nnv; i++) {
		char *msg = xasprintf("NOT VALID is not kept: create_constraint validates %s in switch, which fails while any row breaks it (the file leaves it unvalidated)",
				      cv.nv[i].name);

		warn_at(&cv, cv.nv[i].line, cv.nv[i].col, msg);
		free(msg);
	}
	if (cv.nwarn)
		qsort(cv.warn, cv.nwarn, sizeof(*cv.warn), warning_order);
	for (size_t i = 0; i < cv.nwarn; i++)
		diag_add(warnings, file, cv.warn[i].line, cv.warn[i].col, "%s", cv.warn[i].msg);

	if (cv.ops->n == 0) {
		diag_add(errors, file, 0, 0, "no statement to convert");
		cv_free(&cv);
		return CONVERT_FAILED;
	}
	if (cv.refused) {
		diag_add(errors, file, cv.refused_line, cv.refused_col, "%s", cv.refused);
		cv_free(&cv);
		return CONVERT_FAILED;
	}
	plan = yv_map();
	yv_put(plan, "operations", cv.ops);
	cv.ops = NULL;
	if (!yv_emit(plan, yaml, &len, &error)) {
		diag_add(errors, file, 0, 0, "the plan cannot be written: %s", error);
		free(error);
		rc = CONVERT_FAILED;
	} else if ((why = plan_refused(*yaml, len))) {
		diag_add(errors, file, 0, 0, "the plan converted does not load: %s", why);
		free(why);
		free(*yaml);
		*yaml = NULL;
		rc = CONVERT_FAILED;
	} else {
		rc = cv.nwarn ? CONVERT_REVIEW : CONVERT_OK;
	}
	yv_free(plan);
	cv_free(&cv);
	return rc;
}
