/* pgstep convert: for each kind of statement, the SQL in, the exact plan
 * out, and the warnings at their line and column; every plan written loads
 * (plan_load_buffer) and compiles (compile_plan). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "convert/convert.h"
#include "base/diag.h"
#include "plan_fixture.h"
#include "pg/sql.h"

struct want {
	int line, col;
	const char *needle;	/* a part of the message */
};

#define WARNINGS(...) (const struct want[]) {__VA_ARGS__}, \
	sizeof((const struct want[]) {__VA_ARGS__}) / sizeof(struct want)
#define NO_WARNINGS NULL, 0

static void
expect_warnings(const struct diag *d, const struct want *w, size_t nw)
{
	bool same = d->n == nw;

	for (size_t i = 0; same && i < nw; i++)
		same = d->items[i].line == w[i].line && d->items[i].col == w[i].col &&
			strstr(d->items[i].msg, w[i].needle) != NULL;
	if (!same) {
		fprintf(stderr, "expected warnings:\n");
		for (size_t i = 0; i < nw; i++)
			fprintf(stderr, "  m.sql:%d:%d: ...%s...\n", w[i].line, w[i].col, w[i].needle);
		fprintf(stderr, "got:\n");
		diag_print(d, stderr);
	}
	assert_true(same);
	for (size_t i = 0; i < d->n; i++)
		assert_string_equal(d->items[i].file, "m.sql");
}

/* Converts `sql` (as m.sql): exactly `yaml`, status rc, the warnings w;
 * returns the plan loaded and compiled, for more checks. */
static struct fixture
expect_plan(const char *sql, const char *yaml, enum convert_status rc, const struct want *w, size_t nw)
{
	struct diag warnings = {0}, errors = {0};
	char *got = NULL;
	enum convert_status r = convert_sql("m.sql", sql, &got, &warnings, &errors);
	struct fixture fx;
	size_t steps = 0;

	if (r != rc || !got || strcmp(got, yaml) != 0) {
		fprintf(stderr, "converting:\n%s\nexpected status %d, got %d:\n%s\n", sql, rc, r, got ? got : "(no plan)");
		diag_print(&errors, stderr);
	}
	assert_int_equal(r, rc);
	assert_int_equal(errors.n, 0);
	assert_non_null(got);
	assert_string_equal(got, yaml);
	expect_warnings(&warnings, w, nw);
	/* what convert writes, pgstep loads and compiles */
	fx = compile_text(got);
	for (int ph = 0; ph < N_PHASES; ph++)
		steps += fx.c->n[ph];
	assert_true(steps > 0);
	free(got);
	diag_free(&warnings);
	diag_free(&errors);
	return fx;
}

/* Converting `sql` fails with one error at line:col holding `needle`, and
 * writes no plan. */
static void
expect_failure(const char *sql, int line, int col, const char *needle)
{
	struct diag warnings = {0}, errors = {0};
	char *got = (char *) "not touched";
	enum convert_status r = convert_sql("m.sql", sql, &got, &warnings, &errors);

	expect_one_diag(&errors, line, col, needle);
	assert_int_equal(r, CONVERT_FAILED);
	assert_null(got);
	diag_free(&warnings);
	diag_free(&errors);
}

/* ADD COLUMN: NOT NULL with a default, and the plain nullable kind written nullable: true (a column without nullable is NOT NULL in pgstep, as in pgroll). */
static void
test_add_column(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ADD COLUMN score integer DEFAULT 0 NOT NULL;\n"
		"ALTER TABLE users ADD COLUMN nickname text;\n"
		"ALTER TABLE users ADD COLUMN prefs jsonb DEFAULT '{}' NULL;\n",
		"operations:\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: score\n"
		"      type: integer\n"
		"      default: '0'\n"
		"      nullable: false\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: nickname\n"
		"      type: text\n"
		"      nullable: true\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: prefs\n"
		"      type: jsonb\n"
		"      default: \"'{}'\"\n"
		"      nullable: true\n",
		CONVERT_OK, NO_WARNINGS);
	/* the column as plain SQL adds it: no rewrite, no trigger */
	expect_counts(&fx, 3, 0, 0, 0);
	assert_string_equal(step_at(&fx, PHASE_EXPAND, 0)->sql,
			    "ALTER TABLE \"public\".\"users\" ADD COLUMN \"score\" integer DEFAULT (0) NOT NULL");
	fixture_free(&fx);
}

