/* Inside lint: what its files share. Not for other layers (lint.h is). */
#ifndef PGSTEP_LINT_INT_H
#define PGSTEP_LINT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "lint/lint.h"
#include "plan/plan.h"
#include "compile/compile.h"
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

/* ---- lint.c: linting one step ---- */

/* A statement that locks a table the running application may use. */
struct locker {
	int rel;		/* -1: unknown (a DO block, an index) */
	bool existing;		/* there before this plan */
	char *what;
	int loc;
};

struct renamed {
	bool column;
	int rel;
	char *from, *to;
	bool created;		/* by this plan: the application does not use it */
	int loc;
};

struct not_valid {
	int rel;
	char *name;
};

struct stepx {
	struct lint_session *s;
	const struct plan *p;
	const struct op *op;
	const struct step *st;
	struct lint_report *r;
	enum phase phase;
	int num;		/* as pgstep show numbers it */
	bool rollback;
	bool in_txn;		/* it runs inside a transaction block */
	const char *sql;
	size_t nstmts;
	int loc;		/* of the statement being read */
	bool in_do;		/* reading the statements of a DO block */
	const struct field_site *site;	/* the plan's text that is this SQL verbatim */

	struct locker *lockers;
	size_t nlockers;
	struct renamed *renames;
	size_t nrenames;
	struct not_valid *not_valid;
	size_t nnot_valid;
};

/* Reports a finding of `rule` at the byte `loc` of the step's SQL. */
void lint_step_report(struct stepx *x, const char *rule, int loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- ddl_rules.c: what each DDL statement locks, rewrites or risks ---- */

bool lint_fresh(const struct stepx *x, int rel);
const char *lint_rel_name(const struct stepx *x, int rel);
void lint_locks(struct stepx *x, int rel, const char *what);
void lint_needs_no_transaction(struct stepx *x, const char *what, int loc);
int lint_relation_of(struct stepx *x, json_object *body, const char *key);
void lint_on_alter_table(struct stepx *x, json_object *b, int loc);
void lint_on_create_table(struct stepx *x, json_object *b);
void lint_on_drop(struct stepx *x, json_object *b, int loc);
void lint_on_rename(struct stepx *x, json_object *b, int loc);
void lint_on_comment(struct stepx *x, json_object *b);

/* ---- report.c ---- */

/* A new zeroed finding at the end of r. */
struct lint_finding *lint_finding_new(struct lint_report *r);
/* FILE:LINE:COL: rule-name: message (safe alternative: ...), a line. */
void lint_finding_text(FILE *out, const struct lint_finding *f);

#endif
