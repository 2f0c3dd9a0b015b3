SELECT count(*) = 0 FROM audit;
INSERT INTO items (label) VALUES ('after contract') RETURNING (SELECT true);
SELECT count(*) = 1 FROM audit;