/* ADD COLUMN's UNIQUE, CHECK and REFERENCES, named as PostgreSQL names them when the statement does not, DEFERRABLE and the actions kept. */
static void
test_add_column_constraints(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ADD COLUMN tag text UNIQUE CHECK (tag <> '') REFERENCES tags (name) ON UPDATE CASCADE DEFERRABLE,\n"
		"  ADD COLUMN team bigint CONSTRAINT users_team_fk REFERENCES teams (id) MATCH FULL ON DELETE SET NULL CONSTRAINT team_positive CHECK (team > 0 AND team <> id);\n",
		"operations:\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: tag\n"
		"      type: text\n"
		"      nullable: true\n"
		"      unique: true\n"
		"      check:\n"
		"        name: users_tag_check\n"
		"        constraint: tag <> ''\n"
		"      references:\n"
		"        name: users_tag_fkey\n"
		"        table: tags\n"
		"        column: name\n"
		"        on_update: CASCADE\n"
		"        deferrable: true\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: team\n"
		"      type: bigint\n"
		"      nullable: true\n"
		"      check:\n"
		"        name: team_positive\n"
		"        constraint: team > 0 AND team <> id\n"
		"      references:\n"
		"        name: users_team_fk\n"
		"        table: teams\n"
		"        column: id\n"
		"        on_delete: SET NULL\n"
		"        match_type: FULL\n",
		CONVERT_OK, NO_WARNINGS);
	fixture_free(&fx);
}

/* What add_column cannot do stays as written: NOT NULL without a default (no table with rows takes it, in plain SQL either), serial, generated, COLLATE. */
static void
test_add_column_refused(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ADD COLUMN created timestamptz NOT NULL;\n"
		"ALTER TABLE users ADD COLUMN n bigserial;\n"
		"ALTER TABLE users ADD COLUMN d int GENERATED ALWAYS AS (id * 2) STORED;\n"
		"ALTER TABLE users ADD COLUMN c text COLLATE \"C\";\n",
		"operations:\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD COLUMN created timestamptz NOT NULL\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD COLUMN n bigserial\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD COLUMN d int GENERATED ALWAYS AS (id * 2) STORED\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD COLUMN c text COLLATE \"C\"\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "a NOT NULL column with no default cannot be added to a table that has rows, in plain SQL as by add_column (whi"},
			{2, 1, "a serial column takes nextval() for every row, so adding it rewrites the table under an ACCESS EXCLUSIVE lock "},
			{3, 1, "add_column cannot add a generated or identity column (it computes every row while the table is locked); it sta"},
			{4, 1, "add_column gives a column no COLLATE; it stays a sql operation"}));
	fixture_free(&fx);
}

/* ALTER COLUMN TYPE: up is USING or a cast; down is a guess when the file does not say the old type, and always a warning at the statement's line and column (after a comment, indented). */
static void
test_alter_type(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"-- ages are numbers now\n"
		"  ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer;\n"
		"ALTER TABLE t ALTER COLUMN \"Order\" TYPE bigint, ALTER COLUMN name TYPE varchar(200);\n",
		"operations:\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: age\n"
		"    type: integer\n"
		"    up: age::integer\n"
		"    down: age::text\n"
		"- alter_column:\n"
		"    table: t\n"
		"    column: Order\n"
		"    type: bigint\n"
		"    up: '\"Order\"::bigint'\n"
		"    down: '\"Order\"::text'\n"
		"- alter_column:\n"
		"    table: t\n"
		"    column: name\n"
		"    type: varchar(200)\n"
		"    up: name::varchar(200)\n"
		"    down: name::text\n",
		CONVERT_REVIEW, WARNINGS(
			{2, 3, "down is age::text, a guess (the file does not say the type users.age had): review it"},
			{3, 1, "down is \"Order\"::text, a guess (the file does not say the type t.Order had): review it"},
			{3, 1, "down is name::text, a guess (the file does not say the type t.name had): review it"}));
	/* up fills the shadow column in the backfill */
	assert_non_null(strstr(step_at(&fx, PHASE_BACKFILL, 0)->bf->set_sql, "= (age::integer)"));
	fixture_free(&fx);
}

