-- the shadow column: the new type and comment; nothing else before switch
SELECT format_type(atttypid, atttypmod) = 'bigint' AND NOT attnotnull AND NOT atthasdef
       AND col_description(attrelid, attnum) = 'the user''s account, one each'
  FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = '_pgstep_users_account_new';
SELECT NOT EXISTS (SELECT FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                    WHERE c.conrelid = 'users'::regclass AND a.attname = '_pgstep_users_account_new');
SELECT NOT EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                    WHERE i.indrelid = 'users'::regclass AND a.attname = '_pgstep_users_account_new');
-- the old column as it was
SELECT format_type(atttypid, atttypmod) = 'integer' AND NOT attnotnull AND col_description(attrelid, attnum) = 'the account id'
  FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'account';
-- every row converted; users without an account got their own
SELECT count(*) = 0 FROM users WHERE _pgstep_users_account_new IS NULL;
SELECT count(*) = 0 FROM users WHERE account IS NOT NULL AND _pgstep_users_account_new <> account;
SELECT count(*) = 0 FROM users WHERE account IS NULL AND _pgstep_users_account_new <> 5000 + id;
SELECT _pgstep_users_account_new = 9001 FROM users WHERE name = 'old insert';
SELECT _pgstep_users_account_new = 5000 + id FROM users WHERE name = 'old insert, no account';
SELECT count(*) = 3 FROM users WHERE id BETWEEN 101 AND 103 AND _pgstep_users_account_new = 5000 + id;
SELECT count(*) = 3 FROM users WHERE id BETWEEN 104 AND 106 AND _pgstep_users_account_new = 8000 + id;
-- the new application's write, back in the old column
SELECT account = 9500 FROM users WHERE name = 'user 300';
