/* What the cmocka tests of compiled plans share: a plan compiled from a
 * string, and a checked way to reach one of its steps. */
#ifndef PGSTEP_TESTS_PLAN_FIXTURE_H
#define PGSTEP_TESTS_PLAN_FIXTURE_H

#include <stddef.h>

#include "compile/compile.h"
#include "plan/plan.h"

struct fixture {
	struct plan *plan;
	struct compiled *c;
};

/* Loads `text` as t.yaml; fails the test if it does not load. */
struct plan *load_text(const char *text);
/* ... and compiles it. */
struct fixture compile_text(const char *text);
void fixture_free(struct fixture *f);
/* Step i of phase ph; fails the test when there is no such step. */
const struct step *step_at(const struct fixture *f, enum phase ph, size_t i);

/* The number of steps in each phase. */
void expect_counts(const struct fixture *f, size_t expand, size_t backfill, size_t sw, size_t contract);
/* Loading `text` fails with exactly one message, at line:col, containing
 * `needle`. */
void expect_load_error(const char *text, int line, int col, const char *needle);
/* `d` holds exactly one message, at line:col, containing `needle`. */
void expect_one_diag(const struct diag *d, int line, int col, const char *needle);

/* Step i of ph is SET NOT NULL of table.col (plain names), made by
 * operation `op`: it saves whether the column was NOT NULL already, and
 * its rollback drops NOT NULL only if it was not. */
void expect_set_not_null(const struct fixture *f, enum phase ph, size_t i, int op, const char *table, const char *col);
/* Step i of ph checks that no relation has the name of the unique index
 * about to be built (an INVALID leftover of the table's own aside). */
void expect_index_guard(const struct fixture *f, enum phase ph, size_t i, const char *table, const char *name);
/* Step i of ph carries the indexes and constraints of table.from to to. */
void expect_carry(const struct fixture *f, enum phase ph, size_t i, const char *table, const char *from, const char *to);
/* A contract statement: `first` (the statements before), then the DO block
 * that gives the carried objects of table.to their names back. */
void expect_sql_then_finish(const char *sql, const char *first, const char *table, const char *to);
/* Step i of ph completely: summary, SQL, rollback (NULL: none) and flags. */
#define F_NOTXN 1		/* runs outside a transaction */
#define F_RB_NOTXN 2		/* its rollback too */
#define F_IRREV 4		/* cannot be rolled back */
#define F_MULTI 8		/* several statements that commit together */
#define F_PLAN_PATH 16		/* runs on the plan's search_path (it holds the plan's SQL) */
void expect_flagged_step(const struct fixture *f, enum phase ph, size_t i, const char *summary, const char *sql,
			 const char *rollback, int flags);

#endif
