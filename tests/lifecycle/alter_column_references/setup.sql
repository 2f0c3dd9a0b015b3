CREATE TABLE owners (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO owners SELECT g, 'owner ' || g FROM generate_series(1, 100) g;
CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    owner_id bigint
);
INSERT INTO items (label, owner_id)
SELECT 'item ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % 100 END FROM generate_series(1, 3000) g;
