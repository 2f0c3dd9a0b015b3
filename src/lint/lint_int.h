/* Inside lint: what its files share. Not for other layers (lint.h is). */
#ifndef PGSTEP_LINT_INT_H
#define PGSTEP_LINT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "lint/lint.h"
#include "pg/safety.h"

/* ---- session.c: what the statements so far established ---- */

struct rel {
	char *name;		/* its name now */
	int created_phase;	/* the phase of the plan being linted that created it; -1: it was there */
	unsigned trig_gen;	/* triggers created before it */
	bool gone;		/* dropped */
};

struct col {
	int rel;
	char *name;
	bool created;		/* by the plan being linted */
	bool has_type;
	struct col_type type;
};

struct check {
	int rel;
	char *name;
	char *notnull;		/* the column of CHECK (col IS NOT NULL), or NULL */
	bool valid;
};

struct lint_session {
	struct rel *rels;
	size_t nrels;
	struct col *cols;
	size_t ncols;
	struct check *checks;
	size_t nchecks;
	unsigned trig_gen;	/* CREATE TRIGGER statements seen */
};

struct lint_session *lint_session_copy(const struct lint_session *s);
int lint_rel_find(const struct lint_session *s, const char *name);
int lint_rel_add(struct lint_session *s, const char *name, int created_phase);
int lint_rel_get(struct lint_session *s, const char *name);
void lint_rel_rename(struct lint_session *s, int rel, const char *to);
int lint_col_find(const struct lint_session *s, int rel, const char *name);
int lint_col_add(struct lint_session *s, int rel, const char *name, bool created);
int lint_col_get(struct lint_session *s, int rel, const char *name);
void lint_col_forget(struct lint_session *s, int col);
int lint_check_find(const struct lint_session *s, int rel, const char *name);
void lint_check_add(struct lint_session *s, int rel, const char *name, const char *notnull, bool valid);
bool lint_has_valid_not_null_check(const struct lint_session *s, int rel, const char *col);
void lint_session_begin_plan(struct lint_session *s);

/* ---- report.c ---- */

/* A new zeroed finding at the end of r. */
struct lint_finding *lint_finding_new(struct lint_report *r);
/* FILE:LINE:COL: rule-name: message (safe alternative: ...), a line. */
void lint_finding_text(FILE *out, const struct lint_finding *f);

#endif
