CREATE TABLE owners (
    id bigint PRIMARY KEY
);
INSERT INTO owners SELECT g FROM generate_series(1, 100) g;
CREATE TABLE items (
    id bigserial PRIMARY KEY,
    price integer NOT NULL,
    buyer_id bigint,
    sku text
);
INSERT INTO items (price, buyer_id, sku)
SELECT CASE WHEN g % 11 = 0 THEN -1 ELSE g END, 1 + g % 100, 'SKU-' || g FROM generate_series(1, 3000) g;
