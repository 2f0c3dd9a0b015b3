SELECT format_type(atttypid, atttypmod) = 'integer'
   AND (SELECT count(*) FROM users
        WHERE age IS DISTINCT FROM CASE WHEN "_pgstep_users_age_old" ~ '^[0-9]+$' THEN "_pgstep_users_age_old"::integer END) = 0
   AND (SELECT count(*) FROM users WHERE age IS NOT NULL AND "_pgstep_users_age_old" IS DISTINCT FROM age::text) = 0
FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'age'
