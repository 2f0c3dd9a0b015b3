-- the shadow column: the new type, comment and default; no constraint before switch
SELECT format_type(atttypid, atttypmod) = 'bigint' AND NOT attnotnull AND atthasdef
       AND col_description(attrelid, attnum) = 'the user''s account, one each'
  FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = '_pgstep_users_account_new';
SELECT NOT EXISTS (SELECT FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                    WHERE c.conrelid = 'public.users'::regclass AND a.attname = '_pgstep_users_account_new');
-- the old column as it was
SELECT format_type(atttypid, atttypmod) = 'integer' AND NOT attnotnull AND col_description(attrelid, attnum) = 'the account id'
  FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'account';
-- the view as the new application sees it
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, name text, account bigint'
  FROM pg_attribute WHERE attrelid = 'public_alter_column_type_all_versioned.users'::regclass AND attnum > 0;
-- every row converted; users without an account got their own
SELECT count(*) = 3004 FROM public.users t JOIN public_alter_column_type_all_versioned.users v USING (id)
 WHERE v.account = coalesce(t.account, 5000 + t.id);
SELECT account = 9001 FROM public_alter_column_type_all_versioned.users WHERE name = 'old insert';
SELECT account = 5000 + id FROM public_alter_column_type_all_versioned.users WHERE name = 'old insert, no account';
-- the new application's writes, in the old column
SELECT account = 9500 FROM public.users WHERE name = 'user 300';
SELECT account = 9600 FROM public.users WHERE name = 'new insert';
SELECT account = 0 FROM public.users WHERE name = 'new insert, default';
