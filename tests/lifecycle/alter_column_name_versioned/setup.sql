CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL DEFAULT 'untitled',
    price integer NOT NULL DEFAULT 0
);
COMMENT ON COLUMN items.label IS 'the label';
INSERT INTO items (label, price) SELECT 'item ' || g, g FROM generate_series(1, 3000) g;
