SELECT legacy_code = 'LC-' || id FROM items WHERE label = 'new insert';
