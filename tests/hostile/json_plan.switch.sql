SELECT (SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'from_json'::regclass) = '''{"a": [1, 2]}''::jsonb'
   AND (SELECT count(*) FROM users WHERE score = id % 10) = 2000
   AND (SELECT indexdef FROM pg_indexes WHERE indexname = 'users_score_idx') LIKE '%(score DESC)'
