/* A plan compiled into phases of steps: the SQL each step runs, the SQL
 * that undoes it, and how it must run. Compiling never connects.
 *
 * Layer rule (script/check-layers, run first by script/test): compile may
 * include base, pg, plan, store; nothing of ops, lint, convert, engine,
 * threads, ui, cli.
 */
#ifndef PGSTEP_COMPILE_H
#define PGSTEP_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "plan/phase.h"
#include "plan/plan.h"
#include "pg/safety.h"

enum step_kind {
	STEP_SQL,		/* one DDL statement (or an atomic group, see multi) */
	STEP_BACKFILL,		/* keyset batches over a table's primary key */
	STEP_VACUUM,		/* VACUUM (ANALYZE) after a backfill */
	STEP_CARRY,		/* a column's indexes and constraints built again on another (carry.h) */
};

/* What a carry step moves: what hangs on table.from, to table.to. */
struct carry {
	char *table;
	char *from;
	char *to;
};

/* An index step decided when it runs (partidx.h): on a plain table it runs
 * its SQL as any step does; on a partitioned table, which PostgreSQL
 * cannot index CONCURRENTLY, it goes partition by partition. */
enum index_build_what {
	IB_BUILD,		/* build the index (a constraint's: on the partitions only) */
	IB_ATTACH,		/* make the built index the constraint */
};

struct index_build {
	enum index_build_what what;
	char *table;		/* raw name, in the plan's schema */
	char *name;		/* the index, and the constraint's name */
	bool unique;
	/* NULL for a plain index; "UNIQUE" or "PRIMARY KEY" for the index of
	 * a constraint, which on a partitioned table is attached in switch by
	 * ADD CONSTRAINT on the partitions, then on the table. */
	char *constraint;
	char *def;		/* what follows "ON <relation> " in its CREATE INDEX */
	char *constraint_def;	/* after ADD CONSTRAINT <name>: "UNIQUE (a) INCLUDE (b) ..." */
	char *attrs;		/* " DEFERRABLE" and the like, or "" */
	struct strlist keys;	/* the key columns, raw */
	struct strlist names;	/* key and INCLUDE columns: PostgreSQL names an index after them */
};

/* What a backfill does to each batch of primary keys. */
struct backfill {
	char *table;		/* the table whose keys are walked (raw name) */
	char *set_sql;		/* UPDATE mode: the SET list */
	char *where_sql;	/* only rows where this holds (NULL: all rows) */
	char *copy_to;		/* COPY mode: insert the batch's rows into this table */
	char *unconverted_sql;	/* rows where this holds after the update are counted and listed */
};

struct step {
	enum step_kind kind;
	enum phase phase;
	int op_index;		/* which operation produced it */
	char *table;		/* raw name of the table it locks, or NULL */
	/* The schema of `table` when it is not the plan's (a partition's, in
	 * the steps partidx.c runs); NULL: the plan's. */
	char *schema;
	char *summary;		/* one line for the log and the console */
	/* What it runs (for a backfill, a sketch of one batch). NULL: a step
	 * there only for its rollback, which has nothing to do forward (a
	 * rollback is one transaction per step, so undoing one change in
	 * several takes several steps); the engine records it as done. */
	char *sql;
	char *rollback;		/* what undoes it; NULL when nothing needs undoing */
	bool no_txn;		/* must run outside a transaction block */
	bool rollback_no_txn;
	bool irreversible;	/* destroys data: no rollback is possible */
	bool multi;		/* several statements that must commit together */
	bool raw;		/* the plan author's SQL (sql, raw_sql), run as written */
	/* Runs on the plan's search_path (plan_search_path), because it holds
	 * SQL the plan's author wrote (an expression, a type, an operator
	 * class, a raw statement); any other step runs with pg_catalog and
	 * pg_temp only, naming every other object with its schema. */
	bool plan_path;
	int delay_ms;		/* the runner waits this long after the previous step */
	struct backfill *bf;	/* STEP_BACKFILL only */
	struct carry *carry;	/* STEP_CARRY only */
	struct index_build *ib;	/* a STEP_SQL decided when it runs, or NULL */
};

/* A choice the compiler made on an answer the live catalog may correct
 * (safety.h): the engine asks the catalog about each one as a migration
 * starts, and compiles the plan again where the two disagree. */
struct decision {
	int op_index;
	char *subject;		/* "add_column users.token" */
	char *expr;		/* the expression asked about, as the plan wrote it */
	char *type;		/* the type it is a value of, or NULL */
	struct vol_answer offline;	/* the parse tree's answer */
	enum volatility used;	/* what the steps follow: the catalog's answer when there is one */
	const char *safe_way;	/* what the steps do when it is volatile, for the log (static) */
	const char *fast_way;	/* and when it is not */
};

