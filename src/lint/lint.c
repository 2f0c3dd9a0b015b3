/*
 * Lint: every statement a plan runs, read by PostgreSQL's own parser.
 *
 * The parse tree comes from libpg_query as JSON, read with json-c
 * (pgparse.c, which convert shares). Nothing here parses SQL or JSON by
 * hand.
 *
 * Each rule looks at statements as pgstep compiles and runs them: a step
 * is one transaction (or, with no_txn, a statement outside any), a `multi`
 * step is a group of statements that must commit together (the rename
 * swaps), and what a phase of the same plan created is not yet used by the
 * running application.
 */
#include "config.h"

#include <json-c/json.h>
#include <pg_query.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/lint.h"
#include "lint/lint_int.h"
#include "plan/op_kind.h"
#include "pg/dollar.h"
#include "pg/pgparse.h"
#include "pg/safety.h"
#include "plan/sql_fields.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated. */
#define MAX_IDENT_BYTES 63

/* ---- linting one step ---- */

static void
stepx_free(struct stepx *x)
{
	for (size_t i = 0; i < x->nlockers; i++)
		free(x->lockers[i].what);
	for (size_t i = 0; i < x->nrenames; i++) {
		free(x->renames[i].from);
		free(x->renames[i].to);
	}
	for (size_t i = 0; i < x->nnot_valid; i++)
		free(x->not_valid[i].name);
	free(x->lockers);
	free(x->renames);
	free(x->not_valid);
}

static bool
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where the byte `loc` of the step's SQL was written in the plan: in the
 * plan's own text when the SQL is (or holds, at loc) a scalar of the
 * operation, else at the operation. */
static void
position(const struct stepx *x, int loc, int *line, int *col)
{
	const struct field_site *best = NULL;
	size_t best_off = 0, best_len = 0;
	size_t at = loc > 0 ? (size_t) loc : 0;

	*line = x->op->line;
	*col = x->op->col;
	if (x->site) {
		field_site_pos(x->site, chars_in(x->sql, at), line, col);
		return;
	}
	for (size_t i = 0; i < x->op->sites.n; i++) {
		const struct field_site *s = &x->op->sites.v[i];
		size_t len = strlen(s->text);

		if (len < 2 || len <= best_len || strcmp(s->path, "lint_ignore") == 0)
			continue;
		for (const char *p = strstr(x->sql, s->text); p; p = strstr(p + 1, s->text)) {
			size_t off = (size_t) (p - x->sql);

			if (at < off || at >= off + len)
				continue;
			if ((off > 0 && ident_char(p[-1]) && ident_char(p[0])) ||
			    (ident_char(p[len - 1]) && ident_char(p[len])))
				continue;
			best = s;
			best_off = off;
			best_len = len;
			break;
		}
	}
	if (best)
		field_site_pos(best, chars_in(x->sql + best_off, at - best_off), line, col);
}

void
lint_step_report(struct stepx *x, const char *rule, int loc, const char *fmt, ...)
{
	const struct lint_rule *rl = lint_rule_find(rule);
	struct lint_finding *f = lint_finding_new(x->r);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	f->rule = rl;
	f->file = xstrdup(x->p->path);
	position(x, loc, &f->line, &f->col);
	f->message = sb_steal(&sb);
	f->phase = x->phase;
	f->step = x->num;
	f->rollback = x->rollback;
	f->silenced = rl->silenceable && strlist_contains(&x->op->lint_ignore, rule);
}

static void lint_stmt(struct stepx *x, json_object *stmt, int loc);
static void walk_identifiers(struct stepx *x, json_object *o, const char *parent, const char *text, int loc,
			     struct strlist *seen, int depth);

/* The SQL statements of a PL/pgSQL tree (not EXECUTE's dynamic ones). */
static void
plpgsql_statements(json_object *o, json_object *out, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			plpgsql_statements(jat(o, i), out, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);
		const char *q;

		if (strcmp(key, "PLpgSQL_stmt_execsql") == 0 &&
		    (q = jstr(node_as(jget(v, "sqlstmt"), "PLpgSQL_expr"), "query")))
			json_object_array_add(out, json_object_new_string(q));
		else
			plpgsql_statements(v, out, depth + 1);
	}
}

