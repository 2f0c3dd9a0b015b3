\set id random(1, 20000)
BEGIN;
UPDATE users SET age = 70 + :id % 10 WHERE id = :id;
INSERT INTO users (name, email, age) VALUES ('new app', 'new@example.com', 31);
INSERT INTO app_log VALUES (1);
COMMIT;
