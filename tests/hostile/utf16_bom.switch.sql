SELECT (SELECT count(*) FROM users WHERE "utf16_ü" = 16) = 2000