/* The old type from a CREATE TABLE above (and a type change, and a rename, since): down casts back to it, and a NOT NULL column stays NOT NULL. */
static void
test_alter_type_known(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"CREATE TABLE items (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL, code text);\n"
		"ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2), ALTER COLUMN code TYPE integer USING nullif(code, '')::integer;\n"
		"ALTER TABLE items RENAME COLUMN price TO amount;\n"
		"ALTER TABLE items ALTER COLUMN amount TYPE numeric;\n",
		"operations:\n"
		"- create_table:\n"
		"    name: items\n"
		"    columns:\n"
		"    - name: id\n"
		"      type: bigint\n"
		"      pk: true\n"
		"    - name: price\n"
		"      type: numeric(10,2)\n"
		"      nullable: false\n"
		"    - name: code\n"
		"      type: text\n"
		"      nullable: true\n"
		"- alter_column:\n"
		"    table: items\n"
		"    column: price\n"
		"    type: numeric(12,2)\n"
		"    up: price::numeric(12,2)\n"
		"    down: price::numeric(10,2)\n"
		"    nullable: false\n"
		"- alter_column:\n"
		"    table: items\n"
		"    column: code\n"
		"    type: integer\n"
		"    up: nullif(code, '')::integer\n"
		"    down: code::text\n"
		"- rename_column:\n"
		"    table: items\n"
		"    from: price\n"
		"    to: amount\n"
		"- alter_column:\n"
		"    table: items\n"
		"    column: amount\n"
		"    type: numeric\n"
		"    up: amount::numeric\n"
		"    down: amount::numeric(12,2)\n"
		"    nullable: false\n",
		CONVERT_REVIEW, WARNINGS(
			{2, 1, "down is price::numeric(10,2), back to the type the file gave items.price before: review it"},
			{2, 1, "down is code::text, back to the type the file gave items.code before: review it"},
			{3, 1, "rename_column makes amount a second column kept equal to price until contract drops price (its indexes and constraints are built again on amount)"},
			{3, 1, "this operation runs its expand on the old column items.price, which the type change above replaces at switch a"},
			{4, 1, "down is amount::numeric(12,2), back to the type the file gave items.amount before: review it"}));
	fixture_free(&fx);
}

/* SET NOT NULL (up leaves NULLs as they are: warned), DROP NOT NULL, SET DEFAULT and DROP DEFAULT (default: null), each its own operation. */
static void
test_not_null_default(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ALTER COLUMN email SET NOT NULL,\n"
		"  ALTER COLUMN age DROP NOT NULL,\n"
		"  ALTER COLUMN created SET DEFAULT now(),\n"
		"  ALTER email DROP DEFAULT;\n",
		"operations:\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: email\n"
		"    nullable: false\n"
		"    up: email\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: age\n"
		"    nullable: true\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: created\n"
		"    default: now()\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: email\n"
		"    default: null\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "up is email, which leaves"}));
	fixture_free(&fx);
}

/* CREATE INDEX: a name chosen as PostgreSQL would, UNIQUE, the method, the predicate, sort, nulls, collation, operator class with parameters, storage parameters. */
static void
test_create_index(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"CREATE INDEX ON users (email);\n"
		"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_active_email ON users USING hash (email) WHERE deleted_at IS NULL;\n"
		"CREATE INDEX users_trgm ON users USING gist (name gist_trgm_ops (siglen = 32), email DESC NULLS FIRST, code COLLATE \"C\" ASC) WITH (fillfactor = 70);\n",
		"operations:\n"
		"- create_index:\n"
		"    name: users_email_idx\n"
		"    table: users\n"
		"    columns:\n"
		"    - email\n"
		"- create_index:\n"
		"    name: users_active_email\n"
		"    table: users\n"
		"    columns:\n"
		"    - email\n"
		"    unique: true\n"
		"    method: hash\n"
		"    predicate: deleted_at IS NULL\n"
		"- create_index:\n"
		"    name: users_trgm\n"
		"    table: users\n"
		"    columns:\n"
		"    - column: name\n"
		"      opclass:\n"
		"        name: gist_trgm_ops\n"
		"        params:\n"
		"        - siglen = 32\n"
		"    - column: email\n"
		"      sort: DESC\n"
		"      nulls: FIRST\n"
		"    - column: code\n"
		"      sort: ASC\n"
		"      collate: C\n"
		"    method: gist\n"
		"    storage_parameters: fillfactor = 70\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "the index has no name: the plan calls it users_email_idx, as PostgreSQL"},
			{2, 1, "IF NOT EXISTS is left out: expand fails"}));
	assert_string_equal(step_at(&fx, PHASE_EXPAND, 2)->sql,
			    "CREATE INDEX CONCURRENTLY \"users_trgm\" ON \"public\".\"users\" USING gist (\"name\" gist_trgm_ops (siglen = 32), "
			    "\"email\" DESC NULLS FIRST, \"code\" COLLATE \"C\" ASC) WITH (fillfactor = 70)");
	assert_true(step_at(&fx, PHASE_EXPAND, 2)->no_txn);
	fixture_free(&fx);
}

