ALTER TABLE items DROP CONSTRAINT items_price_positive;
