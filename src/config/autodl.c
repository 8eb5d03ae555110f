/* SPDX-License-Identifier: GPL-2.0-or-later */
/* autodl.c - psad's auto_dl file: fixed danger levels per source network.
 *
 * Format (psad-behaviour.md 2.3), one entry per line, '#' comments:
 *     <addr|addr/len|addr/dotted-mask|ipv6[/len]>  <0-5>  [criteria];
 * criteria: protocol names or numbers ("tcp", "udp", "icmp", "17") and
 * IGNORE_PORTS items ("tcp/1-1024", "udp/53"), separated by ',' or spaces.
 *
 * Fixed psad quirks: the ';' ends the entry and nothing after it is read
 * (psad searched the whole line, comment included, for protocol words); the
 * most specific network wins whatever the order (psad: hash order); a level-0
 * entry with criteria ignores only the traffic it names.
 *
 * Lookup is per event, so it must not scan 100,000 entries: entries are
 * indexed by (family, prefix length) groups, longest prefix first, and
 * within a group sorted by network address. A lookup masks the source once
 * per prefix length present (at most 33 + 129) and binary-searches that
 * group; equal networks keep file order. No allocation after load.
 *
 * A file with any error is rejected as a whole (every error is reported
 * first): a half-loaded ignore list could silently hide or expose sources.
 */
#include "config/autodl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/keys.h"

#define AUTODL_FILE_MAX (64u << 20)

struct autodl_key {
	struct net net;
	uint32_t idx; /* into entries[], i.e. file order */
};

/* The entries of one (family, prefix length): keys[start, end). */
struct autodl_group {
	uint8_t family, len;
	size_t start, end;
};

struct autodl {
	struct autodl_entry *entries; /* file order */
	size_t n, cap;
	struct autodl_key *keys;      /* by family, length descending, address, file order */
	struct autodl_group groups[33 + 129];
	size_t n_groups;
};

struct autodl *autodl_free(struct autodl *a)
{
	if (!a)
		return NULL;
	free(a->entries);
	free(a->keys);
	free(a);
	return NULL;
}

size_t autodl_count(const struct autodl *a)
{
	return a ? a->n : 0;
}

/* --- parsing --- */

static bool is_sep(char c, bool commas)
{
	return c == ' ' || c == '\t' || (commas && c == ',');
}

/* Next token separated by spaces or tabs (and commas if asked). */
static bool next_tok(struct span *rest, bool commas, struct span *ret)
{
	size_t n = 0;

	while (rest->len && is_sep(rest->p[0], commas))
		span_skip(rest, 1);
	if (!rest->len)
		return false;
	while (n < rest->len && !is_sep(rest->p[n], commas))
		n++;
	*ret = span_make(rest->p, n);
	span_skip(rest, n);
	return true;
}

static bool looks_like_hostname(struct span s)
{
	bool letter = false;

	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = true;
		else if (!((c >= '0' && c <= '9') || c == '.' || c == '-'))
			return false;
	}
	return letter;
}

static int parse_criterion(struct conf_src *src, struct span tok, struct autodl_entry *e)
{
	char esc[CONF_ESC_MAX];
	const char *why = NULL;
	struct port_range pr;
	size_t n;
	uint8_t p;

	if (span_chr(tok, '/')) {
		if (config_parse_ports(tok.p, tok.len, &pr, 1, &n, &why) < 0 || n != 1) {
			conf_report(src, CONFIG_ERROR, src->lineno, "invalid criterion '%s': %s",
				    conf_esc(tok, esc), why ? why : "expected PROTO/PORTS");
			return -EINVAL;
		}
		if (e->n_ports == AUTODL_MAX_CRITERIA) {
			conf_report(src, CONFIG_ERROR, src->lineno,
				    "too many port criteria (max %d)", AUTODL_MAX_CRITERIA);
			return -EINVAL;
		}
		e->ports[e->n_ports++] = pr;
		return 0;
	}
	if (conf_proto_parse(tok, &p) < 0) {
		conf_report(src, CONFIG_ERROR, src->lineno,
			    "invalid criterion '%s': expected a protocol or PROTO/PORTS",
			    conf_esc(tok, esc));
		return -EINVAL;
	}
	e->proto[p] = true;
	return 0;
}

static int parse_entry(struct conf_src *src, struct span st, struct autodl_entry *e)
{
	struct span rest = st, tok, dl;
	char esc[CONF_ESC_MAX];
	bool any_crit = false;

	memset(e, 0, sizeof(*e));
	next_tok(&rest, false, &tok); /* st is not empty */
	if (net_parse(tok, &e->net) < 0) {
		/* Resolving names here would let whoever controls their DNS
		 * choose, at each (re)load, which sources vigil ignores (level
		 * 0) or blocks (level 5); it would also stall the load. */
		if (looks_like_hostname(tok))
			conf_report(src, CONFIG_ERROR, src->lineno,
				    "hostnames are not supported, use an address: '%s'",
				    conf_esc(tok, esc));
		else
			conf_report(src, CONFIG_ERROR, src->lineno,
				    "invalid address '%s': expected ADDR, ADDR/LEN or ADDR/MASK",
				    conf_esc(tok, esc));
		return -EINVAL;
	}
	if (!next_tok(&rest, false, &dl)) {
		conf_report(src, CONFIG_ERROR, src->lineno, "missing danger level after '%s'",
			    conf_esc(tok, esc));
		return -EINVAL;
	}
	if (dl.len != 1 || dl.p[0] < '0' || dl.p[0] > '5') {
		conf_report(src, CONFIG_ERROR, src->lineno, "invalid danger level '%s': expected 0-5",
			    conf_esc(dl, esc));
		return -EINVAL;
	}
	e->dl = (uint8_t)(dl.p[0] - '0');
	while (next_tok(&rest, true, &tok)) {
		if (parse_criterion(src, tok, e) < 0)
			return -EINVAL;
		any_crit = true;
	}
	e->any_proto = !any_crit;
	return 0;
}

