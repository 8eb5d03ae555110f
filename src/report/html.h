/* SPDX-License-Identifier: GPL-2.0-or-later */
/* html.h - the HTML report's page from the sources in report order, for
 * report_html() (through report_engine()) and the tests, which call it on
 * hand-built states. */
#ifndef VIGIL_HTML_H
#define VIGIL_HTML_H

#include "report/report-internal.h"

/* One page for v (n sources, report order; the listed ones are shown).
 * 0, -ENOMEM, -errno of a failed write or -EIO. */
int report_html_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o);

#endif
