#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "plan/op_kind.h"
#include "compile/versioned.h"
#include "pg/dollar.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

static struct step *
append(struct compiled *c, enum phase ph)
{
	if (c->n[ph] == c->cap[ph]) {
		c->cap[ph] = c->cap[ph] ? c->cap[ph] * 2 : 8;
		c->steps[ph] = xrealloc(c->steps[ph], c->cap[ph] * sizeof(struct step));
	}
	struct step *s = &c->steps[ph][c->n[ph]++];

	memset(s, 0, sizeof(*s));
	s->phase = ph;
	return s;
}

struct step *
compile_emit(struct compile_ctx *cc, enum phase ph, const char *table, char *summary, char *sql, char *rollback)
{
	struct step *s = append(cc->out, ph);

	s->kind = STEP_SQL;
	s->op_index = cc->op_index;
	s->table = table ? xstrdup(table) : NULL;
	s->summary = summary;
	s->sql = sql;
	s->rollback = rollback;
	return s;
}

struct step *
emit_plan_sql(struct compile_ctx *cc, enum phase ph, const char *table, char *summary, char *sql, char *rollback)
{
	struct step *s = compile_emit(cc, ph, table, summary, sql, rollback);

	s->plan_path = true;
	return s;
}

struct step *
emit_raw_sql(struct compile_ctx *cc, enum phase ph, char *summary, char *sql, char *rollback)
{
	struct step *s = emit_plan_sql(cc, ph, NULL, summary, sql, rollback);
	struct txn_answer t;

	s->raw = true;
	s->no_txn = safety_sql_txn(sql, &t) == TXN_NONE;
	s->rollback_no_txn = rollback && safety_sql_txn(rollback, &t) == TXN_NONE;
	return s;
}

struct step *
emit_backfill(struct compile_ctx *cc, char *summary, struct backfill bf)
{
	struct step *s = append(cc->out, PHASE_BACKFILL);

	s->kind = STEP_BACKFILL;
	s->op_index = cc->op_index;
	s->table = xstrdup(bf.table);
	s->summary = summary;
	s->bf = xmalloc(sizeof(*s->bf));
	*s->bf = bf;
	/* an UPDATE evaluates the plan's expressions; a copy does not */
	s->plan_path = bf.set_sql != NULL;
	s->sql = backfill_sketch(plan_schema(cc->plan), s->bf);
	return s;
}

struct step *
emit_carry(struct compile_ctx *cc, enum phase ph, const char *table, const char *from, const char *to)
{
	struct step *s = append(cc->out, ph);

	s->kind = STEP_CARRY;
	s->op_index = cc->op_index;
	s->table = xstrdup(table);
	s->summary = xasprintf("carry the indexes and constraints of %s.%s to %s", table, from, to);
	s->sql = xasprintf("for each index on %s.%s: CREATE INDEX CONCURRENTLY on %s, under a helper name;\n"
			   "for each CHECK and FOREIGN KEY on it: ADD CONSTRAINT ... NOT VALID on %s, then VALIDATE\n"
			   "(the definitions read from the catalog when the step runs; contract gives the names back)",
			   table, from, to, to);
	s->rollback = xasprintf("DROP INDEX CONCURRENTLY / DROP CONSTRAINT of what this step carried (kept in pgstep.saved)");
	s->carry = xcalloc(1, sizeof(*s->carry));
	s->carry->table = xstrdup(table);
	s->carry->from = xstrdup(from);
	s->carry->to = xstrdup(to);
	return s;
}

struct step *
emit_index(struct compile_ctx *cc, enum phase ph, char *summary, char *sql, char *rollback, struct index_build *ib)
{
	struct step *s = compile_emit(cc, ph, ib->table, summary, sql, rollback);

	s->ib = ib;
	return s;
}

char *
step_search_path(const struct plan *p, const struct step *s)
{
	return s->plan_path ? plan_search_path(p) : xstrdup(SQL_INTERNAL_PATH);
}

char *
backfill_sketch(const char *schema, const struct backfill *bf)
{
	struct strbuf sb = STRBUF_INIT;
	char *t = sql_qualified(schema, bf->table);

	if (bf->copy_to) {
		char *to = sql_qualified(schema, bf->copy_to);

		sb_printf(&sb, "INSERT INTO %s SELECT * FROM %s WHERE <key> > $last ORDER BY <key> LIMIT $batch ON CONFLICT DO NOTHING",
			  to, t);
		free(to);
	} else {
		sb_printf(&sb, "UPDATE %s SET %s WHERE <key> > $last AND <key> <= $batch_end", t, bf->set_sql);
		if (bf->where_sql)
			sb_printf(&sb, " AND (%s)", bf->where_sql);
	}
	free(t);
	return sb_steal(&sb);
}