/*
 * A DO block's statements, which run in the step's transaction: read
 * through libpg_query's PL/pgSQL parser (the block given to it as the
 * body of a function) and linted like the step's own, at the DO's
 * position. A block that PL/pgSQL parser refuses is left to the server:
 * without the catalog it cannot judge every block the server accepts.
 */
static void
lint_do(struct stepx *x, json_object *b, int loc)
{
	json_object *args = jget(b, "args");
	const char *body = NULL, *lang = "plpgsql";
	char *tag, *fn;
	PgQueryPlpgsqlParseResult r;

	for (size_t i = 0; i < jlen(args); i++) {
		json_object *d = node_as(jat(args, i), "DefElem");

		if (jis(d, "defname", "as"))
			body = string_node(jget(d, "arg"));
		else if (jis(d, "defname", "language") && string_node(jget(d, "arg")))
			lang = string_node(jget(d, "arg"));
	}
	if (!body || strcmp(lang, "plpgsql") != 0 || x->in_do)
		return;
	tag = dollar_tag(body, "pgstep_lint");
	fn = xasprintf("CREATE FUNCTION pg_temp.pgstep_lint_do() RETURNS void LANGUAGE plpgsql AS %s%s%s", tag, body, tag);
	r = pg_query_parse_plpgsql(fn);
	if (!r.error && r.plpgsql_funcs) {
		json_tokener *tok = json_tokener_new_ex(PG_JSON_DEPTH);
		json_object *tree = json_tokener_parse_ex(tok, r.plpgsql_funcs, (int) strlen(r.plpgsql_funcs));
		json_object *queries = json_object_new_array();
		bool in_txn = x->in_txn;

		plpgsql_statements(tree, queries, 0);
		x->in_do = true;
		x->in_txn = true;
		for (size_t i = 0; i < jlen(queries); i++) {
			struct parsed ps;

			if (!sql_parse(json_object_get_string(jat(queries, i)), &ps)) {
				parsed_free(&ps);
				continue;
			}
			for (size_t j = 0; j < jlen(ps.stmts); j++) {
				json_object *stmt = jget(jat(ps.stmts, j), "stmt");
				struct strlist seen = {0};

				lint_stmt(x, stmt, loc);
				walk_identifiers(x, stmt, "", json_object_get_string(jat(queries, i)), loc, &seen, 0);
				strlist_free(&seen);
			}
			parsed_free(&ps);
		}
		x->in_do = false;
		x->in_txn = in_txn;
		json_object_put(queries);
		json_object_put(tree);
		json_tokener_free(tok);
	}
	pg_query_free_plpgsql_parse_result(r);
	free(fn);
	free(tag);
}

