-- A signup. The application writes `name` while it exists and `full_name`
-- once the rename migration has contracted, as a deployed app would.
\set id random(1, 1000000000)
SELECT (count(*) > 0)::int AS has_name FROM pg_attribute
 WHERE attrelid = 'users'::regclass AND attname = 'name' AND NOT attisdropped \gset
\if :has_name
INSERT INTO users (name, email, age) VALUES ('New user', 'signup' || :id || '@example.com', '33');
\else
INSERT INTO users (full_name, email, age) VALUES ('New user', 'signup' || :id || '@example.com', '33');
\endif
