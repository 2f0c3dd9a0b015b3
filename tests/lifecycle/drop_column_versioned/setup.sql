CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    legacy_code text NOT NULL
);
INSERT INTO items (label, legacy_code) SELECT 'item ' || g, 'LC-' || g FROM generate_series(1, 3000) g;
