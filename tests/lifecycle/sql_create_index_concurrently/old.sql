INSERT INTO items (label) VALUES ('old insert');
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
