SELECT (SELECT count(*) FROM pg_attribute WHERE attrelid IN ('audit_a'::regclass, 'audit_b'::regclass)
        AND attnum > 0) = 6
   AND col_description('audit_c'::regclass, 2) = 'shared'
   AND (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name')
       = 'character varying(200)'
   AND (SELECT count(*) FROM users WHERE name = 'User ' || id) = 2000
