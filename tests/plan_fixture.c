#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "plan_fixture.h"

struct fixture
compile_text(const char *text)
{
	struct diag d = {0};
	struct fixture f = {0};

	f.plan = plan_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), &d);
	diag_print(&d, stderr);
	diag_free(&d);
	assert_non_null(f.plan);
	f.c = compile_plan(f.plan);
	return f;
}

void
fixture_free(struct fixture *f)
{
	compiled_free(f->c);
	plan_free(f->plan);
}

const struct step *
step_at(const struct fixture *f, enum phase ph, size_t i)
{
	assert_true(i < f->c->n[ph]);
	return &f->c->steps[ph][i];
}
