CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL CHECK (price < 10000000)
);
INSERT INTO items (label, price)
SELECT 'item ' || g, CASE WHEN g % 11 = 0 THEN -g ELSE g * 7 END FROM generate_series(1, 3000) g;
