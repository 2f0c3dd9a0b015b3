/* The ? screen, generated from the key table and the `:` commands, so
 * it cannot disagree with what the keys do. */
#include "config.h"

#include <stdio.h>

#include "ui.h"

void
help_open(struct ui *ui)
{
	bool any_writes = false;
	struct key_context kc;
	const struct mig_row *m = ui_selected_mig(ui);

	ui_key_context(ui, &kc);

	ui_view_clear(ui);
	snprintf(ui->view_title, sizeof(ui->view_title), "pgstep help");
	ui_view_add(ui, "Keys");
	for (size_t i = 0; i < n_key_table; i++) {
		const struct key_info *ki = &key_table[i];
		char keys[64];

		keys_display(ki->act, keys, sizeof(keys));
		ui_view_add(ui, "  %-16s %s%s", keys, ki->help, (ki->when & W_WRITES) ? " *" : "");
		if (keys_applies(ki->act, &kc) && keys_unavailable(ki->act, &kc) && m)
			ui_view_add(ui, "  %-16s unavailable now: %s", "", m->undo_refused);
		any_writes = any_writes || (ki->when & W_WRITES);
	}
	if (any_writes)
		ui_view_add(ui, "  * refused when another operator holds the migration (read-only)");
	ui_view_add(ui, "%s", "");
	ui_view_add(ui, "Commands (: opens the command line; Tab completes, Up recalls, history in ~/.pgstep_history)");
	commands_help(ui);
	ui_view_add(ui, "%s", "");
	ui_view_add(ui, "Phases: expand -> backfill -> switch -> contract. Every phase can be rolled back");
	ui_view_add(ui, "until contract, which drops the old data and asks for the migration's name.");
	ui->mode = M_HELP;
}