/* An expression column or INCLUDE: no create_index; CONCURRENTLY in a sql operation is said to fail inside its transaction. */
static void
test_create_index_sql(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email));\n"
		"CREATE INDEX users_email_inc ON users (email) INCLUDE (name);\n",
		"operations:\n"
		"- sql:\n"
		"    up: CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email))\n"
		"- sql:\n"
		"    up: CREATE INDEX users_email_inc ON users (email) INCLUDE (name)\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "create_index indexes columns, not expressions; it stays a sql operation"},
			{2, 1, "create_index has no INCLUDE columns; it stays a sql operation"}));
	fixture_free(&fx);
}

/* ADD CONSTRAINT: check, unique (with INCLUDE and WITH), primary key and foreign key (MATCH, actions, SET NULL columns); unnamed ones get PostgreSQL's names (a check naming two columns is table_check) and a warning. */
static void
test_constraints(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0),\n"
		"  ADD CHECK (score >= 0),\n"
		"  ADD CHECK (score <= age),\n"
		"  ADD UNIQUE (email, team) INCLUDE (name) WITH (fillfactor = 90),\n"
		"  ADD PRIMARY KEY (id);\n"
		"ALTER TABLE orders ADD FOREIGN KEY (user_id, team) REFERENCES users (id, team) MATCH FULL ON DELETE SET NULL (user_id, team) ON UPDATE CASCADE;\n",
		"operations:\n"
		"- create_constraint:\n"
		"    table: users\n"
		"    name: users_age_check\n"
		"    type: check\n"
		"    check: age >= 0\n"
		"- create_constraint:\n"
		"    table: users\n"
		"    name: users_score_check\n"
		"    type: check\n"
		"    check: score >= 0\n"
		"- create_constraint:\n"
		"    table: users\n"
		"    name: users_check\n"
		"    type: check\n"
		"    check: score <= age\n"
		"- create_constraint:\n"
		"    table: users\n"
		"    name: users_email_team_name_key\n"
		"    type: unique\n"
		"    columns:\n"
		"    - email\n"
		"    - team\n"
		"    index_parameters:\n"
		"      include_columns:\n"
		"      - name\n"
		"      storage_parameters: fillfactor = 90\n"
		"- create_constraint:\n"
		"    table: users\n"
		"    name: users_pkey\n"
		"    type: primary_key\n"
		"    columns:\n"
		"    - id\n"
		"- create_constraint:\n"
		"    table: orders\n"
		"    name: orders_user_id_team_fkey\n"
		"    type: foreign_key\n"
		"    columns:\n"
		"    - user_id\n"
		"    - team\n"
		"    references:\n"
		"      table: users\n"
		"      columns:\n"
		"      - id\n"
		"      - team\n"
		"      on_delete: SET NULL\n"
		"      on_update: CASCADE\n"
		"      match_type: FULL\n"
		"      on_delete_set_columns:\n"
		"      - user_id\n"
		"      - team\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "the constraint has no name: the plan calls it users_score_check, as PostgreSQL"},
			{1, 1, "the constraint has no name: the plan calls it users_check, as PostgreSQL"},
			{1, 1, "the constraint has no name: the plan calls it users_email_team_name_key, as PostgreSQL"},
			{1, 1, "the constraint has no name: the plan calls it users_pkey, as PostgreSQL"},
			{6, 1, "the constraint has no name: the plan calls it orders_user_id_team_fkey, as PostgreSQL"}));
	fixture_free(&fx);
}

/* NOT VALID: create_constraint validates in switch, so the VALIDATE of the file goes, and a constraint the file never validates is warned about at its own statement; a VALIDATE of a constraint from elsewhere stays as written. */
static void
test_not_valid(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"
		"ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\n"
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fkey;\n"
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_other;\n",
		"operations:\n"
		"- create_constraint:\n"
		"    table: orders\n"
		"    name: orders_user_fkey\n"
		"    type: foreign_key\n"
		"    columns:\n"
		"    - user_id\n"
		"    references:\n"
		"      table: users\n"
		"      columns:\n"
		"      - id\n"
		"- create_constraint:\n"
		"    table: orders\n"
		"    name: orders_total_check\n"
		"    type: check\n"
		"    check: total >= 0\n"
		"- sql:\n"
		"    up: ALTER TABLE orders VALIDATE CONSTRAINT orders_other\n",
		CONVERT_REVIEW, WARNINGS(
			{2, 1, "NOT VALID is not kept: create_constraint validates orders_total_check in switch, which fails"},
			{4, 1, "no operation validates a constraint that the file did not add; it stays a sql operation"}));
	fixture_free(&fx);
}

