INSERT INTO items (label, price) VALUES ('new insert', 1);
