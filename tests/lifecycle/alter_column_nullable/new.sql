-- The new application, here, writes notes; a NULL from it breaks the
-- rollback (alter_column_nullable_new_app_null).
INSERT INTO items (label, note) VALUES ('new insert', 'new note');
UPDATE items SET note = 'new update' WHERE id BETWEEN 201 AND 205;