/* USING INDEX, EXCLUDE and DEFERRABLE have no create_constraint: sql operations, each with its warning. */
static void
test_constraints_sql(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;\n"
		"ALTER TABLE users ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);\n"
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) DEFERRABLE;\n",
		"operations:\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx\n"
		"- sql:\n"
		"    up: ALTER TABLE users ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)\n"
		"- sql:\n"
		"    up: ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) DEFERRABLE\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "create_constraint builds its own index CONCURRENTLY and takes no USING INDEX; it stays a sql operation"},
			{2, 1, "create_constraint makes no EXCLUDE constraint; it stays a sql operation"},
			{3, 1, "create_constraint makes no DEFERRABLE constraint; it stays a sql operation"}));
	fixture_free(&fx);
}

/* Renames of columns (warned: the old column goes at contract), tables and constraints; drops of columns, constraints, indexes (IF EXISTS is drop_index's own) and tables (one each); replica identity. */
static void
test_renames_drops(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE accounts RENAME COLUMN name TO full_name;\n"
		"ALTER TABLE users RENAME TO customers;\n"
		"ALTER TABLE customers RENAME CONSTRAINT users_pkey TO customers_pkey;\n"
		"ALTER TABLE customers DROP COLUMN legacy, DROP CONSTRAINT customers_age_check;\n"
		"DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\n"
		"DROP TABLE old_sessions, old_tokens;\n"
		"ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_pkey;\n"
		"ALTER TABLE customers REPLICA IDENTITY FULL;\n",
		"operations:\n"
		"- rename_column:\n"
		"    table: accounts\n"
		"    from: name\n"
		"    to: full_name\n"
		"- rename_table:\n"
		"    from: users\n"
		"    to: customers\n"
		"- rename_constraint:\n"
		"    table: customers\n"
		"    from: users_pkey\n"
		"    to: customers_pkey\n"
		"- drop_column:\n"
		"    table: customers\n"
		"    column: legacy\n"
		"- drop_constraint:\n"
		"    table: customers\n"
		"    name: customers_age_check\n"
		"- drop_index:\n"
		"    name: users_email_idx\n"
		"- drop_table:\n"
		"    name: old_sessions\n"
		"- drop_table:\n"
		"    name: old_tokens\n"
		"- set_replica_identity:\n"
		"    table: customers\n"
		"    identity:\n"
		"      type: index\n"
		"      index: customers_pkey\n"
		"- set_replica_identity:\n"
		"    table: customers\n"
		"    identity:\n"
		"      type: full\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "rename_column makes full_name a second column kept equal to name until contract drops name (its indexes and constraints are built again on full_name)"}));
	fixture_free(&fx);
}

/* CREATE TABLE: identity with options, references (to itself without columns: its primary key), checks, generated columns, defaults, named and unnamed table constraints, EXCLUDE. */
static void
test_create_table(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"CREATE TABLE notes (\n"
		"  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY,\n"
		"  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
		"  parent bigint REFERENCES notes,\n"
		"  body text NOT NULL CHECK (body <> ''),\n"
		"  words int GENERATED ALWAYS AS (length(body)) STORED,\n"
		"  created_at timestamptz NOT NULL DEFAULT now(),\n"
		"  CONSTRAINT notes_user_created UNIQUE (user_id, created_at),\n"
		"  EXCLUDE USING gist (during WITH &&) WHERE (body <> 'x') DEFERRABLE,\n"
		"  during tstzrange\n"
		");\n",
		"operations:\n"
		"- create_table:\n"
		"    name: notes\n"
		"    columns:\n"
		"    - name: id\n"
		"      type: bigint\n"
		"      pk: true\n"
		"      generated:\n"
		"        identity:\n"
		"          user_specified_values: ALWAYS\n"
		"          sequence_options: START WITH 100\n"
		"    - name: user_id\n"
		"      type: bigint\n"
		"      nullable: false\n"
		"      references:\n"
		"        table: users\n"
		"        column: id\n"
		"        on_delete: CASCADE\n"
		"    - name: parent\n"
		"      type: bigint\n"
		"      nullable: true\n"
		"      references:\n"
		"        table: notes\n"
		"        column: id\n"
		"    - name: body\n"
		"      type: text\n"
		"      nullable: false\n"
		"      check: body <> ''\n"
		"    - name: words\n"
		"      type: int\n"
		"      nullable: true\n"
		"      generated:\n"
		"        expression: length(body)\n"
		"    - name: created_at\n"
		"      type: timestamptz\n"
		"      default: now()\n"
		"      nullable: false\n"
		"    - name: during\n"
		"      type: tstzrange\n"
		"      nullable: true\n"
		"    constraints:\n"
		"    - name: notes_user_created\n"
		"      type: unique\n"
		"      columns:\n"
		"      - user_id\n"
		"      - created_at\n"
		"    - type: exclude\n"
		"      exclude:\n"
		"        index_method: gist\n"
		"        elements: during WITH &&\n"
		"        predicate: body <> 'x'\n"
		"      deferrable: true\n",
		CONVERT_OK, NO_WARNINGS);
	fixture_free(&fx);
}

