INSERT INTO items (label, price) VALUES ('old insert', 5);
