#!/bin/sh
# pgstep convert against a real PostgreSQL: a migration as a DBA writes it
# is applied as it is to one copy of a database, and converted and run
# through contract by pgstep on another copy; both must end with the same
# schema (from the catalog, sorted by name: pgstep's shadow columns come
# last) and the same rows.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL' >/dev/null
CREATE DATABASE base;
\c base
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email text,
    age text
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL
);
INSERT INTO users SELECT g, 'User ' || g, 'user' || g || '@example.com', (18 + g % 60)::text
FROM generate_series(1, 5000) g;
INSERT INTO orders SELECT g, 1 + g % 5000, g % 1000 FROM generate_series(1, 8000) g;
SQL
createdb -T base direct
createdb -T base stepped

cat >"$W/0001_users.sql" <<'SQL'
BEGIN;
-- what a DBA would run by hand
ALTER TABLE users ADD COLUMN score integer DEFAULT 0 NOT NULL;
ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer;
ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users ADD CONSTRAINT users_score_check CHECK (score >= 0);
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
COMMIT;
SQL

psql -X -q -v ON_ERROR_STOP=1 -d direct -f "$W/0001_users.sql" >/dev/null || fail "the migration does not apply as it is"

# Everything a schema holds, sorted by name.
catalog() {
	psql -X -At -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', conrelid::regclass::text,
       -- PostgreSQL 18's own name of a NOT NULL (TABLE_COLUMN_not_null): a
       -- plain RENAME COLUMN keeps it, a column made anew takes its new name
       CASE WHEN contype = 'n' AND conname ~ '_not_null[0-9]*$' AND strpos(conname, '_pgstep_') = 0
                 AND left(conname, length(conrelid::regclass::text) + 1) = conrelid::regclass::text || '_'
            THEN '(a NOT NULL of PostgreSQL''s naming)' ELSE conname END,
       pg_get_constraintdef(oid), convalidated, ''
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index', indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid), indisvalid, ''
  FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
UNION ALL
SELECT 'relation', relname, relkind::text, 'replica identity ' || relreplident::text, true, ''
  FROM pg_class WHERE relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'trigger', tgrelid::regclass::text, tgname, '', true, '' FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'function', proname, '', '', true, '' FROM pg_proc WHERE pronamespace = 'public'::regnamespace
ORDER BY 1, 2, 3, 4
SQL
}
# Each table's row count and rows, columns in name order, in key order.
# A psql that fails in the list of tables fails here: in a for list it
# would go unnoticed, and two empty lists compare equal.
rows() {
	_tables=$(psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1") ||
		fail "psql could not list the tables of $1"
	[ -n "$_tables" ] || fail "database $1 has no table"
	for t in $_tables; do
		cols=$(psql -X -At -d "$1" -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attname) FROM pg_attribute WHERE attrelid = '$t'::regclass AND attnum > 0 AND NOT attisdropped")
		psql -X -At -d "$1" -c "SELECT '$t', count(*), md5(string_agg(row($cols)::text, '|' ORDER BY id)) FROM $t"
	done
}
# compare PATTERN...: both databases hold the same schema (which has each
# PATTERN) and the same rows.
compare() {
	catalog direct >"$W/catalog.direct"
	catalog stepped >"$W/catalog.stepped"
	for want in "$@"; do
		grep -q "$want" "$W/catalog.direct" || fail "the catalog query does not see $want"
	done
	same_file "$W/catalog.direct" "$W/catalog.stepped" "the schemas differ"
	rows direct >"$W/rows.direct"
	rows stepped >"$W/rows.stepped"
	same_file "$W/rows.direct" "$W/rows.stepped" "the rows differ"
}

# Warnings (the type change's down, SET NOT NULL's up, the rename) make it 1.
rc=0
"$PGSTEP" convert -o "$W/plans/0001_users.yaml" "$W/0001_users.sql" 2>"$W/convert.err" || rc=$?
[ "$rc" = 1 ] || { cat "$W/convert.err"; fail "convert exited with $rc, not 1"; }
grep -q '0001_users.sql:4:1: warning: down is age::text' "$W/convert.err" ||
	{ cat "$W/convert.err"; fail "no warning to review down at the type change's line"; }
[ "$(grep -c '^- ' "$W/plans/0001_users.yaml")" = 7 ] ||
	{ cat "$W/plans/0001_users.yaml"; fail "not one operation per statement"; }
ok "converted: 7 operations, the type change's down to review"

"$PGSTEP" -d dbname=stepped -P "$W/plans" show 0001_users >"$W/show.out" || fail "pgstep show refuses the plan"
"$PGSTEP" -d dbname=stepped -P "$W/plans" run 0001_users --to contract >"$W/run.out" 2>&1 ||
	{ tail -n 30 "$W/run.out"; fail "pgstep run --to contract failed"; }
ok "the plan ran through contract"

compare '^column|users|age|integer|f|' '^column|users|full_name|text|t|' '^index|users|users_email_idx|'
ok "the same schema and rows as the migration applied as it is: $(wc -l <"$W/catalog.direct") catalog entries, $(tr '\n' ' ' <"$W/rows.direct")"

# A second migration, after the first: a new table with its constraints
# named by PostgreSQL, unnamed constraints on a table in use, drops.
cat >"$W/0002_notes.sql" <<'SQL'
CREATE TABLE notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, created_at)
);
ALTER TABLE orders ADD CHECK (total >= 0), ADD UNIQUE (id, user_id) INCLUDE (total);
ALTER TABLE users ALTER COLUMN score DROP DEFAULT, DROP COLUMN age;
ALTER TABLE users RENAME CONSTRAINT users_score_check TO users_score_nonnegative;
ALTER TABLE orders REPLICA IDENTITY FULL;
DROP INDEX users_email_idx;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d direct -f "$W/0002_notes.sql" >/dev/null || fail "the second migration does not apply as it is"
rc=0
"$PGSTEP" convert -o "$W/plans/0002_notes.yaml" "$W/0002_notes.sql" 2>"$W/convert2.err" || rc=$?
[ "$rc" = 1 ] || { cat "$W/convert2.err"; fail "convert of the second migration exited with $rc, not 1 (unnamed constraints)"; }
grep -q "0002_notes.sql:8:1: warning: the constraint has no name: the plan calls it orders_id_user_id_total_key" "$W/convert2.err" ||
	{ cat "$W/convert2.err"; fail "no warning naming the unnamed unique constraint as PostgreSQL does"; }
"$PGSTEP" -d dbname=stepped -P "$W/plans" run 0002_notes --to contract >"$W/run2.out" 2>&1 ||
	{ tail -n 30 "$W/run2.out"; fail "pgstep run of the second migration failed"; }
ok "the second migration converted and ran through contract"

compare '^constraint|orders|orders_id_user_id_total_key|' '^column|notes|body|text|t|' '^relation|orders|r|replica identity f|'
ok "the same again after the second: $(wc -l <"$W/catalog.direct") catalog entries"
