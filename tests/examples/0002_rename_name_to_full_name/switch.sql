SELECT count(*) FILTER (WHERE name IS DISTINCT FROM full_name) = 0 AND count(*) FILTER (WHERE full_name IS NULL) = 0
FROM users
