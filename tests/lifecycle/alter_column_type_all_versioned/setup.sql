CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO accounts (id, name) SELECT g, 'account ' || g FROM generate_series(0, 10000) g;
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    account integer
);
COMMENT ON COLUMN users.account IS 'the account id';
INSERT INTO users (name, account)
SELECT 'user ' || g, CASE WHEN g % 17 = 0 THEN NULL ELSE g END FROM generate_series(1, 3000) g;
