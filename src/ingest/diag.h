/* SPDX-License-Identifier: GPL-2.0-or-later */
/* diag.h - the one printer of loader diagnostics (config, auto_dl, data sets).
 *
 * Every loader reports problems as struct config_diag (FILE:LINE, severity,
 * an already escaped message) to a config_diag_fn. diag_print() is that
 * function for every command: `analyze`, `config` and the daemon. It counts
 * each severity, prints errors and warnings as "FILE:LINE: error: MSG" (or
 * "FILE: error: MSG" for a problem of the whole file), notes only when
 * verbose, and at most max_per_file lines per file unless verbose (a bad list
 * of 100,000 lines must not bury the report): the rest are summed up in one
 * "N more problem(s) not shown" line when the next file starts or at
 * diag_printer_end().
 *
 * Like cmd-*.c this writes for people (through util/log); library modules
 * only report to the callback.
 */
#ifndef VIGIL_INGEST_DIAG_H
#define VIGIL_INGEST_DIAG_H

#include <stdbool.h>

#include "config/config.h"
#include "util/escape.h"

#define DIAG_MAX_PER_FILE 20 /* analyze's cap per file without --verbose */

struct diag_printer {
	bool verbose;          /* print notes too, and every line */
	unsigned max_per_file; /* errors and warnings printed per file; 0: all */
	unsigned errors, warnings, notes; /* every one, printed or not */
	/* private: the file being printed, and what was and was not */
	unsigned shown, hidden;
	char file[ESCAPE_PATH_MAX];
};

/* A config_diag_fn; data is a struct diag_printer (zero it, set the options). */
void diag_print(const struct config_diag *d, void *printer);

/* The last file's "N more problem(s) not shown", if any. */
void diag_printer_end(struct diag_printer *p);

#endif
