ALTER TABLE items RENAME COLUMN number TO item_no;
