#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "plan_fixture.h"
#include "lint/validate.h"

struct plan *
load_text(const char *text)
{
	struct diag d = {0};
	struct plan *p = plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), &d);

	diag_print(&d, stderr);
	diag_free(&d);
	assert_non_null(p);
	return p;
}

struct fixture
compile_text(const char *text)
{
	struct fixture f = {.plan = load_text(text)};

	f.c = compile_plan(f.plan, NULL);
	return f;
}

void
fixture_free(struct fixture *f)
{
	compiled_free(f->c);
	plan_free(f->plan);
}

const struct step *
step_at(const struct fixture *f, enum phase ph, size_t i)
{
	assert_true(i < f->c->n[ph]);
	return &f->c->steps[ph][i];
}

void
expect_counts(const struct fixture *f, size_t expand, size_t backfill, size_t sw, size_t contract)
{
	assert_int_equal(f->c->n[PHASE_EXPAND], expand);
	assert_int_equal(f->c->n[PHASE_BACKFILL], backfill);
	assert_int_equal(f->c->n[PHASE_SWITCH], sw);
	assert_int_equal(f->c->n[PHASE_CONTRACT], contract);
}

void
expect_load_error(const char *text, int line, int col, const char *needle)
{
	struct diag d = {0};
	struct plan *p = plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), &d);

	assert_null(p);
	expect_one_diag(&d, line, col, needle);
	diag_free(&d);
}

void
expect_one_diag(const struct diag *d, int line, int col, const char *needle)
{
	if (d->n != 1 || d->items[0].line != line || d->items[0].col != col || !strstr(d->items[0].msg, needle))
		diag_print(d, stderr);
	assert_int_equal(d->n, 1);
	assert_int_equal(d->items[0].line, line);
	assert_int_equal(d->items[0].col, col);
	assert_non_null(strstr(d->items[0].msg, needle));
}

void
expect_set_not_null(const struct fixture *f, enum phase ph, size_t i, int op, const char *table, const char *col)
{
	const struct step *s = step_at(f, ph, i);
	char sql[1024], rollback[1024];

	/* the plan is t.yaml: the migration is "t" */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO pgstep.saved (migration, key, value) VALUES ('t', '%d:%s.%s:notnull', "
		 "(SELECT attnotnull::text FROM pg_attribute WHERE attrelid = '\"public\".\"%s\"'::regclass AND attname = '%s')) "
		 "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now();\n"
		 "ALTER TABLE \"public\".\"%s\" ALTER COLUMN \"%s\" SET NOT NULL",
		 op, table, col, table, col, table, col);
	snprintf(rollback, sizeof(rollback),
		 "DO $pgstep$\n"
		 "BEGIN\n"
		 "  IF (SELECT value FROM pgstep.saved WHERE migration = 't' AND key = '%d:%s.%s:notnull') IS DISTINCT FROM 'true' THEN\n"
		 "    ALTER TABLE \"public\".\"%s\" ALTER COLUMN \"%s\" DROP NOT NULL;\n"
		 "  END IF;\n"
		 "END\n"
		 "$pgstep$",
		 op, table, col, table, col);
	assert_int_equal(s->kind, STEP_SQL);
	assert_string_equal(s->sql, sql);
	assert_string_equal(s->rollback, rollback);
	assert_true(s->multi);
	assert_false(s->no_txn);
	assert_false(s->irreversible);
}

void
expect_index_guard(const struct fixture *f, enum phase ph, size_t i, const char *table, const char *name)
{
	const struct step *s = step_at(f, ph, i);
	char sql[1024], summary[256];

	snprintf(sql, sizeof(sql),
		 "DO $pgstep$\n"
		 "BEGIN\n"
		 "  IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass('\"public\".\"%s\"')\n"
		 "             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid\n"
		 "                             AND i.indrelid = '\"public\".\"%s\"'::regclass AND NOT i.indisvalid)) THEN\n"
		 "    RAISE EXCEPTION 'relation %% already exists: the unique index this migration builds takes that name; name the constraint in the plan', '%s';\n"
		 "  END IF;\n"
		 "END\n"
		 "$pgstep$",
		 name, table, name);
	snprintf(summary, sizeof(summary), "check that no relation is named %s", name);
	assert_int_equal(s->kind, STEP_SQL);
	assert_string_equal(s->summary, summary);
	assert_string_equal(s->sql, sql);
	assert_null(s->rollback);
	assert_false(s->no_txn);
	assert_false(s->multi);
}

void
expect_carry(const struct fixture *f, enum phase ph, size_t i, const char *table, const char *from, const char *to)
{
	const struct step *s = step_at(f, ph, i);

	assert_int_equal(s->kind, STEP_CARRY);
	assert_non_null(s->carry);
	assert_string_equal(s->carry->table, table);
	assert_string_equal(s->carry->from, from);
	assert_string_equal(s->carry->to, to);
	assert_string_equal(s->table, table);
}

void
expect_sql_then_finish(const char *sql, const char *first, const char *table, const char *to)
{
	char like[256];
	size_t n = strlen(first);

	/* the statements, then the DO block that gives back the names */
	assert_int_equal(strncmp(sql, first, n), 0);
	assert_int_equal(strncmp(sql + n, ";\nDO $pgstep$\n", 14), 0);
	snprintf(like, sizeof(like), "pg_catalog.starts_with(key, 'carry:%s.%s:')", table, to);
	assert_non_null(strstr(sql + n, like));
	assert_non_null(strstr(sql + n, "ALTER INDEX %I.%I RENAME TO %I"));
}

void
expect_flagged_step(const struct fixture *f, enum phase ph, size_t i, const char *summary, const char *sql,
		    const char *rollback, int flags)
{
	const struct step *s = step_at(f, ph, i);

	assert_int_equal(s->kind, STEP_SQL);
	assert_string_equal(s->summary, summary);
	assert_string_equal(s->sql, sql);
	if (rollback)
		assert_string_equal(s->rollback, rollback);
	else
		assert_null(s->rollback);
	assert_int_equal(s->no_txn, !!(flags & F_NOTXN));
	assert_int_equal(s->rollback_no_txn, !!(flags & F_RB_NOTXN));
	assert_int_equal(s->irreversible, !!(flags & F_IRREV));
	assert_int_equal(s->multi, !!(flags & F_MULTI));
	assert_int_equal(s->plan_path, !!(flags & F_PLAN_PATH));
	assert_int_equal(s->delay_ms, 0);
}
