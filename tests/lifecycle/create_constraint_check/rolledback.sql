-- what up wrote stays; the check is gone with the trigger
SELECT count(*) = 0 FROM items WHERE price < 0;
SELECT price = 0 FROM items WHERE label = 'old insert';
SELECT NOT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('rolled back', -1)$$);
