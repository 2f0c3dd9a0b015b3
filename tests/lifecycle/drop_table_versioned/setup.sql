CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
CREATE TABLE legacy_prices (
    item_id bigint PRIMARY KEY REFERENCES items (id),
    price integer NOT NULL
);
INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 3000) g;
INSERT INTO legacy_prices SELECT g, g * 3 FROM generate_series(1, 3000, 2) g;
