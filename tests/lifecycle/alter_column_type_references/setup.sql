CREATE TABLE owners (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO owners (id, name) SELECT g, 'owner ' || g FROM generate_series(1, 100) g;
CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    owner integer
);
INSERT INTO items (label, owner)
SELECT 'item ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE g % 100 + 1 END FROM generate_series(1, 3000) g;
