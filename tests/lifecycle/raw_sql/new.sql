INSERT INTO items (label, label_len) VALUES ('new insert', 10);
