CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL,
    discount integer          -- NULL: no discount
);
INSERT INTO items (label, price, discount)
SELECT 'item ' || g, g, CASE WHEN g % 3 = 0 THEN NULL ELSE g / 2 END FROM generate_series(1, 3000) g;
