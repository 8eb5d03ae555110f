/* SPDX-License-Identifier: GPL-2.0-or-later */
/* matchers.h - everything a packet is matched against besides scan counts.
 *
 * Signatures (psad format), ICMP/ICMPv6 type tables, OS fingerprints (p0f
 * and posf) and reputation lists, loaded once from the configured files or
 * the sets built into vigil (embedded.h), then read-only: the engine holds
 * a const pointer and any number of engines may share one set.
 */
#ifndef VIGIL_MATCHERS_H
#define VIGIL_MATCHERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct sigset;
struct osfp;
struct icmp_types;
struct reputation;

#define MATCHERS_REP_MAX 16 /* --reputation files on the command line */

struct matchers {
	struct sigset *sigs;	      /* NULL: no signature matching */
	struct icmp_types *icmp4;     /* NULL: ICMP types not validated */
	struct icmp_types *icmp6;
	struct osfp *os;	      /* NULL: no OS guesses */
	struct reputation *rep;	      /* NULL: no reputation lists */
	uint8_t rep_dl;		      /* level a listed source is raised to */
	bool expect_tcp_options;      /* EXPECT_TCP_OPTIONS */
	const char *sig_origin;	      /* "built-in" or the file's path, for reports */
};

/* What the command line overrides. */
struct matchers_opts {
	const char *sig_path;	/* --signatures FILE, or NULL for the configured one */
	bool no_signatures;	/* --no-signatures */
	bool no_icmp_types;	/* --no-icmp-types */
	bool no_os;		/* --no-os-guess */
	const char *rep_paths[MATCHERS_REP_MAX]; /* --reputation FILE (adds to REPUTATION_FILES) */
	size_t n_rep;
};

/* Load every set cfg and o ask for. A configured path that is the built-in
 * default and does not exist means the embedded set. Problems inside a file
 * (bad rules, bad lines) go to diag and do not fail the load; a file that
 * cannot be read does: -errno, after a CONFIG_ERROR naming it. On failure
 * everything loaded so far is released. */
int matchers_load(struct matchers *m, const struct config *cfg, const struct matchers_opts *o,
		  config_diag_fn *diag, void *data);
void matchers_done(struct matchers *m);

#endif
