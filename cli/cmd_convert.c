/* pgstep convert [-o PLAN] FILE.sql: plain DDL into a plan, offline.
 * Exit 0 when every statement became an operation, 1 when some became sql
 * operations or need review (the plan is written all the same), 2 when
 * the file cannot be read or parsed (nothing is written). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "convert/convert.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* A migration file larger than this is not a migration a DBA wrote. */
#define MAX_SQL_BYTES (16 * 1024 * 1024)

static char *
read_sql(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n, total = 0;

	if (!f) {
		fprintf(stderr, "pgstep: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (memchr(buf, '\0', n)) {
			fprintf(stderr, "pgstep: %s holds a NUL byte: it is not SQL text\n", path);
			break;
		}
		total += n;
		if (total > MAX_SQL_BYTES) {
			fprintf(stderr, "pgstep: %s is larger than 16 MiB\n", path);
			break;
		}
		sb_printf(&sb, "%.*s", (int) n, buf);
	}
	if (n > 0 || ferror(f)) {
		if (ferror(f))
			fprintf(stderr, "pgstep: cannot read %s: %s\n", path, strerror(errno));
		fclose(f);
		sb_free(&sb);
		return NULL;
	}
	fclose(f);
	return sb.buf ? sb_steal(&sb) : xstrdup("");
}

static void
print_items(const struct diag *d, const char *what)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->items[i];

		if (it->line > 0)
			fprintf(stderr, "%s:%d:%d: %s: %s\n", it->file, it->line, it->col, what, it->msg);
		else
			fprintf(stderr, "%s: %s: %s\n", it->file, what, it->msg);
	}
}

static bool
write_to(FILE *f, const char *yaml)
{
	size_t len = strlen(yaml);

	return fwrite(yaml, 1, len, f) == len;
}

/* The plan into `path` whole or not at all: a regular file (or a new one)
 * is written beside it and renamed over it; anything else (a pipe, a
 * terminal) is written as it is. */
static bool
write_plan(const char *path, const char *yaml)
{
	struct stat st;
	char *tmp;
	FILE *f;
	mode_t mask;
	int fd;
	bool ok;

	if (!path) {
		ok = write_to(stdout, yaml);
		ok = fflush(stdout) == 0 && ok;
		if (!ok)
			fprintf(stderr, "pgstep: cannot write the plan: %s\n", strerror(errno));
		return ok;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(f = fopen(path, "w"))) {
			fprintf(stderr, "pgstep: cannot write %s: %s\n", path, strerror(errno));
			return false;
		}
		ok = write_to(f, yaml);
		ok = fclose(f) == 0 && ok;
		if (!ok)
			fprintf(stderr, "pgstep: cannot write %s: %s\n", path, strerror(errno));
		return ok;
	}
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "pgstep: cannot write %s: %s\n", path, strerror(errno));
		free(tmp);
		return false;
	}
	/* mkstemp makes it 0600: give it the mode a new file gets */
	mask = umask(0);
	umask(mask);
	ok = fchmod(fd, 0666 & ~mask) == 0 && (f = fdopen(fd, "w")) != NULL;
	if (ok) {
		ok = write_to(f, yaml);
		ok = fclose(f) == 0 && ok;
	} else {
		close(fd);
	}
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "pgstep: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok;
}

int
cmd_convert(struct cli *cli, int argc, char **argv)
{
	struct diag warnings = {0}, errors = {0};
	enum convert_status rc;
	char *sql, *yaml;

	if (argc != 1) {
		fprintf(stderr, "usage: pgstep convert [-o PLAN] FILE.sql\n");
		return EXIT_USAGE;
	}
	if (!(sql = read_sql(argv[0])))
		return EXIT_USAGE;
	rc = convert_sql(argv[0], sql, &yaml, &warnings, &errors);
	print_items(&warnings, "warning");
	print_items(&errors, "error");
	if (rc != CONVERT_FAILED && !write_plan(cli->output, yaml))
		rc = CONVERT_FAILED;
	free(yaml);
	free(sql);
	diag_free(&warnings);
	diag_free(&errors);
	return (int) rc;
}
