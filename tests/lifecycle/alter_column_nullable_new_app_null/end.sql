SELECT count(*) = 3003 FROM items;
