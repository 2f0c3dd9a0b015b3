#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "compile/compile.h"
#include "lint/lint.h"
#include "lint/validate.h"
#include "plan/op_kind.h"
#include "plan/phase.h"
#include "plan/sql_fields.h"

/* lint_ignore names rules that exist and may be silenced. */
static bool
ignores_checked(const struct plan *p, struct diag *d)
{
	bool ok = true;

	for (size_t o = 0; o < p->n_ops; o++) {
		const struct op *op = &p->ops[o];

		for (size_t i = 0; i < op->sites.n; i++) {
			const struct field_site *s = &op->sites.v[i];
			const struct lint_rule *r;

			if (strcmp(s->path, "lint_ignore") != 0)
				continue;
			if (!(r = lint_rule_find(s->text))) {
				sql_fields_error(d, p->path, s, -1,
						 "lint_ignore: there is no lint rule \"%s\" (pgstep lint --list names them)", s->text);
				ok = false;
			} else if (!r->silenceable) {
				sql_fields_error(d, p->path, s, -1, "lint_ignore: %s cannot be silenced", s->text);
				ok = false;
			}
		}
	}
	return ok;
}

/*
 * rename_table renames in expand and leaves a view under the old name: an
 * operation of the same plan that works on the old name in a later phase
 * (a backfill, a constraint validated in switch) would meet the view.
 * Refused at load, naming both; with a versioned schema a rename is
 * metadata until contract and nothing of the kind happens.
 */
static bool
renames_checked(const struct plan *p, const char *file, struct diag *diag)
{
	struct compiled *c = NULL;
	bool *said = xcalloc(p->n_ops ? p->n_ops : 1, sizeof(bool));
	bool ok = true;

	for (size_t i = 0; i < p->n_ops; i++) {
		const char *from = NULL;

		if (!(p->ops[i].kind->flags & OPK_RENAMES_TABLE))
			continue;
		if (!c)
			c = compile_plan(p, NULL);
		for (size_t k = 0; k < c->n[PHASE_EXPAND] && !from; k++)
			if (c->steps[PHASE_EXPAND][k].op_index == (int) i)
				from = c->steps[PHASE_EXPAND][k].table;
		for (int ph = PHASE_BACKFILL; from && ph < N_PHASES; ph++) {
			for (size_t k = 0; k < c->n[ph]; k++) {
				const struct step *s = &c->steps[ph][k];
				const struct op *o;

				if (s->op_index == (int) i || !s->table || strcmp(s->table, from) != 0 || said[s->op_index])
					continue;
				said[s->op_index] = true;
				o = &p->ops[s->op_index];
				diag_add(diag, file, o->line, o->col,
					 "%s works on table %s in %s, and the rename_table at line %d renames %s in expand (its old name is then a view): put the rename in a migration of its own, after this one, or use a versioned schema",
					 o->kind->name, from, phase_name((enum phase) ph), p->ops[i].line, from);
				ok = false;
			}
		}
	}
	compiled_free(c);
	free(said);
	return ok;
}

bool
plan_validate(const struct plan *p, struct diag *diag)
{
	if (!ignores_checked(p, diag))
		return false;
	return p->version_schema || renames_checked(p, p->path, diag);
}

struct plan *
plan_validate_load(const char *path, struct diag *diag)
{
	struct plan *p = plan_load(path, diag);

	if (p && !plan_validate(p, diag)) {
		plan_free(p);
		return NULL;
	}
	return p;
}

struct plan *
plan_validate_load_buffer(const char *name, const unsigned char *buf, size_t len, struct diag *diag)
{
	struct plan *p = plan_load_buffer(name, buf, len, diag);

	if (p && !plan_validate(p, diag)) {
		plan_free(p);
		return NULL;
	}
	return p;
}
