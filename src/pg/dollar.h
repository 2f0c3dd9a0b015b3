/* Dollar quoting: a body (PL/pgSQL, a DO block) as a literal under a tag
 * the body does not contain. The one builder of DO blocks. */
#ifndef PGSTEP_PG_DOLLAR_H
#define PGSTEP_PG_DOLLAR_H

/* "$<name>$", or "$<name>N$" with the first N that the body does not
 * contain; the caller frees. */
char *dollar_tag(const char *body, const char *name);
/* The body dollar-quoted under a "$pgstep$" tag; the caller frees. */
char *dollar_quote(const char *body);
/* DO <body dollar-quoted>; the caller frees. */
char *do_block(const char *body);

#endif
