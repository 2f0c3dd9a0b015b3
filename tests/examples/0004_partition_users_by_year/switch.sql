SELECT (SELECT relkind FROM pg_class WHERE oid = 'users'::regclass) = 'p'
   AND (SELECT md5(string_agg(u::text, '|' ORDER BY id)) FROM users u)
     = (SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM "_pgstep_users_old" o)
