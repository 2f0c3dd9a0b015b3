-- the new application's writes are in the old column
SELECT account = 9500 FROM users WHERE name = 'user 300';
SELECT account = 9600 FROM users WHERE name = 'new insert';
SELECT account = 0 FROM users WHERE name = 'new insert, default';
