/* The key table and the lookups built on it; nothing here needs a
 * terminal, so tests and --list-keys can use it. */
#include "config.h"

#include <string.h>

#include "keys.h"

const struct key_info key_table[] = {
#define X(id, name, k1, k2, k3, when, footer, help) \
	{ACT_##id, name, {k1, k2, k3}, when, footer, help},
	KEY_ACTIONS(X)
#undef X
};

const size_t n_key_table = sizeof(key_table) / sizeof(key_table[0]);

enum action
keys_action(int key)
{
	if (key == 0)
		return ACT_NONE;
	for (size_t i = 0; i < n_key_table; i++)
		for (int k = 0; k < 3; k++)
			if (key_table[i].keys[k] == key)
				return key_table[i].act;
	return ACT_NONE;
}

int
keys_from_wch(int rc, unsigned long wch)
{
	return rc == KEY_CODE_YES ? KC_FN((int) wch) : (int) wch;
}

const struct key_info *
keys_info(enum action act)
{
	for (size_t i = 0; i < n_key_table; i++)
		if (key_table[i].act == act)
			return &key_table[i];
	return NULL;
}

bool
keys_applies(enum action act, const struct key_context *kc)
{
	const struct key_info *ki = keys_info(act);

	if (!ki)
		return false;
	if ((ki->when & W_MIG) && !kc->has_mig)
		return false;
	if ((ki->when & W_PAUSABLE) && !kc->pausable)
		return false;
	if ((ki->when & W_BACKFILL) && !kc->backfill)
		return false;
	if ((ki->when & W_CAN_STEP) && !kc->can_step)
		return false;
	if ((ki->when & W_CAN_UNDO) && !kc->can_undo)
		return false;
	if ((ki->when & W_GATE) && !kc->gated)
		return false;
	return true;
}

bool
keys_unavailable(enum action act, const struct key_context *kc)
{
	const struct key_info *ki = keys_info(act);

	return ki && (ki->when & W_UNDOABLE) && !kc->undoable;
}

void
keys_name(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{KC_FN(KEY_UP), "Up"}, {KC_FN(KEY_DOWN), "Down"},
		{KC_FN(KEY_LEFT), "Left"}, {KC_FN(KEY_RIGHT), "Right"},
		{KC_FN(KEY_PPAGE), "PgUp"}, {KC_FN(KEY_NPAGE), "PgDn"},
		{KC_FN(KEY_HOME), "Home"}, {KC_FN(KEY_END), "End"},
		{KC_FN(KEY_BTAB), "Shift-Tab"}, {KC_FN(KEY_ENTER), "Enter"},
		{KC_FN(KEY_BACKSPACE), "Backspace"},
		{'\t', "Tab"}, {'\n', "Enter"}, {'\r', "Enter"}, {' ', "Space"}, {KC_ESC, "Esc"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].key == key) {
			snprintf(buf, len, "%s", names[i].name);
			return;
		}
	}
	if (key >= KC_FN(KEY_F(1)) && key <= KC_FN(KEY_F(63)))
		snprintf(buf, len, "F%d", key - KC_FN(KEY_F(0)));
	else if (key > 0 && key < 32)
		snprintf(buf, len, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "key %#x", (unsigned) key);
}

void
keys_display(enum action act, char *buf, size_t len)
{
	const struct key_info *ki = keys_info(act);
	size_t used = 0;

	buf[0] = '\0';
	if (!ki)
		return;
	for (int k = 0; k < 3 && ki->keys[k]; k++) {
		char name[32], prev[32];
		bool dup = false;

		keys_name(ki->keys[k], name, sizeof(name));
		/* Enter has three codes; show it once. */
		for (int j = 0; j < k; j++) {
			keys_name(ki->keys[j], prev, sizeof(prev));
			dup = dup || strcmp(prev, name) == 0;
		}
		if (dup)
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? ", " : "", name);
	}
}

void
keys_print(FILE *out)
{
	for (size_t i = 0; i < n_key_table; i++) {
		char keys[64];

		keys_display(key_table[i].act, keys, sizeof(keys));
		fprintf(out, "%s\t%s\t%s\n", keys, key_table[i].name, key_table[i].help);
	}
}
