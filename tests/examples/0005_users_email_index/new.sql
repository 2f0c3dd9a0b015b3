\set id random(1, 20000)
BEGIN;
UPDATE users SET email = 'changed' || :id || '@example.com' WHERE id = :id;
INSERT INTO users (name, email, age) VALUES ('old app', 'old@example.com', '30');
INSERT INTO app_log VALUES (1);
COMMIT;
