\set id random(1, 20000)
BEGIN;
UPDATE users SET full_name = 'renamed by new ' || :id WHERE id = :id;
INSERT INTO users (full_name, email, age) VALUES ('new app', 'new@example.com', '31');
INSERT INTO app_log VALUES (1);
COMMIT;
