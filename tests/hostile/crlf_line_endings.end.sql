SELECT to_regclass('crlf') IS NOT NULL
