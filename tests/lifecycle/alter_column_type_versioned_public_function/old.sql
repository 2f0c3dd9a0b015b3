INSERT INTO items (label, price) VALUES ('old insert', 1999);
