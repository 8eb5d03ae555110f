/* SPDX-License-Identifier: GPL-2.0-or-later */
/* autodl.h - psad's auto_dl file: fixed danger levels for addresses.
 *
 * Line format (psad-behaviour.md 2.3):  <addr|cidr|dotted-mask|ipv6[/len]>  <0-5>  [criteria];
 * criteria: "tcp", "udp", "icmp", "tcp/1-1024", "tcp/22,udp/53" (IGNORE_PORTS syntax).
 * Where psad is quirky vigil is not: the most specific (longest prefix) entry
 * wins, whatever the order; only the text before ';' is read; a level-0 entry
 * with criteria ignores only the traffic its criteria name.
 */
#ifndef VIGIL_AUTODL_H
#define VIGIL_AUTODL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "util/addr.h"

#define AUTODL_MAX_ENTRIES 100000
#define AUTODL_MAX_CRITERIA 16

struct autodl_entry {
	struct net net;
	uint8_t dl;                 /* 0..5; 0 = ignore */
	bool any_proto;             /* no criteria */
	bool proto[256];            /* protocols named without ports */
	struct port_range ports[AUTODL_MAX_CRITERIA]; /* protocol/port criteria */
	size_t n_ports;
};

struct autodl; /* opaque */

/* Load FILE; problems go to diag as in config_load. -ENOENT if missing. */
int autodl_load(const char *path, config_diag_fn *diag, void *data, struct autodl **ret);
int autodl_load_buf(const char *name, const char *buf, size_t len, config_diag_fn *diag,
		    void *data, struct autodl **ret);
struct autodl *autodl_free(struct autodl *a); /* NULL-safe; returns NULL */
size_t autodl_count(const struct autodl *a);

/* The most specific entry containing src whose criteria match the packet
 * (proto, dport; has_port false for protocols without ports), or NULL. */
const struct autodl_entry *autodl_match(const struct autodl *a, const struct addr *src,
					uint8_t proto, bool has_port, uint16_t dport);

#endif
