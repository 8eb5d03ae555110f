/* SPDX-License-Identifier: GPL-2.0-or-later */
/* summary.c - STUB (issue 9, helper C replaces it). */
#include "report/summary.h"

#include <string.h>

int summary_build(const struct source_state **v, size_t n, const struct report_opts *o,
		  size_t top, struct summary *ret)
{
	memset(ret, 0, sizeof(*ret));
	(void)o;
	ret->tracked = ret->listed = n;
	ret->top = v;
	ret->n_top = n < top ? n : top;
	return 0;
}

void summary_free(struct summary *s)
{
	(void)s;
}

size_t report_source_label(const struct source_state *s, char *buf, size_t size)
{
	(void)s;
	if (size)
		buf[0] = '\0';
	return 0;
}

size_t report_source_why(const struct source_state *s, const struct report_opts *o, char *buf,
			 size_t size)
{
	(void)o;
	return report_source_label(s, buf, size);
}

size_t report_source_dsts(const struct source_state *s, char *buf, size_t size)
{
	(void)s;
	if (size)
		buf[0] = '\0';
	return 0;
}
