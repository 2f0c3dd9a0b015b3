CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer
);
COMMENT ON COLUMN items.price IS 'price in cents';
INSERT INTO items (label, price)
SELECT 'item ' || g, CASE WHEN g % 13 = 0 THEN NULL ELSE g * 7 END FROM generate_series(1, 3000) g;
