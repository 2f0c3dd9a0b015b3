-- No trigger in raw_sql: the old application leaves label_len NULL.
INSERT INTO items (label) VALUES ('old insert');
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
