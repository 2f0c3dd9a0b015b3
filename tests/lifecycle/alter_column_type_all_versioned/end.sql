SELECT count(*) = 3004 FROM users;
SELECT account = 9500 FROM users WHERE name = 'user 300';
SELECT account = 9600 FROM users WHERE name = 'new insert';
SELECT account = 0 FROM users WHERE name = 'new insert, default';
SELECT account = 5000 + id FROM users WHERE name = 'old insert, no account';
-- every constraint holds, through the versioned schema too
SET search_path = public_alter_column_type_all_versioned; SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('null', NULL)$$, '23502');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('negative', -1)$$, '23514');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('taken', 1)$$, '23505');
SELECT pg_temp.refused($$INSERT INTO users (name, account) VALUES ('no such account', 20000)$$, '23503');
RESET search_path; SELECT string_agg(conname, ' ' ORDER BY conname) = 'users_account_fkey users_account_key users_account_nonnegative users_pkey'
  FROM pg_constraint WHERE conrelid = 'public.users'::regclass AND convalidated AND contype <> 'n';
