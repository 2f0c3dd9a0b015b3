SELECT col_description('items'::regclass, 2) = 'what the customer sees';
SELECT col_description('items'::regclass, 3) = 'in cents';
SELECT count(*) = 3002 FROM items;
