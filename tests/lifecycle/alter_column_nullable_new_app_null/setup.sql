CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    note text NOT NULL DEFAULT ''
);
INSERT INTO items (label, note) SELECT 'item ' || g, 'note ' || g FROM generate_series(1, 3000) g;
