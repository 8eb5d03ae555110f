/* SPDX-License-Identifier: GPL-2.0-or-later */
/* diag.c - the loader diagnostics printer (diag.h). */
#include "ingest/diag.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

void diag_printer_end(struct diag_printer *p)
{
	if (p->hidden)
		log_warn("%s: %u more problem(s) not shown (--verbose shows all)", p->file,
			 p->hidden);
	p->shown = p->hidden = 0;
}

void diag_print(const struct config_diag *d, void *printer)
{
	static const char *const names[] = { "note", "warning", "error" };
	struct diag_printer *p = printer;
	char file[ESCAPE_PATH_MAX];

	if (d->severity == CONFIG_ERROR)
		p->errors++;
	else if (d->severity == CONFIG_WARNING)
		p->warnings++;
	else
		p->notes++;
	if (d->severity == CONFIG_NOTE && !p->verbose)
		return;
	escape_str(d->file ? d->file : "", file, sizeof(file));
	if (strcmp(file, p->file) != 0) {
		diag_printer_end(p);
		snprintf(p->file, sizeof(p->file), "%s", file);
	}
	if (!p->verbose && p->max_per_file && p->shown >= p->max_per_file) {
		p->hidden++;
		return;
	}
	p->shown++;
	enum log_level l = d->severity == CONFIG_ERROR ? LOG_LVL_ERROR : LOG_LVL_WARN;
	if (d->line)
		log_msg(l, "%s:%u: %s: %s", file, d->line, names[d->severity], d->msg);
	else
		log_msg(l, "%s: %s: %s", file, names[d->severity], d->msg);
}
