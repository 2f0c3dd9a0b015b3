CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    legacy text
);
INSERT INTO items (label, legacy) SELECT 'item ' || g, 'legacy ' || g FROM generate_series(1, 3000) g;
