/* Lint: the SQL of a plan read by PostgreSQL's own parser (libpg_query),
 * and the statements that would take a dangerous lock or rewrite a table
 * reported before anyone runs them. No curses, no connection.
 *
 * Layer rule (script/check-layers, run first by script/test): lint may
 * include base, pg, plan, store, compile, ops; nothing of convert, engine,
 * threads, ui, cli.
 */
#ifndef PGSTEP_LINT_H
#define PGSTEP_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compile/compile.h"
#include "base/diag.h"
#include "plan/plan.h"

enum lint_severity {
	LINT_WARNING,		/* dangerous: pgstep lint exits 1 */
	LINT_ERROR,		/* certain to fail, or not SQL: pgstep lint exits 2 */
};

struct lint_rule {
	const char *name;	/* stable: lint_ignore and tools use it */
	enum lint_severity severity;
	bool silenceable;	/* by lint_ignore */
	const char *reason;	/* one line: what goes wrong */
	const char *alternative;	/* the safe way */
};

/* Every rule, in the order --list prints them; ends with a NULL name. */
extern const struct lint_rule lint_rules[];
const struct lint_rule *lint_rule_find(const char *name);

struct lint_finding {
	const struct lint_rule *rule;
	char *file;
	int line, col;		/* 0: no position */
	char *message;		/* what this statement does */
	enum phase phase;
	int step;		/* numbered as pgstep show numbers them; 0: not a step */
	bool rollback;		/* in the step's rollback */
	bool silenced;		/* by the operation's lint_ignore */
};

struct lint_report {
	struct lint_finding *v;
	size_t n, cap;
};

/* What earlier statements established (tables created, column types, valid
 * checks), carried from plan to plan in the order they are linted. */
struct lint_session;

struct lint_session *lint_session_new(void);
void lint_session_free(struct lint_session *s);

/* Lints every step of a compiled plan, forward and rollback. */
void lint_plan(struct lint_session *s, const struct plan *p, const struct compiled *c, struct lint_report *r);
/* Adds a plan that did not load: each diagnostic becomes an error. */
void lint_report_diag(struct lint_report *r, const struct diag *d);
void lint_report_free(struct lint_report *r);

/* 0 clean (silenced findings do not count), 1 warnings, 2 errors. */
int lint_report_status(const struct lint_report *r);
/* FILE:LINE:COL: rule-name: message (safe alternative: ...) */
void lint_report_text(FILE *out, const struct lint_report *r);
/* An array of objects, written with json-c. */
void lint_report_json(FILE *out, const struct lint_report *r);
/* Every rule with its reason and safe alternative. */
void lint_list_rules(FILE *out);

/* Before step and run: prints the findings not silenced to `out` as
 * warnings; returns how many. Never stops anything. */
size_t lint_warn(FILE *out, const struct plan *p, const struct compiled *c);

#endif
