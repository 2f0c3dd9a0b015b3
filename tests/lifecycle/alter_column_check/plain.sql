UPDATE items SET price = greatest(price, 0) WHERE NOT (price >= 0);
ALTER TABLE items ADD CONSTRAINT items_price_nonnegative CHECK (price >= 0);
