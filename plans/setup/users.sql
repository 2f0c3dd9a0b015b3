-- The starting schema of the example plans and of script/demo: the users
-- table of the article pgstep follows, and the legacy preferences table
-- the first plan reads from. Deterministic data, so two loads compare equal.
-- psql -v rows=2400000 -f plans/setup/users.sql
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 10000
\endif

CREATE TABLE users (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    email text,
    age text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_preferences_legacy (
    user_id bigint PRIMARY KEY,
    theme text NOT NULL,
    language text NOT NULL,
    newsletter boolean NOT NULL
);

-- Load first, index after: a few seconds for millions of rows.
ALTER TABLE users DROP CONSTRAINT users_pkey;
INSERT INTO users (id, name, email, age, created_at)
SELECT g,
       'User ' || g,
       CASE WHEN g % 101 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,  -- some emails missing
       CASE WHEN g % 97 = 0 THEN 'unknown'     -- not every age is a number
            WHEN g % 89 = 0 THEN NULL
            ELSE (18 + g % 60)::text END,
       timestamptz '2019-01-01 00:00:00+00' + (g % 2555) * interval '1 day' + (g % 86400) * interval '1 second'
FROM generate_series(1, :rows) g;
ALTER TABLE users ADD PRIMARY KEY (id);
SELECT setval('users_id_seq', :rows) AS last_user_id \gset

INSERT INTO user_preferences_legacy (user_id, theme, language, newsletter)
SELECT g,
       (ARRAY['light', 'dark', 'system'])[1 + g % 3],
       (ARRAY['en', 'de', 'fr', 'es', 'ja'])[1 + g % 5],
       g % 4 = 0
FROM generate_series(1, :rows, 3) g;

-- The expression the first example plan's `up` calls.
CREATE FUNCTION build_json_from_legacy(uid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT jsonb_build_object('theme', theme, 'language', language, 'newsletter', newsletter)
                     FROM user_preferences_legacy WHERE user_id = uid), '{}'::jsonb)
$$;

ANALYZE users;
ANALYZE user_preferences_legacy;
