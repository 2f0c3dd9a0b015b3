CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    number serial NOT NULL
);
COMMENT ON COLUMN items.number IS 'the catalogue number';
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
