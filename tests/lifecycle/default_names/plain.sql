ALTER TABLE items ADD COLUMN owner_id bigint CHECK (owner_id > 0) REFERENCES owners (id);
UPDATE items SET price = greatest(price, 0) WHERE NOT (price >= 0);
ALTER TABLE items ADD CHECK (price >= 0);
ALTER TABLE items ADD FOREIGN KEY (buyer_id) REFERENCES owners (id);
ALTER TABLE items ADD UNIQUE (sku);
