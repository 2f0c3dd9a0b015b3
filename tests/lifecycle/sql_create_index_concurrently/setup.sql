CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
