/* SPDX-License-Identifier: GPL-2.0-or-later */
/* detector.h - what the engine judges with, loaded together: the
 * configuration, the auto_dl file and the data sets (signatures, ICMP
 * types, OS fingerprints, reputation lists).
 *
 * `analyze` loads one per run; the daemon loads one at start and a new one
 * on SIGHUP. Reload: detector_load() a new one; on success point the engine
 * at it (engine_set_config/autodl/matchers) and ingest_set_engine(), then
 * free the old one; on failure keep the old one: detector_load() has said
 * why (the loaders' problems through diag, the verdict through util/log,
 * e.g. "FILE: 2 error(s) in the configuration") and changed nothing.
 *
 * A detector is read-only once loaded: any number of engines may share it,
 * and it must outlive every engine that uses it.
 */
#ifndef VIGIL_DETECTOR_H
#define VIGIL_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "engine/engine.h"
#include "match/matchers.h"

struct autodl;

/* The command line's choices (NULL / false: what the configuration says). */
struct detector_opts {
	const char *config_path; /* NULL: CONFIG_PATH_DEFAULT */
	bool config_given;       /* must exist (else a missing file means the defaults);
				  * analyze: --config given */
	const char *signatures;  /* --signatures FILE (else SIGNATURES_FILE) */
	const char *auto_dl;     /* --auto-dl FILE, must exist (else AUTO_DL_FILE if present) */
	bool no_signatures;      /* --no-signatures */
	bool no_icmp_types;      /* --no-icmp-types */
	bool no_os_guess;        /* --no-os-guess */
	const char *reputation[MATCHERS_REP_MAX]; /* --reputation FILE (adds to REPUTATION_FILES) */
	size_t n_reputation;
	bool verbose;            /* list the psad keys vigil ignores, not just their count */
};

struct detector; /* opaque */

/* Load everything o asks for. Problems inside the files go to diag (use
 * diag_print with a struct diag_printer zeroed for each load, ingest/diag.h:
 * it is told when the data sets end). Returns 0, or -errno with *ret untouched and
 * nothing kept: -EINVAL for errors in a file, -ENOENT for a file that must
 * exist and does not, ... (the reason is said before returning). */
int detector_load(const struct detector_opts *o, config_diag_fn *diag, void *data,
		  struct detector **ret);
struct detector *detector_free(struct detector *d); /* NULL-safe; returns NULL */

const struct config *detector_config(const struct detector *d);
const struct autodl *detector_autodl(const struct detector *d);     /* NULL: no auto_dl file */
const struct matchers *detector_matchers(const struct detector *d); /* never NULL */

/* An engine that judges with d (engine_new + engine_set_matchers); d must
 * outlive it. cb may be NULL. */
int detector_engine_new(const struct detector *d, engine_change_fn *cb, void *data,
			struct engine **ret);

/* The configuration alone, the way every command reads it: built-in
 * defaults, then path (NULL: CONFIG_PATH_DEFAULT), which may be missing unless
 * given). Says what went wrong; unless verbose, sums up the psad keys vigil
 * ignores in one line. Returns 0 or -errno (cfg then holds what was read). */
int detector_load_config(struct config *cfg, const char *path, bool given, bool verbose,
			 config_diag_fn *diag, void *data);

#endif
