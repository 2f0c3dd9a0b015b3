CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL DEFAULT 0
);
INSERT INTO items (label, price)
SELECT 'item ' || g, g % 1000 FROM generate_series(1, 3000) g;
