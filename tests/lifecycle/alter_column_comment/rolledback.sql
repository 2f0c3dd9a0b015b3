SELECT col_description('items'::regclass, 2) = 'the label';
SELECT col_description('items'::regclass, 3) IS NULL;
