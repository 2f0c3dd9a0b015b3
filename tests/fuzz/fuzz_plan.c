/* libFuzzer target for the plan reader: any bytes as a plan file, through
 * the YAML loader, the field tables, each operation's checks (its SQL
 * parsed by libpg_query) and its compiler, and the dry run `pgstep show`
 * prints; then everything freed. Built by configure --enable-fuzz (clang);
 * script/test runs it for a minute, README.md says how to run it longer. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compile/compile.h"
#include "base/diag.h"
#include "plan/plan.h"
#include "compile/show.h"
#include "lint/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct diag d = {0};
	struct plan *p;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	p = plan_validate_load_buffer("fuzz.yaml", data, size, &d);
	if (p) {
		struct compiled *c = compile_plan(p, NULL);

		show_plan(devnull, p, c, NULL);
		compiled_free(c);
		plan_free(p);
	} else
		diag_print(&d, devnull);
	diag_free(&d);
	return 0;
}
