-- The new application writes item_no.
INSERT INTO items (label, item_no) VALUES ('new insert, given', 200001);
INSERT INTO items (label) VALUES ('new insert, sequence');
UPDATE items SET item_no = item_no + 700000 WHERE id BETWEEN 201 AND 205;
