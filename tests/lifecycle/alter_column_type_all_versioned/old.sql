-- The old application writes integers, and NULL for a user without an
-- account yet.
INSERT INTO users (name, account) VALUES ('old insert', 9001), ('old insert, no account', NULL);
UPDATE users SET account = NULL WHERE id BETWEEN 101 AND 103;
UPDATE users SET account = 8000 + id WHERE id BETWEEN 104 AND 106;
