CREATE EXTENSION pgcrypto;
CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
-- Where items is stored before the migration: nothing may rewrite it.
CREATE TABLE items_file AS SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass;
