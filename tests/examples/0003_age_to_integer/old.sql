\set id random(1, 20000)
BEGIN;
UPDATE users SET age = (20 + :id % 50)::text WHERE id = :id;
INSERT INTO users (name, email, age) VALUES ('old app', 'old@example.com', '30');
INSERT INTO app_log VALUES (1);
COMMIT;
