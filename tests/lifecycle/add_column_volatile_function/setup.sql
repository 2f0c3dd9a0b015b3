CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
-- A default of the user's, which no list of built-ins knows: a value per row.
CREATE FUNCTION gen_token() RETURNS text LANGUAGE sql VOLATILE
    AS $$ SELECT md5(random()::text || clock_timestamp()::text) $$;
-- Where items is stored before the migration: nothing may rewrite it.
CREATE TABLE items_file AS SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass;
