CREATE TABLE "user" (id bigint PRIMARY KEY, "from" integer NOT NULL, "group" text, "order" int);
INSERT INTO "user" SELECT g, g, 'g', g FROM generate_series(1, 400) g;
CREATE TABLE "table" ("column" bigint PRIMARY KEY, "where" text);
INSERT INTO "table" SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'w' END FROM generate_series(1, 400) g;
CREATE TABLE "order" ("limit" bigint PRIMARY KEY, "when" date NOT NULL, "end" text);
INSERT INTO "order" SELECT g, date '2019-01-01' + g, 'e' FROM generate_series(1, 600) g;
