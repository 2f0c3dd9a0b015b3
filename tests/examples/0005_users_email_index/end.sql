SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass
