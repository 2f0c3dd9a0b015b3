\set id random(1, 20000)
BEGIN;
UPDATE users SET email = NULL WHERE id = :id AND :id % 7 = 0;
INSERT INTO users (name, email, age) VALUES ('old app', NULL, '30');
INSERT INTO app_log VALUES (1);
COMMIT;
