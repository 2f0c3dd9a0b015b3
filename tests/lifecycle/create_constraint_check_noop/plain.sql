ALTER TABLE items ADD CONSTRAINT items_discount_within_price CHECK (discount <= price) NO INHERIT;
