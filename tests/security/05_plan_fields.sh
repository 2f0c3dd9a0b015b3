#!/bin/sh
# Issue 14, item 5: no plan field reaches SQL unparsed. A type, an
# operator class, its parameters, storage parameters and sequence options
# that smuggle a second statement (or comment out what pgstep writes after
# them) are refused at load with file:line:col, by lint and by run, and
# nothing reaches the database.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 100

expect_refused() { # NAME LINE:COL WORDS
	set +e
	"$PGSTEP" lint "$W/plans/$1.yaml" >"$W/$1.lint" 2>&1
	lrc=$?
	"$PGSTEP" -P "$W/plans" run "$1" >"$W/$1.run" 2>&1
	rrc=$?
	set -e
	[ $lrc -ne 0 ] || { cat "$W/$1.lint"; fail "$1: lint passed"; }
	grep -q "$1.yaml:$2: .*$3" "$W/$1.lint" || { cat "$W/$1.lint"; fail "$1: lint does not say $2: $3"; }
	[ $rrc -ne 0 ] || { cat "$W/$1.run"; fail "$1: run passed"; }
	grep -q "$1.yaml:$2: .*$3" "$W/$1.run" || { cat "$W/$1.run"; fail "$1: run does not say $2: $3"; }
	[ "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'injected'")" = 0 ] || fail "$1: the role was created"
	ok "$1 refused at $2 ($3)"
}

cat >"$W/plans/type.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: x, type: "text; CREATE ROLE injected SUPERUSER; --", nullable: true}
YAML
expect_refused type 4:31 "holds a semicolon"

cat >"$W/plans/type_comment.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column:
        name: x
        type: "int -- "
        default: "0"
YAML
expect_refused type_comment 6:15 "holds a comment"

cat >"$W/plans/alter_type.yaml" <<'YAML'
operations:
  - alter_column:
      table: users
      column: age
      type: "int) , ADD COLUMN y int, ALTER COLUMN age TYPE (int"
      up: age::int
      down: age::text
YAML
expect_refused alter_type 5:13 "closes a parenthesis it did not open"

cat >"$W/plans/opclass.yaml" <<'YAML'
operations:
  - create_index:
      name: users_name_idx
      table: users
      columns:
        - column: name
          opclass: "text_ops); CREATE ROLE injected SUPERUSER; CREATE INDEX x ON users (name"
YAML
expect_refused opclass 7:20 "closes a parenthesis it did not open"

cat >"$W/plans/opclass_params.yaml" <<'YAML'
operations:
  - create_index:
      name: users_name_idx
      table: users
      columns:
        - column: name
          opclass: {name: text_ops, params: "x = 1)); CREATE ROLE injected SUPERUSER; --"}
YAML
expect_refused opclass_params 7:45 "closes a parenthesis it did not open"

cat >"$W/plans/storage.yaml" <<'YAML'
operations:
  - create_index:
      name: users_name_idx
      table: users
      columns: [name]
      storage_parameters: "fillfactor = 70); CREATE ROLE injected SUPERUSER; --"
YAML
expect_refused storage 6:27 "closes a parenthesis it did not open"

cat >"$W/plans/storage_map.yaml" <<'YAML'
operations:
  - create_index:
      name: users_name_idx
      table: users
      columns: [name]
      storage_parameters: {"fillfactor = 70); CREATE ROLE injected SUPERUSER; --": 1}
YAML
expect_refused storage_map 6:27 "closes a parenthesis it did not open"

cat >"$W/plans/sequence.yaml" <<'YAML'
operations:
  - create_table:
      name: things
      columns:
        - name: id
          type: bigint
          pk: true
          generated:
            identity: {user_specified_values: ALWAYS, sequence_options: "START 1); CREATE ROLE injected SUPERUSER; --"}
YAML
expect_refused sequence 9:73 "closes a parenthesis it did not open"

# What these fields are for still loads.
cat >"$W/plans/fine.yaml" <<'YAML'
operations:
  - create_table:
      name: things
      columns:
        - {name: id, type: bigint, pk: true, generated: {identity: {user_specified_values: ALWAYS, sequence_options: "START 100 INCREMENT 10"}}}
        - {name: label, type: "character varying(20)[]", nullable: true}
        - {name: at, type: timestamp with time zone, nullable: true}
  - create_index:
      name: things_label_idx
      table: things
      columns: [{column: label, opclass: {name: array_ops}}]
      storage_parameters: {fillfactor: 70}
YAML
"$PGSTEP" lint "$W/plans/fine.yaml" >"$W/fine.lint" 2>&1 || { cat "$W/fine.lint"; fail "a plan with proper fields does not lint"; }
"$PGSTEP" -P "$W/plans" run fine >"$W/fine.run" 2>&1 || { cat "$W/fine.run"; fail "a plan with proper fields does not run"; }
[ "$(q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'things'::regclass AND attname = 'label'")" = "character varying(20)[]" ] ||
	fail "the type was not kept"
ok "proper types, operator classes and options load and run"
