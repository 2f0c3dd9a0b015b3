CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO items (label)
SELECT 'item ' || g FROM generate_series(1, 3000) g;
-- A function of the user's, VOLATILE: a column default that calls it is
-- evaluated for every row, so ADD COLUMN ... DEFAULT new_token() rewrites
-- the table under ACCESS EXCLUSIVE (issue 15).
CREATE FUNCTION new_token() RETURNS text
LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text || clock_timestamp()::text) $$;