static void
lint_stmt(struct stepx *x, json_object *stmt, int loc)
{
	json_object *b;
	const char *t = node_type(stmt, &b);
	const char *no_txn;

	if (!t)
		return;
	/* the safety module says what cannot run in a transaction block */
	if ((no_txn = safety_no_txn_statement(stmt)))
		lint_needs_no_transaction(x, no_txn, loc);
	if (strcmp(t, "IndexStmt") == 0) {
		int rel = lint_relation_of(x, b, "relation");
		const char *idx = jstr(b, "idxname");

		if (!jbool(b, "concurrent") && !lint_fresh(x, rel)) {
			lint_step_report(x, "create-index-not-concurrently", loc,
			       "CREATE INDEX %s%son %s without CONCURRENTLY: writes to %s wait for the whole build",
			       idx ? idx : "", idx ? " " : "", lint_rel_name(x, rel), lint_rel_name(x, rel));
			lint_locks(x, rel, NULL);
		}
	} else if (strcmp(t, "DropStmt") == 0)
		lint_on_drop(x, b, loc);
	else if (strcmp(t, "ReindexStmt") == 0) {
		bool table = jis(b, "kind", "REINDEX_OBJECT_TABLE");
		int rel = table ? lint_relation_of(x, b, "relation") : -1;

		if (!has_option(jget(b, "params"), "concurrently")) {
			lint_step_report(x, "reindex-not-concurrently", loc, "REINDEX of %s without CONCURRENTLY blocks writes for the whole rebuild",
			       jstr(jget(b, "relation"), "relname") ? jstr(jget(b, "relation"), "relname") :
			       jstr(b, "name") ? jstr(b, "name") : "everything");
			lint_locks(x, rel, "REINDEX");
		}
	} else if (strcmp(t, "VacuumStmt") == 0) {
		json_object *rels = jget(b, "rels");

		if (!jbool(b, "is_vacuumcmd"))
			return;	/* ANALYZE */
		if (has_option(jget(b, "options"), "full")) {
			json_object *rv = jget(node_as(jat(rels, 0), "VacuumRelation"), "relation");

			lint_step_report(x, "vacuum-full", loc, "VACUUM FULL of %s rewrites it under an ACCESS EXCLUSIVE lock",
			       jstr(rv, "relname") ? jstr(rv, "relname") : "every table");
			for (size_t i = 0; i < jlen(rels); i++)
				lint_locks(x, lint_rel_get(x->s, jstr(jget(node_as(jat(rels, i), "VacuumRelation"), "relation"), "relname")),
				      NULL);
			if (!jlen(rels))
				lint_locks(x, -1, "VACUUM FULL");
		}
	} else if (strcmp(t, "ClusterStmt") == 0) {
		const char *table = jstr(jget(b, "relation"), "relname");

		lint_step_report(x, "cluster", loc, "CLUSTER %s rewrites it under an ACCESS EXCLUSIVE lock", table ? table : "(every clustered table)");
		lint_locks(x, table ? lint_rel_get(x->s, table) : -1, "CLUSTER");
	} else if (strcmp(t, "AlterTableStmt") == 0)
		lint_on_alter_table(x, b, loc);
	else if (strcmp(t, "CreateStmt") == 0)
		lint_on_create_table(x, b);
	else if (strcmp(t, "ViewStmt") == 0 || strcmp(t, "CreateTableAsStmt") == 0) {
		json_object *rv = strcmp(t, "ViewStmt") == 0 ? jget(b, "view") : jget(jget(b, "into"), "rel");
		const char *name = jstr(rv, "relname");
		int rel;

		if (!name)
			return;
		if (jbool(b, "replace") && (rel = lint_rel_find(x->s, name)) >= 0)
			lint_locks(x, rel, NULL);
		else
			lint_rel_add(x->s, name, (int) x->phase);
	} else if (strcmp(t, "RenameStmt") == 0)
		lint_on_rename(x, b, loc);
	else if (strcmp(t, "CreateTrigStmt") == 0) {
		lint_locks(x, lint_relation_of(x, b, "relation"), NULL);
		/* from now on, writes to that table may reach any other */
		x->s->trig_gen++;
	} else if (strcmp(t, "RuleStmt") == 0 || strcmp(t, "CreatePolicyStmt") == 0 ||
		   strcmp(t, "AlterObjectSchemaStmt") == 0)
		lint_locks(x, lint_relation_of(x, b, strcmp(t, "CreatePolicyStmt") == 0 ? "table" : "relation"), NULL);
	else if (strcmp(t, "CommentStmt") == 0)
		lint_on_comment(x, b);
	else if (strcmp(t, "TruncateStmt") == 0 || strcmp(t, "LockStmt") == 0) {
		json_object *rels = jget(b, "relations");

		for (size_t i = 0; i < jlen(rels); i++)
			lint_locks(x, lint_rel_get(x->s, jstr(node_as(jat(rels, i), "RangeVar"), "relname")), NULL);
	} else if (strcmp(t, "DoStmt") == 0) {
		lint_locks(x, -1, "a DO block");
		lint_do(x, b, loc);
	}
}

/* Identifiers PostgreSQL would truncate. DefElem options (a function's
 * body, a DO block's code) and trigger arguments are text, not names. */
static const char *const ident_keys[] = {
	"relname", "schemaname", "catalogname", "colname", "conname", "idxname", "indexname", "newname",
	"subname", "trigname", "aliasname", "name", NULL,
};

static bool
continues_identifier(unsigned char c)
{
	return ident_char((char) c) || c == '$' || c >= 0x80;
}

/*
 * PostgreSQL's scanner cuts identifiers to 63 bytes (at a character
 * boundary) before the parse tree is built, with only a NOTICE: the tree
 * never holds a longer name. So a name of 60 to 63 bytes in the tree is
 * looked for in the statement's text, where the parser read it: if the
 * text goes on there with more of the name, it was cut.
 */
