-- The new application, through the view, leaves price to its default.
INSERT INTO items (label) VALUES ('new insert, default');
