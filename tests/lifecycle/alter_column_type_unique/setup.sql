CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    code integer NOT NULL
);
CREATE INDEX items_code_idx ON items (code);
COMMENT ON COLUMN items.code IS 'the item''s code';
INSERT INTO items (label, code) SELECT 'item ' || g, g * 3 FROM generate_series(1, 3000) g;