static void
check_identifier(struct stepx *x, const char *id, const char *text, int loc, struct strlist *seen)
{
	size_t n = id ? strlen(id) : 0;

	if (n < MAX_IDENT_BYTES - 3 || n > MAX_IDENT_BYTES || strlist_contains(seen, id))
		return;
	for (const char *p = text; *p; p++) {
		bool quoted = p > text && p[-1] == '"';
		unsigned char next;

		if (strncasecmp(p, id, n) != 0 || (!quoted && p > text && continues_identifier((unsigned char) p[-1])))
			continue;
		next = (unsigned char) p[n];
		if (quoted ? (next == '"' || next == '\0') : !continues_identifier(next))
			continue;
		seen->v = xrealloc(seen->v, (seen->n + 1) * sizeof(char *));
		seen->v[seen->n++] = xstrdup(id);
		lint_step_report(x, "identifier-too-long", text == x->sql ? (int) (p - text) : loc,
		       "an identifier longer than 63 bytes, \"%.*s...\": PostgreSQL cuts it to \"%s\"", 24, id, id);
		return;
	}
}

static void
walk_identifiers(struct stepx *x, json_object *o, const char *parent, const char *text, int loc,
		 struct strlist *seen, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			walk_identifiers(x, jat(o, i), parent, text, loc, seen, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);

		if (strcmp(key, "DefElem") == 0 || (strcmp(parent, "CreateTrigStmt") == 0 && strcmp(key, "args") == 0))
			continue;
		if (strcmp(key, "String") == 0) {
			check_identifier(x, jstr(v, "sval"), text, loc, seen);
			continue;
		}
		if (json_object_is_type(v, json_type_string)) {
			for (const char *const *k = ident_keys; *k; k++)
				if (strcmp(key, *k) == 0)
					check_identifier(x, json_object_get_string(v), text, loc, seen);
			continue;
		}
		walk_identifiers(x, v, key, text, loc, seen, depth + 1);
	}
}

/* At the end of a step: what its statements add up to. */
static void
end_of_step(struct stepx *x)
{
	/* Renames: an old name the same step gives back (a swap) breaks
	 * nothing, nor does renaming what this plan created. */
	if (!x->rollback && (x->phase == PHASE_EXPAND || x->phase == PHASE_SWITCH)) {
		for (size_t i = 0; i < x->nrenames; i++) {
			const struct renamed *r = &x->renames[i];
			bool back = r->column ? lint_col_find(x->s, r->rel, r->from) >= 0 : lint_rel_find(x->s, r->from) >= 0;

			if (r->created || back)
				continue;
			if (r->column)
				lint_step_report(x, "rename-before-contract", r->loc,
				       "RENAME COLUMN %s.%s TO %s in %s: the application still running uses %s", lint_rel_name(x, r->rel),
				       r->from, r->to, phase_name(x->phase), r->from);
			else
				lint_step_report(x, "rename-before-contract", r->loc,
				       "RENAME of table %s to %s in %s: the application still running uses %s", r->from, r->to,
				       phase_name(x->phase), r->from);
		}
	}
	if (x->nlockers >= 2) {
		size_t existing = 0;
		struct strbuf sb = STRBUF_INIT;

		/* A multi step may lock one existing table several times: its
		 * statements must commit together, and the locks stay on that
		 * table (beside what this plan created, which nobody else uses). */
		for (size_t i = 0; i < x->nlockers; i++) {
			bool dup = false;

			if (!x->lockers[i].existing)
				continue;
			for (size_t j = 0; j < i; j++)
				if (x->lockers[j].existing && x->lockers[j].rel == x->lockers[i].rel)
					dup = true;
			if (!dup)
				existing++;
		}
		if (x->st->multi && existing <= 1)
			return;
		for (size_t i = 0; i < x->nlockers; i++) {
			bool dup = false;

			for (size_t j = 0; j < i; j++)
				if (strcmp(x->lockers[j].what, x->lockers[i].what) == 0)
					dup = true;
			if (!dup)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "", x->lockers[i].what);
		}
		lint_step_report(x, "multiple-ddl-in-step", x->lockers[1].loc,
		       "%zu statements in one step lock %s: each lock is held while the next one is waited for%s", x->nlockers,
		       sb.buf, x->st->multi ? " (a multi step, but on more than one existing table)" : "");
		sb_free(&sb);
	}
}

