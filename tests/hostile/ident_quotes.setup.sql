CREATE TABLE "o""ld" ("i""d" bigint PRIMARY KEY, "na""me" text);
INSERT INTO "o""ld" SELECT g, 'name ' || g FROM generate_series(1, 500) g;
