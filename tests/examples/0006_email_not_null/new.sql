BEGIN;
INSERT INTO users (name, email, age) VALUES ('new app', 'new@example.com', '31');
INSERT INTO app_log VALUES (1);
COMMIT;
