/* lint's report: the findings as text, as JSON, and what they add up to. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/xalloc.h"
#include "lint/lint_int.h"

void
lint_report_diag(struct lint_report *r, const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct lint_finding *f = lint_finding_new(r);

		f->rule = lint_rule_find("invalid-plan");
		f->file = xstrdup(d->items[i].file);
		f->line = d->items[i].line;
		f->col = d->items[i].col;
		f->message = xstrdup(d->items[i].msg);
	}
}

void
lint_report_free(struct lint_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].file);
		free(r->v[i].message);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int
lint_report_status(const struct lint_report *r)
{
	int status = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].silenced)
			continue;
		if (r->v[i].rule->severity == LINT_ERROR)
			return 2;
		status = 1;
	}
	return status;
}

void
lint_finding_text(FILE *out, const struct lint_finding *f)
{
	if (f->line > 0)
		fprintf(out, "%s:%d:%d: %s: ", f->file, f->line, f->col, f->rule->name);
	else
		fprintf(out, "%s: %s: ", f->file, f->rule->name);
	if (f->step)
		fprintf(out, "%sstep %d (%s): ", f->rollback ? "rollback of " : "", f->step, phase_name(f->phase));
	fputs(f->message, out);
	if (f->silenced)
		fputs(" (silenced by lint_ignore)", out);
	else if (f->rule->alternative)
		fprintf(out, " (safe alternative: %s)", f->rule->alternative);
	fputc('\n', out);
}

void
lint_report_text(FILE *out, const struct lint_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		lint_finding_text(out, &r->v[i]);
}

void
lint_report_json(FILE *out, const struct lint_report *r)
{
	json_object *root = json_object_new_object();
	json_object *arr = json_object_new_array();
	int errors = 0, warnings = 0, silenced = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "file", json_object_new_string(f->file));
		json_object_object_add(o, "line", f->line > 0 ? json_object_new_int(f->line) : NULL);
		json_object_object_add(o, "column", f->line > 0 ? json_object_new_int(f->col) : NULL);
		json_object_object_add(o, "rule", json_object_new_string(f->rule->name));
		json_object_object_add(o, "severity",
				       json_object_new_string(f->rule->severity == LINT_ERROR ? "error" : "warning"));
		json_object_object_add(o, "phase", f->step ? json_object_new_string(phase_name(f->phase)) : NULL);
		json_object_object_add(o, "step", f->step ? json_object_new_int(f->step) : NULL);
		json_object_object_add(o, "rollback", json_object_new_boolean(f->rollback));
		json_object_object_add(o, "message", json_object_new_string(f->message));
		json_object_object_add(o, "reason", json_object_new_string(f->rule->reason));
		json_object_object_add(o, "alternative",
				       f->rule->alternative ? json_object_new_string(f->rule->alternative) : NULL);
		json_object_object_add(o, "silenced", json_object_new_boolean(f->silenced));
		json_object_array_add(arr, o);
		if (f->silenced)
			silenced++;
		else if (f->rule->severity == LINT_ERROR)
			errors++;
		else
			warnings++;
	}
	json_object_object_add(root, "findings", arr);
	json_object_object_add(root, "errors", json_object_new_int(errors));
	json_object_object_add(root, "warnings", json_object_new_int(warnings));
	json_object_object_add(root, "silenced", json_object_new_int(silenced));
	fprintf(out, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

struct lint_finding *
lint_finding_new(struct lint_report *r)
{
	struct lint_finding *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	return f;
}
