-- The old application knows rooms only.
INSERT INTO rooms (name) VALUES ('old insert');
UPDATE rooms SET name = 'old update ' || id WHERE id BETWEEN 101 AND 110;
