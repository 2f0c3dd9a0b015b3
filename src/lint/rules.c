/* lint's rules: each one's name, severity, reason and safe alternative. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

const struct lint_rule lint_rules[] = {
	{"create-index-not-concurrently", LINT_WARNING, true,
	 "CREATE INDEX without CONCURRENTLY holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits",
	 "CREATE INDEX CONCURRENTLY, alone in a step outside a transaction: the create_index operation"},
	{"drop-index-not-concurrently", LINT_WARNING, true,
	 "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: it queues behind running queries and every later query queues behind it",
	 "DROP INDEX CONCURRENTLY, alone in a step outside a transaction: the drop_index operation"},
	{"reindex-not-concurrently", LINT_WARNING, true,
	 "REINDEX without CONCURRENTLY blocks writes to the table, and reads that would use the index, for the whole rebuild",
	 "REINDEX ... CONCURRENTLY, alone in a step outside a transaction"},
	{"no-transaction-block", LINT_ERROR, true,
	 "CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM (and CREATE DATABASE, ALTER SYSTEM...) cannot run inside a transaction block: a step that runs one inside a transaction, in a DO block, or with other statements (an implicit one), fails every time",
	 "the statement alone in its step, which then runs outside a transaction: the create_index and drop_index operations, or a sql operation (or raw_sql phase) that holds only it"},
	{"add-column-volatile-default", LINT_WARNING, true,
	 "ADD COLUMN with a volatile default (clock_timestamp(), random(), gen_random_uuid(), pgcrypto's gen_random_bytes(), nextval(), a serial type; a function pgstep does not know counts as volatile) gives every row its own value: the table is rewritten under an ACCESS EXCLUSIVE lock",
	 "add the column without the default, fill it in batches, then SET DEFAULT: add_column does this by itself"},
	{"add-column-generated", LINT_WARNING, true,
	 "ADD COLUMN of a stored generated or an identity column computes a value for every row: the table is rewritten under an ACCESS EXCLUSIVE lock",
	 "a plain column filled by a trigger and a batched backfill (add_column with up), its default or sequence set afterwards"},
	{"alter-column-type", LINT_WARNING, true,
	 "ALTER COLUMN TYPE rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless the change is binary-coercible (varchar(n) to a longer varchar or to text, numeric(p,s) to a larger precision at the same scale)",
	 "alter_column with type, up and down: a shadow column, a sync trigger, a batched backfill and a rename swap"},
	{"set-not-null-without-check", LINT_WARNING, true,
	 "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a valid CHECK (col IS NOT NULL) already proves it",
	 "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later step, then SET NOT NULL: alter_column with nullable: false"},
	{"constraint-without-not-valid", LINT_WARNING, true,
	 "ADD CONSTRAINT CHECK or FOREIGN KEY without NOT VALID checks every row while holding a lock that blocks writes (ACCESS EXCLUSIVE for a check, SHARE ROW EXCLUSIVE on both tables for a foreign key)",
	 "ADD CONSTRAINT ... NOT VALID (instant), then VALIDATE CONSTRAINT in a later step, which lets writes go on"},
	{"validate-in-same-step", LINT_WARNING, true,
	 "NOT VALID and VALIDATE CONSTRAINT in the same step run in one transaction: the lock ADD CONSTRAINT took is held while VALIDATE scans the table, as if NOT VALID had not been written",
	 "VALIDATE CONSTRAINT in a later step (pgstep's operations validate in switch)"},
	{"unique-without-index", LINT_WARNING, true,
	 "ADD UNIQUE or PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build",
	 "CREATE UNIQUE INDEX CONCURRENTLY in a step of its own, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX"},
	{"rename-before-contract", LINT_WARNING, true,
	 "a table or column renamed in expand or switch breaks the application still running, which uses the old name (a rename whose old name the same step gives back, as pgstep's swaps do, and a rename of what the plan itself created, are fine)",
	 "rename_table (a view keeps the old name working) or rename_column (a column kept in sync), which retire the old name in contract"},
	{"drop-before-contract", LINT_WARNING, true,
	 "DROP TABLE or DROP COLUMN before contract destroys what the running application still reads, and no rollback can give it back",
	 "drop_table or drop_column, which drop in contract once the application has moved"},
	{"vacuum-full", LINT_WARNING, true,
	 "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: reads and writes wait until it finishes",
	 "plain VACUUM, or pg_repack or pg_squeeze to give space back online"},
	{"cluster", LINT_WARNING, true,
	 "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock: reads and writes wait until it finishes",
	 "pg_repack --order-by, which reorders the table online"},
	{"multiple-ddl-in-step", LINT_WARNING, true,
	 "several DDL statements in one step run in one transaction: each lock is held while the next is waited for, so the locks add up (a multi step, one of pgstep's atomic swaps, may lock a single existing table several times)",
	 "one DDL statement per step: several operations (pgstep runs each step in its own short transaction under lock_timeout)"},
	{"prefer-jsonb", LINT_WARNING, true,
	 "a json column keeps the text as written: no equality operator, no GIN index, every read parses it again",
	 "jsonb"},
	{"identifier-too-long", LINT_WARNING, true,
	 "PostgreSQL truncates identifiers longer than 63 bytes without an error: the object gets another name than the one written, and two long names can collide",
	 "a name of at most 63 bytes"},
	{"syntax-error", LINT_ERROR, false,
	 "a statement does not parse with PostgreSQL 15's grammar",
	 "correct the SQL (pgstep show prints every statement as it runs)"},
	{"invalid-plan", LINT_ERROR, false,
	 "the plan does not load, and pgstep show, step and run refuse it",
	 NULL},
	{NULL, 0, false, NULL, NULL}
};

const struct lint_rule *
lint_rule_find(const char *name)
{
	for (const struct lint_rule *r = lint_rules; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

void
lint_list_rules(FILE *out)
{
	for (const struct lint_rule *r = lint_rules; r->name; r++) {
		fprintf(out, "%s (%s%s)\n", r->name, r->severity == LINT_ERROR ? "error" : "warning",
			r->silenceable ? "" : ", cannot be silenced");
		fprintf(out, "    %s\n", r->reason);
		if (r->alternative)
			fprintf(out, "    safe alternative: %s\n", r->alternative);
	}
}