static int
skip_space(const char *sql, int loc)
{
	while (loc >= 0 && sql[loc] && strchr(" \t\r\n", sql[loc]))
		loc++;
	return loc;
}

static void
lint_sql(struct stepx *x, const char *sql)
{
	struct parsed ps;

	x->sql = sql;
	if (!sql_parse(sql, &ps)) {
		int loc = ps.cursor > 0 ? (int) byte_of_char(sql, (size_t) ps.cursor - 1) : 0;

		lint_step_report(x, "syntax-error", loc, "%s", ps.error);
		parsed_free(&ps);
		return;
	}
	x->nstmts = jlen(ps.stmts);
	for (size_t i = 0; i < x->nstmts; i++) {
		json_object *raw = jat(ps.stmts, i);
		json_object *stmt = jget(raw, "stmt");
		int loc = skip_space(sql, jint(raw, "stmt_location"));
		struct strlist seen = {0};

		x->loc = loc;
		lint_stmt(x, stmt, loc);
		walk_identifiers(x, stmt, "", sql, loc, &seen, 0);
		strlist_free(&seen);
	}
	end_of_step(x);
	parsed_free(&ps);
}

/* The raw_sql or sql field whose text is the step's SQL, as written. */
static const struct field_site *
statement_site(const struct op *op, const char *sql, bool rollback)
{
	const struct field_site *any = NULL;

	for (size_t i = 0; i < op->sites.n; i++) {
		const struct field_site *s = &op->sites.v[i];
		size_t n = strlen(s->path);
		const char *want = rollback ? "down" : "up";

		if (fields_sql_at(op->kind->fields, s->path) != FSQL_STMTS || strcmp(s->text, sql) != 0)
			continue;
		if (n >= strlen(want) && strcmp(s->path + n - strlen(want), want) == 0)
			return s;
		if (!any)
			any = s;
	}
	return any;
}

void
lint_plan(struct lint_session *s, const struct plan *p, const struct compiled *c, struct lint_report *r)
{
	int num = 0;

	lint_session_begin_plan(s);
	for (int ph = 0; ph < N_PHASES; ph++) {
		for (size_t i = 0; i < c->n[ph]; i++) {
			const struct step *st = &c->steps[ph][i];
			const struct op *op = &p->ops[st->op_index];
			struct stepx x = {
				.s = s, .p = p, .op = op, .st = st, .r = r, .phase = (enum phase) ph,
				.num = ++num, .in_txn = !st->no_txn,
			};

			/* a backfill's SQL is a sketch; its parts were checked at load */
			if (st->kind == STEP_BACKFILL || st->kind == STEP_CARRY || !st->sql)
				continue;
			x.site = statement_site(op, st->sql, false);
			lint_sql(&x, st->sql);
			stepx_free(&x);
			if (st->rollback) {
				/* It runs once the later steps are undone: against what
				 * this step left, and it changes nothing for them. */
				struct lint_session *undo = lint_session_copy(s);
				struct stepx u = {
					.s = undo, .p = p, .op = op, .st = st, .r = r, .phase = (enum phase) ph,
					.num = num, .rollback = true, .in_txn = !st->rollback_no_txn,
				};

				u.site = statement_site(op, st->rollback, true);
				lint_sql(&u, st->rollback);
				stepx_free(&u);
				lint_session_free(undo);
			}
		}
	}
}

size_t
lint_warn(FILE *out, const struct plan *p, const struct compiled *c)
{
	struct lint_session *s = lint_session_new();
	struct lint_report r = {0};
	size_t n = 0;

	lint_plan(s, p, c, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (r.v[i].silenced)
			continue;
		fputs("pgstep: lint: ", out);
		lint_finding_text(out, &r.v[i]);
		n++;
	}
	if (n)
		fprintf(out, "pgstep: lint: %zu finding%s in %s (pgstep lint --list explains each rule); going ahead\n", n,
			n == 1 ? "" : "s", p->path);
	lint_report_free(&r);
	lint_session_free(s);
	return n;
}