/* Statements no operation does stay as written (a multi-line one as a literal block), with a warning; SET is left out with one; BEGIN and COMMIT silently. */
static void
test_other_statements(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"BEGIN;\n"
		"UPDATE users SET score = 0 WHERE score IS NULL;\n"
		"CREATE FUNCTION f() RETURNS int\n"
		"LANGUAGE sql AS $$ SELECT 1 $$;\n"
		"GRANT SELECT ON users TO app;\n"
		"SET lock_timeout = '5s';\n"
		"COMMIT;\n",
		"operations:\n"
		"- sql:\n"
		"    up: UPDATE users SET score = 0 WHERE score IS NULL\n"
		"- sql:\n"
		"    up: |-\n"
		"      CREATE FUNCTION f() RETURNS int\n"
		"      LANGUAGE sql AS $$ SELECT 1 $$\n"
		"- sql:\n"
		"    up: GRANT SELECT ON users TO app\n",
		CONVERT_REVIEW, WARNINGS(
			{2, 1, "no operation does UPDATE; it stays a sql operation"},
			{3, 1, "no operation does CREATE FUNCTION; it stays a sql operation"},
			{5, 1, "no operation does GRANT SELECT ON; it stays a sql operation"},
			{6, 1, "this SET is left out: pgstep"}));
	/* as written, in expand */
	assert_string_equal(step_at(&fx, PHASE_EXPAND, 1)->sql,
			    "CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS $$ SELECT 1 $$");
	fixture_free(&fx);
}

/* BEGIN and COMMIT around the file go without a word: everything converted, exit 0. */
static void
test_transaction_only(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN bio text;\n"
		"COMMIT;\n",
		"operations:\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: bio\n"
		"      type: text\n"
		"      nullable: true\n",
		CONVERT_OK, NO_WARNINGS);
	fixture_free(&fx);
}

/* Each subcommand of one ALTER TABLE is its own operation, in order; one without an operation becomes ALTER TABLE t <that subcommand>. */
static void
test_subcommands(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE t ADD COLUMN a int, SET (fillfactor = 70),\n"
		"  DROP COLUMN b;\n",
		"operations:\n"
		"- add_column:\n"
		"    table: t\n"
		"    column:\n"
		"      name: a\n"
		"      type: int\n"
		"      nullable: true\n"
		"- sql:\n"
		"    up: ALTER TABLE t SET (fillfactor = 70)\n"
		"- drop_column:\n"
		"    table: t\n"
		"    column: b\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "no operation does ALTER TABLE ... SET; it stays a sql operation"}));
	fixture_free(&fx);
}

/* public is left out with a warning; another schema cannot be left out (the search_path might find another table). */
static void
test_schemas(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE public.users ADD COLUMN bio text;\n"
		"ALTER TABLE audit.log ADD COLUMN bio text;\n"
		"DROP TABLE audit.old;\n",
		"operations:\n"
		"- add_column:\n"
		"    table: users\n"
		"    column:\n"
		"      name: bio\n"
		"      type: text\n"
		"      nullable: true\n"
		"- sql:\n"
		"    up: ALTER TABLE audit.log ADD COLUMN bio text\n"
		"- sql:\n"
		"    up: DROP TABLE audit.old\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "public.users is written users: pgstep"},
			{2, 1, "audit.log is in schema audit, and pgstep's operations name tables without a schema, through the search_path of"},
			{3, 1, "pgstep's operations name tables without a schema, through the search_path of pgstep's connection; it stays a s"}));
	fixture_free(&fx);
}