/* A table backfilled by several operations is vacuumed once, at the end. */
static void
add_vacuums(struct compile_ctx *cc)
{
	struct compiled *c = cc->out;
	size_t n = c->n[PHASE_BACKFILL];

	if (!cc->plan->settings.vacuum)
		return;
	for (size_t i = 0; i < n; i++) {
		struct step *s = &c->steps[PHASE_BACKFILL][i];
		const char *target;
		bool dup = false;

		if (s->kind != STEP_BACKFILL)
			continue;
		target = s->bf->copy_to ? s->bf->copy_to : s->bf->table;
		for (size_t j = 0; j < i; j++) {
			struct step *o = &c->steps[PHASE_BACKFILL][j];

			if (o->kind == STEP_BACKFILL &&
			    strcmp(o->bf->copy_to ? o->bf->copy_to : o->bf->table, target) == 0)
				dup = true;
		}
		if (dup)
			continue;
		char *q = plan_qualified(cc->plan, target);
		int op_index = s->op_index;
		struct step *v;

		cc->op_index = op_index;
		v = compile_emit(cc, PHASE_BACKFILL, target, xasprintf("vacuum and analyze %s", target),
			 xasprintf("VACUUM (ANALYZE) %s", q), NULL);
		v->kind = STEP_VACUUM;
		v->no_txn = true;
		free(q);
	}
}

bool
compile_is_volatile(struct compile_ctx *cc, const char *subject, const char *expr, const char *type,
		    const char *safe_way, const char *fast_way)
{
	struct compiled *c = cc->out;
	const struct safety_fact *fact = safety_facts_find(cc->facts, expr, type);
	struct decision *d;

	c->decisions = xrealloc(c->decisions, (c->n_decisions + 1) * sizeof(*c->decisions));
	d = &c->decisions[c->n_decisions++];
	d->op_index = cc->op_index;
	d->subject = xstrdup(subject);
	d->expr = xstrdup(expr);
	d->type = type ? xstrdup(type) : NULL;
	safety_expr_volatility(expr, &d->offline);
	d->used = fact ? fact->v : d->offline.v;
	d->safe_way = safe_way;
	d->fast_way = fast_way;
	return safety_is_volatile(d->used);
}

bool
compiled_differs(const struct compiled *c, const struct safety_facts *facts)
{
	for (size_t i = 0; i < c->n_decisions; i++) {
		const struct decision *d = &c->decisions[i];
		const struct safety_fact *fact = safety_facts_find(facts, d->expr, d->type);

		if (fact && safety_is_volatile(fact->v) != safety_is_volatile(d->used))
			return true;
	}
	return false;
}

void
compile_requires(struct compile_ctx *cc, int version_num, const char *what)
{
	char *where = xasprintf("%s:%d:%d: %s", cc->plan->path ? cc->plan->path : cc->plan->name, cc->op->line,
				cc->op->col, cc->op->kind->name);
	char *lwhere = sql_literal(where), *lwhat = sql_literal(what);
	char *check = xasprintf("  IF pg_catalog.current_setting('server_version_num')::integer < %d THEN\n"
				"    RAISE EXCEPTION '%%: %% needs PostgreSQL %d or later; this server is %%: nothing was changed',\n"
				"      %s, %s, pg_catalog.current_setting('server_version');\n"
				"  END IF;\n",
				version_num, version_num / 10000, lwhere, lwhat);
	char *all = xasprintf("%s%s", cc->requires ? cc->requires : "", check);

	free(cc->requires);
	cc->requires = all;
	free(check);
	free(where);
	free(lwhere);
	free(lwhat);
}

/* The check of compile_requires, first in expand: an older server is
 * refused before anything changes. */
