-- The old application: it knows nothing of salt.
INSERT INTO items (label) VALUES ('old insert'), ('old insert, longer');
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
