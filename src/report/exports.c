/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exports.c - STUB (issue 9, helpers replace: csv.c, list.c, html.c). */
#include "report/report.h"

#include <errno.h>

int report_csv(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o)
{
	(void)out, (void)e, (void)in, (void)o;
	return -ENOSYS;
}

int report_list(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o)
{
	(void)out, (void)e, (void)in, (void)o;
	return -ENOSYS;
}

int report_nft(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o)
{
	(void)out, (void)e, (void)in, (void)o;
	return -ENOSYS;
}