static void
emit_requires(struct compile_ctx *cc)
{
	struct compiled *c = cc->out;
	char *body = xasprintf("\nBEGIN\n%sEND\n", cc->requires);
	struct step s;

	/* the plan's, not an operation's: counted with the first one */
	cc->op_index = 0;
	compile_emit(cc, PHASE_EXPAND, NULL, xstrdup("check that the server has what the plan's SQL needs"), do_block(body),
	     NULL);
	/* moved to the front */
	s = c->steps[PHASE_EXPAND][c->n[PHASE_EXPAND] - 1];
	memmove(&c->steps[PHASE_EXPAND][1], &c->steps[PHASE_EXPAND][0], (c->n[PHASE_EXPAND] - 1) * sizeof(s));
	c->steps[PHASE_EXPAND][0] = s;
	free(body);
	free(cc->requires);
	cc->requires = NULL;
}

struct compiled *
compile_plan(const struct plan *p, const struct safety_facts *facts)
{
	struct compiled *c = xcalloc(1, sizeof(*c));
	struct compile_ctx cc = {.plan = p, .out = c, .facts = facts};

	if (p->version_schema)
		versioned_emit_contract(&cc);
	for (size_t i = 0; i < p->n_ops; i++) {
		cc.op = &p->ops[i];
		cc.op_index = (int) i;
		p->ops[i].kind->compile(&cc, p->ops[i].data);
	}
	add_vacuums(&cc);
	if (p->version_schema)
		versioned_emit_expand(&cc);
	if (cc.requires)
		emit_requires(&cc);
	versioned_free(&cc);
	return c;
}

void
compiled_tables(const struct compiled *c, struct strlist *out)
{
	for (int ph = 0; ph < N_PHASES; ph++) {
		for (size_t i = 0; i < c->n[ph]; i++) {
			const struct step *s = &c->steps[ph][i];

			if (s->table && !strlist_contains(out, s->table))
				strlist_add(out, s->table);
			if (s->bf && s->bf->table && !strlist_contains(out, s->bf->table))
				strlist_add(out, s->bf->table);
		}
	}
	for (size_t i = 0; i < c->touched.n; i++)
		if (!strlist_contains(out, c->touched.v[i]))
			strlist_add(out, c->touched.v[i]);
}

void
compile_touches(struct compile_ctx *cc, const char *table)
{
	if (!strlist_contains(&cc->out->touched, table))
		strlist_add(&cc->out->touched, table);
}

struct index_build *
index_build_copy(const struct index_build *ib, enum index_build_what what)
{
	struct index_build *c = xcalloc(1, sizeof(*c));

	c->what = what;
	c->table = xstrdup(ib->table);
	c->name = xstrdup(ib->name);
	c->unique = ib->unique;
	c->constraint = ib->constraint ? xstrdup(ib->constraint) : NULL;
	c->def = xstrdup(ib->def);
	c->constraint_def = ib->constraint_def ? xstrdup(ib->constraint_def) : NULL;
	c->attrs = xstrdup(ib->attrs ? ib->attrs : "");
	for (size_t i = 0; i < ib->keys.n; i++)
		strlist_add(&c->keys, ib->keys.v[i]);
	for (size_t i = 0; i < ib->names.n; i++)
		strlist_add(&c->names, ib->names.v[i]);
	return c;
}

void
index_build_free(struct index_build *ib)
{
	if (!ib)
		return;
	free(ib->table);
	free(ib->name);
	free(ib->constraint);
	free(ib->def);
	free(ib->constraint_def);
	free(ib->attrs);
	strlist_free(&ib->keys);
	strlist_free(&ib->names);
	free(ib);
}

static void
backfill_free(struct backfill *bf)
{
	if (!bf)
		return;
	free(bf->table);
	free(bf->set_sql);
	free(bf->where_sql);
	free(bf->copy_to);
	free(bf->unconverted_sql);
	free(bf);
}

void
compiled_free(struct compiled *c)
{
	if (!c)
		return;
	for (int ph = 0; ph < N_PHASES; ph++) {
		for (size_t i = 0; i < c->n[ph]; i++) {
			struct step *s = &c->steps[ph][i];

			free(s->table);
			free(s->schema);
			free(s->summary);
			free(s->sql);
			free(s->rollback);
			backfill_free(s->bf);
			index_build_free(s->ib);
			if (s->carry) {
				free(s->carry->table);
				free(s->carry->from);
				free(s->carry->to);
				free(s->carry);
			}
		}
		free(c->steps[ph]);
	}
	strlist_free(&c->touched);
	for (size_t i = 0; i < c->n_decisions; i++) {
		free(c->decisions[i].subject);
		free(c->decisions[i].expr);
		free(c->decisions[i].type);
	}
	free(c->decisions);
	free(c);
}
