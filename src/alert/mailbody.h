/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mailbody.h - the text of alert mails (internal to src/alert/).
 *
 * A growing buffer (struct mailtext: a failed allocation sets oom and stops
 * it) and the pieces of psad's mail layout, right-aligned labels ending at
 * column 21: a destination with its new and complete port ranges, flag sets
 * and nmap options, times; a source's OS guesses and signatures. Every
 * string from a log or a data set is escaped (\xNN) on the way in.
 */
#ifndef VIGIL_ALERT_MAILBODY_H
#define VIGIL_ALERT_MAILBODY_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

#define MAIL_PORTS_MAX 600 /* bytes of a port list in a mail */

struct mailtext {
	char *p;   /* NUL-terminated once anything was put; free() it */
	size_t len, cap;
	bool oom;
};

void mt_put(struct mailtext *t, const char *s, size_t n);
void mt_printf(struct mailtext *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* label + ISO time, or "(unknown)" */
void mt_time(struct mailtext *t, const char *label, const struct vtime *v);
/* label + "[lo-hi: N packets, Nmap: OPT]" and the port list, cut at MAIL_PORTS_MAX */
void mt_ports(struct mailtext *t, const char *label, const struct ports_stats *st,
	      const char *nmap);
/* one destination's block */
void mt_pair(struct mailtext *t, const struct pair_state *p);
/* "OS guess:" and the "[+] Signatures:" block */
void mt_intel(struct mailtext *t, const struct source_state *s);

/* the pair's published scan types, else what its packets suggested */
uint32_t alert_pair_types(const struct pair_state *p);

#endif
