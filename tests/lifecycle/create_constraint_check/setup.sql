CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL
);
-- every 11th price is negative: 272 rows that break the check
INSERT INTO items (label, price)
SELECT 'item ' || g, CASE WHEN g % 11 = 0 THEN -g ELSE g END FROM generate_series(1, 3000) g;
