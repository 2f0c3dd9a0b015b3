SELECT count(*) = 3002 FROM items;
