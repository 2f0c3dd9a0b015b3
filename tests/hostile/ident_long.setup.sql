CREATE TABLE ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt (id bigint PRIMARY KEY, ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc text NOT NULL);
INSERT INTO ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt SELECT g, g::text FROM generate_series(1, 300) g;
