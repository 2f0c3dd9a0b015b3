CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    status text NOT NULL DEFAULT 'new',
    currency text DEFAULT 'EUR'
);
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
