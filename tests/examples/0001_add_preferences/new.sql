\set id random(1, 20000)
BEGIN;
INSERT INTO users (name, email, age, preferences) VALUES ('new app', 'new@example.com', '31', '{"new": true}');
INSERT INTO app_log VALUES (1);
COMMIT;
