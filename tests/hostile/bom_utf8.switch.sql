SELECT (SELECT count(*) FROM users WHERE bom = U&'\FEFF') = 2000
