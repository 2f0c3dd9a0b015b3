UPDATE items SET price = 0 WHERE price < 0;
ALTER TABLE items ADD CONSTRAINT items_price_nonnegative CHECK (price >= 0);
