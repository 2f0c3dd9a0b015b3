SELECT count(*) = 3002 FROM users;
SELECT account = 9500 FROM users WHERE name = 'user 300';
SELECT account = 9001 FROM users WHERE name = 'old insert';
SELECT account = 5000 + id FROM users WHERE name = 'old insert, no account';
SELECT count(*) = 178 FROM users WHERE account > 5000 AND account <= 8000;
-- every constraint holds
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('null', NULL)$$, '23502');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('negative', -1)$$, '23514');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('taken', 1)$$, '23505');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('no such account', 20000)$$, '23503');
-- the default
INSERT INTO users (name) VALUES ('after contract') RETURNING account = 0;
-- every constraint but PostgreSQL 18's NOT NULL ones (describe.sql compares those)
SELECT string_agg(conname, ' ' ORDER BY conname) = 'users_account_fkey users_account_key users_account_nonnegative users_pkey'
  FROM pg_constraint WHERE conrelid = 'users'::regclass AND convalidated AND contype <> 'n';
