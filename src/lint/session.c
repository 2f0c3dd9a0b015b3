/* The lint session: the relations, columns and checks that the statements
 * linted so far created, renamed or dropped, carried from plan to plan. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "lint/lint_int.h"

struct lint_session *
lint_session_new(void)
{
	return xcalloc(1, sizeof(struct lint_session));
}

void
lint_session_free(struct lint_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrels; i++)
		free(s->rels[i].name);
	for (size_t i = 0; i < s->ncols; i++)
		free(s->cols[i].name);
	for (size_t i = 0; i < s->nchecks; i++) {
		free(s->checks[i].name);
		free(s->checks[i].notnull);
	}
	free(s->rels);
	free(s->cols);
	free(s->checks);
	free(s);
}

static char *
lint_strdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct lint_session *
lint_session_copy(const struct lint_session *s)
{
	struct lint_session *c = lint_session_new();

	*c = *s;
	c->rels = xmalloc((s->nrels ? s->nrels : 1) * sizeof(*c->rels));
	c->cols = xmalloc((s->ncols ? s->ncols : 1) * sizeof(*c->cols));
	c->checks = xmalloc((s->nchecks ? s->nchecks : 1) * sizeof(*c->checks));
	for (size_t i = 0; i < s->nrels; i++) {
		c->rels[i] = s->rels[i];
		c->rels[i].name = xstrdup(s->rels[i].name);
	}
	for (size_t i = 0; i < s->ncols; i++) {
		c->cols[i] = s->cols[i];
		c->cols[i].name = xstrdup(s->cols[i].name);
	}
	for (size_t i = 0; i < s->nchecks; i++) {
		c->checks[i] = s->checks[i];
		c->checks[i].name = xstrdup(s->checks[i].name);
		c->checks[i].notnull = lint_strdup_or_null(s->checks[i].notnull);
	}
	return c;
}

int
lint_rel_find(const struct lint_session *s, const char *name)
{
	for (size_t i = s->nrels; i-- > 0;)
		if (!s->rels[i].gone && strcmp(s->rels[i].name, name) == 0)
			return (int) i;
	return -1;
}

int
lint_rel_add(struct lint_session *s, const char *name, int created_phase)
{
	struct rel *r;

	s->rels = xrealloc(s->rels, (s->nrels + 1) * sizeof(*s->rels));
	r = &s->rels[s->nrels];
	r->name = xstrdup(name);
	r->created_phase = created_phase;
	r->trig_gen = s->trig_gen;
	r->gone = false;
	return (int) s->nrels++;
}

/* A relation named by a statement: known, or there before the plan. */
int
lint_rel_get(struct lint_session *s, const char *name)
{
	int i;

	if (!name)
		return -1;
	return (i = lint_rel_find(s, name)) >= 0 ? i : lint_rel_add(s, name, -1);
}

void
lint_rel_rename(struct lint_session *s, int rel, const char *to)
{
	free(s->rels[rel].name);
	s->rels[rel].name = xstrdup(to);
}

int
lint_col_find(const struct lint_session *s, int rel, const char *name)
{
	for (size_t i = s->ncols; i-- > 0;)
		if (s->cols[i].rel == rel && strcmp(s->cols[i].name, name) == 0)
			return (int) i;
	return -1;
}

int
lint_col_add(struct lint_session *s, int rel, const char *name, bool created)
{
	struct col *c;

	s->cols = xrealloc(s->cols, (s->ncols + 1) * sizeof(*s->cols));
	c = &s->cols[s->ncols];
	memset(c, 0, sizeof(*c));
	c->rel = rel;
	c->name = xstrdup(name);
	c->created = created;
	return (int) s->ncols++;
}

int
lint_col_get(struct lint_session *s, int rel, const char *name)
{
	int i = lint_col_find(s, rel, name);

	return i >= 0 ? i : lint_col_add(s, rel, name, false);
}

/* A column dropped (or replaced): it keeps its slot under no name. */
void
lint_col_forget(struct lint_session *s, int col)
{
	if (col < 0)
		return;
	free(s->cols[col].name);
	s->cols[col].name = xstrdup("");
	s->cols[col].rel = -1;
}

int
lint_check_find(const struct lint_session *s, int rel, const char *name)
{
	for (size_t i = s->nchecks; i-- > 0;)
		if (s->checks[i].rel == rel && strcmp(s->checks[i].name, name) == 0)
			return (int) i;
	return -1;
}

void
lint_check_add(struct lint_session *s, int rel, const char *name, const char *notnull, bool valid)
{
	struct check *c;

	s->checks = xrealloc(s->checks, (s->nchecks + 1) * sizeof(*s->checks));
	c = &s->checks[s->nchecks++];
	c->rel = rel;
	c->name = xstrdup(name);
	c->notnull = lint_strdup_or_null(notnull);
	c->valid = valid;
}

bool
lint_has_valid_not_null_check(const struct lint_session *s, int rel, const char *col)
{
	for (size_t i = 0; i < s->nchecks; i++)
		if (s->checks[i].rel == rel && s->checks[i].valid && s->checks[i].notnull &&
		    strcmp(s->checks[i].notnull, col) == 0)
			return true;
	return false;
}

/* A new plan: what earlier plans created was there before it. */
void
lint_session_begin_plan(struct lint_session *s)
{
	for (size_t i = 0; i < s->nrels; i++)
		s->rels[i].created_phase = -1;
	for (size_t i = 0; i < s->ncols; i++)
		s->cols[i].created = false;
}

