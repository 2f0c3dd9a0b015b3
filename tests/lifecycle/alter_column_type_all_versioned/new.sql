-- The new application writes through public_alter_column_type_all_versioned.users,
-- where account is the bigint column, with its default.
UPDATE users SET account = 9500 WHERE name = 'user 300';
INSERT INTO users (name, account) VALUES ('new insert', 9600);
INSERT INTO users (name) VALUES ('new insert, default');
