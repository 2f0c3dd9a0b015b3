DROP INDEX items_label_idx;
