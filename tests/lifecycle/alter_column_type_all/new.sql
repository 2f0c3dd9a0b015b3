-- The new application writes the shadow column (no versioned schema: it
-- is the column of the new type until switch).
UPDATE users SET _pgstep_users_account_new = 9500 WHERE name = 'user 300';
