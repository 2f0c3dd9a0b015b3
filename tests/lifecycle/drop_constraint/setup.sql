CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL CONSTRAINT items_price_positive CHECK (price > 0),
    qty integer NOT NULL DEFAULT 1 CHECK (qty >= 0)
);
INSERT INTO items (label, price) SELECT 'item ' || g, g FROM generate_series(1, 3000) g;
