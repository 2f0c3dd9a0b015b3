-- an exclusion with = on a bigint needs btree_gist's operator classes; in
-- public, so that both databases describe its functions alike
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO rooms (name) SELECT 'room ' || g FROM generate_series(1, 3000) g;