/* What a YAML reader would take for null, a boolean or a date is quoted; comments inside expressions are left out. */
static void
test_quoting(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE t ADD COLUMN y text DEFAULT NULL,\n"
		"  ADD COLUMN day date DEFAULT '2024-01-01' /* new year */ CHECK (day > '2000-01-01' -- not too old\n"
		"    AND day < '3000-01-01');\n",
		"operations:\n"
		"- add_column:\n"
		"    table: t\n"
		"    column:\n"
		"      name: 'y'\n"
		"      type: text\n"
		"      default: 'NULL'\n"
		"      nullable: true\n"
		"- add_column:\n"
		"    table: t\n"
		"    column:\n"
		"      name: day\n"
		"      type: date\n"
		"      default: \"'2024-01-01'\"\n"
		"      nullable: true\n"
		"      check:\n"
		"        name: t_day_check\n"
		"        constraint: day > '2000-01-01' AND day < '3000-01-01'\n",
		CONVERT_OK, NO_WARNINGS);
	fixture_free(&fx);
}

/* An operation pgstep itself would refuse (two primary keys) is kept as written instead, with pgstep's reason. */
static void
test_refused(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"CREATE TABLE t (id int PRIMARY KEY, other int, PRIMARY KEY (other));\n",
		"operations:\n"
		"- sql:\n"
		"    up: CREATE TABLE t (id int PRIMARY KEY, other int, PRIMARY KEY (other))\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "pgstep would refuse the operation it converts to (t has more than one primary key (pk: true on a column counts"}));
	fixture_free(&fx);
}

/* A rename of a table after operations on it, whose later phases would find a view under the old name, is warned about. */
static void
test_rename_then_alter(void **state)
{
	(void) state;
	/* pgstep refuses such a plan at load: convert says so at the rename */
	expect_failure("ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age > 0);\n"
		       "ALTER TABLE users RENAME TO customers;\n",
		       2, 1, "rename_table renames users in expand, and the operations on it above still name it users in their later phases, when it is a view: put the rename in a second SQL file");
}

/* Positions count characters from the statement's first token, past comments, blank lines and a tab; two statements on one line. */
static void
test_positions(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"/* a migration */\n"
		"BEGIN;\n"
		"\n"
		"    -- the type\n"
		"\tALTER TABLE t ALTER COLUMN c TYPE bigint; UPDATE t SET c = 0;\n",
		"operations:\n"
		"- alter_column:\n"
		"    table: t\n"
		"    column: c\n"
		"    type: bigint\n"
		"    up: c::bigint\n"
		"    down: c::text\n"
		"- sql:\n"
		"    up: UPDATE t SET c = 0\n",
		CONVERT_REVIEW, WARNINGS(
			{5, 2, "down is c::text, a guess (the file does not say the type t.c had): review it"},
			{5, 44, "no operation does UPDATE; it stays a sql operation"}));
	fixture_free(&fx);
}

/* SET NOT NULL and SET DEFAULT right after a type change of the same column go into it: alter_column gives them to the new column. */
static void
test_type_change_folds(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer,\n"
		"  ALTER COLUMN age SET NOT NULL, ALTER COLUMN age SET DEFAULT 0;\n",
		"operations:\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: age\n"
		"    type: integer\n"
		"    up: age::integer\n"
		"    down: age::text\n"
		"    nullable: false\n"
		"    default: '0'\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "down is age::text, a guess (the file does not say the type users.age had): review it"}));
	fixture_free(&fx);
}

/* An operation on a column after its type change runs its expand on the old column, which contract drops: warned about at the operation. */
static void
test_type_change_then_index(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan(
		"ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer;\n"
		"CREATE INDEX users_age_idx ON users (age);\n",
		"operations:\n"
		"- alter_column:\n"
		"    table: users\n"
		"    column: age\n"
		"    type: integer\n"
		"    up: age::integer\n"
		"    down: age::text\n"
		"- create_index:\n"
		"    name: users_age_idx\n"
		"    table: users\n"
		"    columns:\n"
		"    - age\n",
		CONVERT_REVIEW, WARNINGS(
			{1, 1, "down is age::text, a guess (the file does not say the type users.age had): review it"},
			{2, 1, "this operation runs its expand on the old column users.age, which the type change above replaces at switch and"}));
	fixture_free(&fx);
}

/* A primary key added by the same plan is attached at switch: an
 * operation that backfills the table, whose batches walk the key, is
 * warned about. */
static void
test_key_after_backfill(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan("ALTER TABLE events ADD PRIMARY KEY (id);\n"
			 "ALTER TABLE events ALTER COLUMN payload SET NOT NULL;\n",
			 "operations:\n"
			 "- create_constraint:\n"
			 "    table: events\n"
			 "    name: events_pkey\n"
			 "    type: primary_key\n"
			 "    columns:\n"
			 "    - id\n"
			 "- alter_column:\n"
			 "    table: events\n"
			 "    column: payload\n"
			 "    nullable: false\n"
			 "    up: payload\n",
			 CONVERT_REVIEW, WARNINGS({1, 1, "the plan calls it events_pkey"},
						  {2, 1, "up is payload, which leaves NULLs as they are"},
						  {2, 1, "this operation backfills events in batches on its primary key, which the plan's create_constraint only attaches at switch"}));
	fixture_free(&fx);
}

/* A file with CR LF line ends: a plan holds LF only (pgstep refuses a CR,
 * which a terminal would not show), and lines are counted the same. */
static void
test_crlf(void **state)
{
	struct fixture fx;

	(void) state;
	fx = expect_plan("ALTER TABLE t\r\n  ADD COLUMN c int;\r\nUPDATE t\r\nSET c = 1;\r\n",
			 "operations:\n"
			 "- add_column:\n"
			 "    table: t\n"
			 "    column:\n"
			 "      name: c\n"
			 "      type: int\n"
			 "      nullable: true\n"
			 "- sql:\n"
			 "    up: |-\n"
			 "      UPDATE t\n"
			 "      SET c = 1\n",
			 CONVERT_REVIEW, WARNINGS({3, 1, "no operation does UPDATE; it stays a sql operation"}));
	assert_string_equal(step_at(&fx, PHASE_EXPAND, 1)->sql, "UPDATE t\nSET c = 1");
	fixture_free(&fx);
}

/* A file that does not parse: PostgreSQL's message at its line and column,
 * the column in characters (été is 3 characters, 5 bytes), and no plan. */
static void
test_parse_error(void **state)
{
	(void) state;
	expect_failure("ALTER TABLE users ADD COLUMN score integer;;\n"
		       "ALTER TABLE users ADD COLUMN \"\xc3\xa9t\xc3\xa9\" text, ADD COLUMN;\n",
		       2, 52, "syntax error at or near \";\"");
	expect_failure("CREATE INDEX ON users (email);\n"
		       "ALTER TABLE users ALTER COLUMN c SET DEFAULT 'no end;\n",
		       2, 46, "unterminated quoted string");
}

/* Nothing but BEGIN and COMMIT: no plan (a plan needs an operation). */
static void
test_nothing_to_convert(void **state)
{
	(void) state;
	expect_failure("BEGIN;\n-- nothing\nCOMMIT;\n", 0, 0, "no statement to convert");
	expect_failure("", 0, 0, "no statement to convert");
}

/* A file that is not UTF-8 (Latin-1 here) gives no plan: a plan is UTF-8. */
static void
test_not_utf8(void **state)
{
	(void) state;
	expect_failure("ALTER TABLE t ADD COLUMN c text DEFAULT 'caf\xe9';\n", 0, 0, "not UTF-8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_column),
		cmocka_unit_test(test_add_column_constraints),
		cmocka_unit_test(test_add_column_refused),
		cmocka_unit_test(test_alter_type),
		cmocka_unit_test(test_alter_type_known),
		cmocka_unit_test(test_not_null_default),
		cmocka_unit_test(test_create_index),
		cmocka_unit_test(test_create_index_sql),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_not_valid),
		cmocka_unit_test(test_constraints_sql),
		cmocka_unit_test(test_renames_drops),
		cmocka_unit_test(test_create_table),
		cmocka_unit_test(test_other_statements),
		cmocka_unit_test(test_transaction_only),
		cmocka_unit_test(test_subcommands),
		cmocka_unit_test(test_schemas),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rename_then_alter),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_type_change_folds),
		cmocka_unit_test(test_type_change_then_index),
		cmocka_unit_test(test_key_after_backfill),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_nothing_to_convert),
		cmocka_unit_test(test_not_utf8),
	};
	int rc = cmocka_run_group_tests_name("convert", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
