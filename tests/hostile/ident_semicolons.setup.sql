CREATE TABLE "users; DROP TABLE users; --" (id bigint PRIMARY KEY, "n /* */ -- " text NOT NULL);
INSERT INTO "users; DROP TABLE users; --" SELECT g, repeat('n', g % 7 + 1) FROM generate_series(1, 300) g;
