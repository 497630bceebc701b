/*
 * stmtsql.c - prints a statement of src/stmt.c, the table every termgate
 * program runs, with parameters replaced: so that the benchmarks hand
 * pgbench and EXPLAIN termgate's SQL word for word, never a copy that
 * drifts. Built and run by contrib/bench/history:
 *
 *	stmtsql NAME [N=TEXT]...	$N becomes TEXT (a literal, a
 *					pgbench :variable); others stay
 *	stmtsql --literal RE		the text hist.c searches RE by
 *					(relit.c), empty if none
 *	stmtsql --like RE		the LIKE pattern hist.c checks
 *					beside it, empty if none
 *	stmtsql --any RE		the texts of which hist.c has
 *					each match hold one, as an array
 *					(no quoting: the bench's own)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relit.h"
#include "stmt.h"

/* The text for parameter N in ARGV, or NULL. */
static const char *
mapped(int n, int argc, char **argv)
{
	int i;

	for (i = 2; i < argc; i++)
		if (atoi(argv[i]) == n && strchr(argv[i], '=') != NULL)
			return strchr(argv[i], '=') + 1;
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct stmt *s = NULL;
	const char *p, *text;
	struct relit lit;
	int i, n;

	if (argc == 3 && strcmp(argv[1], "--literal") == 0) {
		if (relit_required(argv[2], &lit) == 1)
			puts(lit.text[0]);
		else
			putchar('\n');
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--like") == 0) {
		relit_required(argv[2], &lit);
		puts(lit.like);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--any") == 0) {
		relit_required(argv[2], &lit);
		for (i = 0; lit.n > 1 && i < lit.n; i++)
			printf("%s%s", i == 0 ? "{" : ",", lit.text[i]);
		puts(lit.n > 1 ? "}" : "");
		return 0;
	}
	for (i = 0; argc > 1 && i < STMT_COUNT; i++)
		if (strcmp(stmt_get(i)->name, argv[1]) == 0)
			s = stmt_get(i);
	if (s == NULL) {
		fprintf(stderr, "usage: stmtsql NAME [N=TEXT]...\n"
		    "       stmtsql --literal RE\n"
		    "       stmtsql --like RE\n"
		    "       stmtsql --any RE\n");
		return 1;
	}
	for (p = s->sql; *p != '\0'; p++) {
		if (*p != '$' || !isdigit((unsigned char)p[1])) {
			putchar(*p);
			continue;
		}
		n = (int)strtol(p + 1, NULL, 10);
		if ((text = mapped(n, argc, argv)) != NULL)
			fputs(text, stdout);
		else
			printf("$%d", n);
		while (isdigit((unsigned char)p[1]))
			p++;
	}
	putchar('\n');
	return 0;
}
