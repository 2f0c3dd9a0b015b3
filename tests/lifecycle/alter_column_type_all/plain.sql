ALTER TABLE users ALTER COLUMN account TYPE bigint USING coalesce(account, 5000 + id)::bigint;
ALTER TABLE users ALTER COLUMN account SET NOT NULL;
ALTER TABLE users ALTER COLUMN account SET DEFAULT 0;
COMMENT ON COLUMN users.account IS 'the user''s account, one each';
ALTER TABLE users ADD CONSTRAINT users_account_nonnegative CHECK (account >= 0);
ALTER TABLE users ADD UNIQUE (account);
ALTER TABLE users ADD FOREIGN KEY (account) REFERENCES accounts (id);