static int push_entry(struct autodl *a, const struct autodl_entry *e)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		if (cap > AUTODL_MAX_ENTRIES)
			cap = AUTODL_MAX_ENTRIES;
		struct autodl_entry *n = realloc(a->entries, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		a->entries = n;
		a->cap = cap;
	}
	a->entries[a->n++] = *e;
	return 0;
}

/* --- index --- */

static int key_cmp(const void *x, const void *y)
{
	const struct autodl_key *a = x, *b = y;
	int c;

	if (a->net.a.family != b->net.a.family)
		return a->net.a.family < b->net.a.family ? -1 : 1;
	if (a->net.len != b->net.len)
		return a->net.len > b->net.len ? -1 : 1; /* longest prefix first */
	c = memcmp(a->net.a.b, b->net.a.b, sizeof(a->net.a.b));
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int build_index(struct autodl *a)
{
	if (!a->n)
		return 0;
	a->keys = calloc(a->n, sizeof(*a->keys));
	if (!a->keys)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++)
		a->keys[i] = (struct autodl_key){ a->entries[i].net, (uint32_t)i };
	qsort(a->keys, a->n, sizeof(*a->keys), key_cmp);
	for (size_t i = 0; i < a->n; i++) {
		const struct net *n = &a->keys[i].net;
		struct autodl_group *g = a->n_groups ? &a->groups[a->n_groups - 1] : NULL;
		if (g && g->family == n->a.family && g->len == n->len) {
			g->end = i + 1;
			continue;
		}
		/* at most 33 IPv4 and 129 IPv6 lengths, so this never overflows */
		a->groups[a->n_groups++] = (struct autodl_group){
			.family = n->a.family, .len = n->len, .start = i, .end = i + 1,
		};
	}
	return 0;
}

int autodl_load_buf(const char *name, const char *buf, size_t len, config_diag_fn *diag,
		    void *data, struct autodl **ret)
{
	struct autodl_entry e;
	struct conf_src src;
	struct autodl *a;
	struct span st;
	int r;

	conf_src_init(&src, name, buf, len, diag, data);
	if (len > AUTODL_FILE_MAX) {
		conf_report(&src, CONFIG_ERROR, 0, "file too large (more than %u bytes)",
			    AUTODL_FILE_MAX);
		return -EINVAL;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	while (conf_next_stmt(&src, &st)) {
		if (a->n == AUTODL_MAX_ENTRIES) {
			conf_report(&src, CONFIG_ERROR, src.lineno,
				    "too many entries (max %d), ignoring the rest", AUTODL_MAX_ENTRIES);
			break;
		}
		if (parse_entry(&src, st, &e) < 0)
			continue;
		r = push_entry(a, &e);
		if (r < 0)
			goto out_free;
	}
	if (src.n_errors) {
		r = -EINVAL;
		goto out_free;
	}
	r = build_index(a);
	if (r < 0)
		goto out_free;
	*ret = a;
	return 0;
out_free:
	autodl_free(a);
	return r;
}

int autodl_load(const char *path, config_diag_fn *diag, void *data, struct autodl **ret)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = conf_read_file(path, AUTODL_FILE_MAX, diag, data, &buf, &len);
	if (r < 0)
		return r;
	r = autodl_load_buf(path, buf, len, diag, data, ret);
	free(buf);
	return r;
}

/* --- lookup (per event) --- */

static bool criteria_match(const struct autodl_entry *e, uint8_t proto, bool has_port,
			   uint16_t dport)
{
	if (e->any_proto || e->proto[proto])
		return true;
	if (!has_port)
		return false;
	for (size_t i = 0; i < e->n_ports; i++) {
		const struct port_range *r = &e->ports[i];
		if (r->proto == proto && dport >= r->lo && dport <= r->hi)
			return true;
	}
	return false;
}

static void mask_to(struct addr *a, unsigned len)
{
	size_t full = len / 8;

	if (len % 8)
		a->b[full++] &= (uint8_t)(0xff00u >> (len % 8));
	memset(a->b + full, 0, sizeof(a->b) - full);
}

const struct autodl_entry *autodl_match(const struct autodl *a, const struct addr *src,
					uint8_t proto, bool has_port, uint16_t dport)
{
	if (!a || !src)
		return NULL;
	for (size_t g = 0; g < a->n_groups; g++) {
		const struct autodl_group *grp = &a->groups[g];
		size_t lo = grp->start, hi = grp->end;
		struct addr m;

		if (grp->family != src->family)
			continue;
		m = *src;
		mask_to(&m, grp->len);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (memcmp(a->keys[mid].net.a.b, m.b, sizeof(m.b)) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < grp->end && memcmp(a->keys[lo].net.a.b, m.b, sizeof(m.b)) == 0; lo++) {
			const struct autodl_entry *e = &a->entries[a->keys[lo].idx];
			if (criteria_match(e, proto, has_port, dport))
				return e;
		}
	}
	return NULL;
}
