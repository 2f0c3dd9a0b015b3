-- every row there was has a token of its own, from new_token()
SELECT count(*) = 0 FROM items WHERE token IS NULL;
SELECT count(DISTINCT token) = count(*) FROM items;
-- the old application's row got one too, the new application's is its own
SELECT token IS NOT NULL AND token <> 'mine' FROM items WHERE label = 'old insert';
SELECT token = 'mine' FROM items WHERE label = 'new insert';