struct compiled {
	struct step *steps[N_PHASES];
	size_t n[N_PHASES];
	size_t cap[N_PHASES];
	struct strlist touched;	/* tables worked on that no step names (compile_touches) */
	struct decision *decisions;
	size_t n_decisions;
};

/* Compiles every operation of a validated plan. `facts` are the live
 * catalog's answers (safety.h), which win over the parse tree's; NULL
 * offline (show, lint, convert, and every migration until it starts). */
struct compiled *compile_plan(const struct plan *p, const struct safety_facts *facts);
void compiled_free(struct compiled *c);
/* Whether the steps of `c` follow other answers than `facts` give
 * (a decision that facts would make the other way). */
bool compiled_differs(const struct compiled *c, const struct safety_facts *facts);

struct view_rules;

/* What an operation's compiler writes into. */
struct compile_ctx {
	const struct plan *plan;
	const struct op *op;
	int op_index;
	struct compiled *out;
	struct view_rules *views;	/* with a versioned schema (ops/versioned.h) */
	const struct safety_facts *facts;	/* the catalog's answers, or NULL */
	char *requires;		/* compile_requires's checks, or NULL */
};

/* Whether `expr` (a value of `type`, which may be NULL) must be taken as
 * volatile: the catalog's answer when the compile has one, else the parse
 * tree's (unknown counts as volatile). Recorded as a decision about
 * `subject` ("add_column users.token") for the engine to confirm;
 * safe_way and fast_way (static) say what the steps then do. */
bool compile_is_volatile(struct compile_ctx *cc, const char *subject, const char *expr, const char *type,
			 const char *safe_way, const char *fast_way);

/* Appends a step; takes ownership of summary, sql and rollback (which may
 * be NULL). table may be NULL. */
struct step *compile_emit(struct compile_ctx *cc, enum phase ph, const char *table, char *summary, char *sql,
		  char *rollback);
/* The same for a step whose SQL holds SQL the plan's author wrote: it
 * runs on the plan's search_path (struct step's plan_path). */
struct step *emit_plan_sql(struct compile_ctx *cc, enum phase ph, const char *table, char *summary, char *sql,
			   char *rollback);
/* The same for the plan author's own statements, run as written (sql,
 * raw_sql): in a transaction, or, when the text is exactly one statement
 * that cannot run in a transaction block (CREATE INDEX CONCURRENTLY,
 * VACUUM: safety.h), alone outside one; the rollback likewise. */
struct step *emit_raw_sql(struct compile_ctx *cc, enum phase ph, char *summary, char *sql, char *rollback);
/* Appends a backfill step; takes ownership of the strings in bf. */
struct step *emit_backfill(struct compile_ctx *cc, char *summary, struct backfill bf);

/* The operation emits SQL that came with PostgreSQL `version_num / 10000`
 * (150000: 15), for `what` ("on_delete_set_columns"). The first step of
 * expand, before anything changes, then refuses an older server, naming
 * the operation (file:line:col), what it needs and the server's version;
 * it does nothing on a newer one. */
void compile_requires(struct compile_ctx *cc, int version_num, const char *what);

/* Records a table the operation works on that no step names: the table a
 * foreign key references (its keys must stay as they are while the
 * migration is open), the new name of a renamed table. */
void compile_touches(struct compile_ctx *cc, const char *table);

/* The distinct tables the steps of all phases lock or backfill, then
 * those of compile_touches (raw names, in the order first met) into an
 * empty list; strlist_free frees it. SQL written by the plan's author
 * (sql, raw_sql) names no table. */
void compiled_tables(const struct compiled *c, struct strlist *out);

/* Appends a carry step in `ph` (carry.h); the strings are copied. */
struct step *emit_carry(struct compile_ctx *cc, enum phase ph, const char *table, const char *from, const char *to);

/* Appends an index step (struct index_build, partidx.h): `sql` and
 * `rollback` are what it runs on a plain table; takes ownership of them,
 * of summary and of ib. */
struct step *emit_index(struct compile_ctx *cc, enum phase ph, char *summary, char *sql, char *rollback,
			struct index_build *ib);

/* A copy of `ib` that does `what`; index_build_free frees it. */
struct index_build *index_build_copy(const struct index_build *ib, enum index_build_what what);
void index_build_free(struct index_build *ib);

/* The search_path a step runs with: the plan's (plan_search_path) for SQL
 * its author wrote, else SQL_INTERNAL_PATH. The caller frees. */
char *step_search_path(const struct plan *p, const struct step *s);

/* Renders the sketch of one batch of a backfill of a table of `schema`,
 * for `pgstep show`. */
char *backfill_sketch(const char *schema, const struct backfill *bf);

#endif
