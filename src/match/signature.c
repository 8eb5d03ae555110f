/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signature.c - parse a psad/Snort signature file into a rule set.
 *
 * Grammar (one rule per line; '#' starts a comment line; blank lines skipped):
 *
 *   rule    := "alert" proto addr port dir addr port "(" options ")" [";"]
 *   proto   := "tcp" | "udp" | "icmp" | "ip"
 *   addr    := ["!"] ( "any" | net | "$" NAME | "[" item ("," item)* "]" )
 *   item    := ["!"] ( "any" | net | "$" NAME )          (no literal nesting)
 *   net     := IPv4 | IPv6 | net "/" prefixlen | IPv4 "/" dotted.mask
 *   port    := ["!"] ( "any" | n | a ":" b | a ":" | ":" b | "$" NAME
 *                      | "[" item ("," item)* "]" )
 *   dir     := "->" | "<-" (source and destination swapped) | "<>" (either)
 *   options := option (";" option)* [";"]
 *   option  := key [":" value]     value may be "quoted"; a backslash escapes
 *                                  the next byte ('\"', '\;') in or out of quotes
 *
 * $NAME is resolved through the caller's sig_var_fn; its text is parsed like
 * the field itself and may name another variable (SIG_VAR_DEPTH deep at
 * most). A variable holding a list may appear inside a list (it is
 * flattened); a negated list may not contain negated items.
 *
 * Numbers (ttl, tos, id, ip_len, dsize, window, seq, ack, itype, icode,
 * icmp_id, icmp_seq, ip_proto): n, a:b, a:, :b, <n, <=n, >n, >=n, a<>b
 * (exclusive), a<=>b (inclusive), each optionally preceded by '!'. Spaces
 * around numbers are allowed ("dsize:< 25").
 *
 * Options evaluated (all from the logged header; see sigmatch.c):
 *   msg (required), sid / psad_id (at least one; the reported id is the sid,
 *   else the psad_id, and must be unique in the file: a later duplicate is an
 *   error, the first rule wins), psad_dl (0..5, default 2; 0 = suppress),
 *   flags, flow (only "established": requires ACK, as psad), ttl, tos, id,
 *   ip_len / psad_ip_len, dsize / psad_dsize, window, seq, ack, itype, icode,
 *   icmp_id, icmp_seq, ipopts, sameip, fragbits, ip_proto.
 * Informational (accepted, not tested): classtype, reference, rev, metadata,
 *   priority, gid, psad_derived_sids, threshold (rate limiting of reports;
 *   vigil has its own), tag, and the other flow keywords.
 * Not evaluable from a log line (content, pcre, byte_test, flowbits,
 *   detection_filter, http_*, ...): the rule is skipped, since on the header
 *   alone it would fire on innocent packets; one CONFIG_WARNING per option
 *   name at the end of the file, with the first line and the rule count.
 * Unknown options: one CONFIG_WARNING per name; the option is ignored.
 * A malformed rule is one CONFIG_ERROR "<what was expected>, got '<excerpt>'"
 *   (escaped); it is skipped and loading goes on. Rule lines must be UTF-8
 *   without control characters (tab allowed) and at most SIG_LINE_MAX bytes;
 *   comment lines are not examined. A trailing CR (CRLF files) is dropped.
 *
 * Deliberate differences from psad (psad-behaviour.md section 4):
 *  - flags: Snort semantics. psad drops the modifiers (+ * !) and the mask
 *    (",12"), compares the letters for exact equality, and turns flags:0
 *    into an empty string that never matches (its SCAN NULL, sid 623, is
 *    dead). vigil honours +, *, !, the ignore mask, C/E/1/2 (CWR/ECE) and
 *    flags:0 (no flag set).
 *  - '<>' is honoured (the rule matches in either direction); psad parses it
 *    and then tests only the written direction.
 *  - dsize is the real payload length computed from the header lengths (see
 *    sigmatch.c), not psad's estimate (TCP LEN-40, -44 more for SYN).
 *  - fragbits, ip_proto are evaluated; psad rejects them. Payload options
 *    skip the rule with a warning instead of psad's fatal error
 *    (ENABLE_SNORT_SIG_STRICT).
 *  - A rule without psad_id loads when it has a sid (psad needs psad_id).
 *  - psad_dl absent means DL 2; psad may derive it from classtype through
 *    Snort's classification.config, vigil does not.
 *  - Ports of icmp and ip rules are parsed but ignored (Snort semantics).
 *  - Address lists, negation and variables holding lists are supported for
 *    every address, not only through psad.conf variables.
 *  - Direction with HOME_NET "any" (the default): an address field that is
 *    $HOME_NET (or a *_SERVERS variable) or $EXTERNAL_NET, and is "any" only
 *    because HOME_NET is, still names a side. The record's chain tells which
 *    side of a packet is home (INPUT: its destination; OUTPUT: its source;
 *    FORWARD and unknown chains: either), so "$HOME_NET 31337 ->
 *    $EXTERNAL_NET any" (a backdoor answering) does not fire on an inbound
 *    probe from source port 31337. psad -A tests "any" as any; psad's daemon
 *    replaces HOME_NET any by the local subnets (ENABLE_INTF_LOCAL_NETS),
 *    which tells the sides apart as this does. An EXTERNAL_NET of
 *    "!$HOME_NET" is then the other side, not the empty set.
 */
#define VIGIL_SIG_INTERNAL
#include "match/signature.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "match/ipopts.h"
#include "util/escape.h"

#define SIG_LIST_MAX	256 /* entries in one address or port list, after expansion */
#define SIG_NAME_MAX	32  /* option name length */
#define SIG_TALLY_MAX	64  /* distinct unsupported/unknown option names reported */
#define SIG_EXCERPT_MAX 64  /* escaped bytes of the offending text in a message */

/* Unsupported or unknown option names, reported once at the end. */
struct tally {
	char name[SIG_NAME_MAX + 1];
	bool unsupported;
	unsigned first_line;
	uint32_t rules;
};

struct id_slot {
	uint32_t id; /* 0 = empty (ids are >= 1) */
	unsigned line;
};

/* Entries of one address or port field while it is being expanded. */
struct list_acc {
	struct net nets[2][SIG_LIST_MAX]; /* [0] positive, [1] negative */
	struct sig_prange ports[2][SIG_LIST_MAX];
	uint32_t n[2];
	uint32_t expansions; /* $VAR lookups: "[$A,$A,...]" must not explode */
	bool any_pos, none;
	bool var_seen;       /* the outermost $VAR of the field was looked at */
	uint8_t role;        /* enum sig_role of that variable (negation applied) */
};

enum list_kind { LIST_ADDR, LIST_PORT };

struct loader {
	const char *name;
	sig_var_fn *var;
	void *var_data;
	config_diag_fn *diag;
	void *diag_data;
	struct sigset *s;
	unsigned line;
	bool oom;
	struct tally tally[SIG_TALLY_MAX];
	uint32_t n_tally, tally_dropped;
	uint64_t rule_tally; /* tally entries the current rule uses */
	bool rule_unsupported;
	bool has_msg;
	struct id_slot *ids;
	size_t ids_cap, ids_used;
	int home_any; /* HOME_NET is "any": 1, not: 0, not looked up yet: -1 */
	struct list_acc acc;
};

static void report(struct loader *L, enum config_severity sev, unsigned line, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

static void report(struct loader *L, enum config_severity sev, unsigned line, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vreport(L->diag, L->diag_data, sev, L->name, line, fmt, ap);
	va_end(ap);
}

/* CONFIG_ERROR "<what>, got '<escaped got>'"; returns -EINVAL. */
static int fail(struct loader *L, const char *what, struct span got)
{
	char esc[SIG_EXCERPT_MAX];

	escape_bytes(got.p, got.len, esc, sizeof(esc));
	report(L, CONFIG_ERROR, L->line, "%s, got '%s'", what, esc);
	return -EINVAL;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* ---- bytes of a line ---- */


static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static struct span trimmed(struct span s)
{
	span_trim(&s);
	return s;
}

/* ---- tallies and ids ---- */

static struct tally *tally_get(struct loader *L, struct span name, bool unsupported)
{
	for (uint32_t i = 0; i < L->n_tally; i++)
		if (strlen(L->tally[i].name) == name.len &&
		    memcmp(L->tally[i].name, name.p, name.len) == 0) {
			L->rule_tally |= UINT64_C(1) << i;
			return &L->tally[i];
		}
	if (L->n_tally == SIG_TALLY_MAX) {
		L->tally_dropped++;
		return NULL;
	}
	struct tally *t = &L->tally[L->n_tally];
	memcpy(t->name, name.p, name.len);
	t->name[name.len] = '\0';
	t->unsupported = unsupported;
	L->rule_tally |= UINT64_C(1) << L->n_tally;
	L->n_tally++;
	return t;
}

/* The current rule is accepted (or skipped as unsupported): count it for
 * every option name it used. */
static void tally_commit(struct loader *L)
{
	for (uint32_t i = 0; i < L->n_tally; i++) {
		if (!(L->rule_tally & (UINT64_C(1) << i)))
			continue;
		if (!L->tally[i].rules)
			L->tally[i].first_line = L->line;
		L->tally[i].rules++;
	}
}

static void tally_report(struct loader *L)
{
	for (uint32_t i = 0; i < L->n_tally; i++) {
		const struct tally *t = &L->tally[i];
		if (!t->rules)
			continue;
		if (t->unsupported)
			report(L, CONFIG_WARNING, t->first_line,
			       "option '%s' cannot be evaluated from a log line; rule skipped "
			       "(%u rules in this file use it)",
			       t->name, t->rules);
		else
			report(L, CONFIG_WARNING, t->first_line,
			       "unknown option '%s', ignoring (%u rules in this file use it)",
			       t->name, t->rules);
	}
	if (L->tally_dropped)
		report(L, CONFIG_WARNING, L->line,
		       "%u more uses of other unknown or unsupported options not listed",
		       L->tally_dropped);
}

static size_t id_hash(uint32_t id, size_t cap)
{
	return (size_t)((id * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (cap - 1);
}

/* Line of an earlier rule with this id, or 0. */
static unsigned id_find(const struct loader *L, uint32_t id)
{
	if (!L->ids_cap)
		return 0;
	for (size_t i = id_hash(id, L->ids_cap);; i = (i + 1) & (L->ids_cap - 1)) {
		if (L->ids[i].id == id)
			return L->ids[i].line;
		if (!L->ids[i].id)
			return 0;
	}
}

static int id_add(struct loader *L, uint32_t id, unsigned line)
{
	if ((L->ids_used + 1) * 2 > L->ids_cap) {
		size_t cap = L->ids_cap ? L->ids_cap * 2 : 256;
		struct id_slot *n = calloc(cap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < L->ids_cap; i++) {
			if (!L->ids[i].id)
				continue;
			size_t j = id_hash(L->ids[i].id, cap);
			while (n[j].id)
				j = (j + 1) & (cap - 1);
			n[j] = L->ids[i];
		}
		free(L->ids);
		L->ids = n;
		L->ids_cap = cap;
	}
	size_t i = id_hash(id, L->ids_cap);
	while (L->ids[i].id)
		i = (i + 1) & (L->ids_cap - 1);
	L->ids[i] = (struct id_slot){ id, line };
	L->ids_used++;
	return 0;
}

/* ---- addresses and ports ---- */

static int parse_port_atom(struct loader *L, struct span t, struct sig_prange *ret)
{
	const char *colon = span_chr(t, ':');
	uint16_t lo = 0, hi = 65535;

	if (!colon) {
		if (span_to_u16(t, &lo) < 0)
			return fail(L, "port number 0..65535", t);
		hi = lo;
	} else {
		struct span a = span_make(t.p, (size_t)(colon - t.p));
		struct span b = span_make(colon + 1, t.len - a.len - 1);
		if ((a.len && span_to_u16(a, &lo) < 0) || (b.len && span_to_u16(b, &hi) < 0) ||
		    (!a.len && !b.len))
			return fail(L, "port range a:b, a: or :b with ports 0..65535", t);
		if (lo > hi)
			return fail(L, "port range with low <= high", t);
	}
	*ret = (struct sig_prange){ lo, hi };
	return 0;
}

static int list_add(struct loader *L, enum list_kind kind, struct span t, bool neg)
{
	struct list_acc *a = &L->acc;
	uint32_t *n = &a->n[neg];
	int r;

	if (span_eq(t, "any", 3)) {
		if (neg)
			a->none = true;
		else
			a->any_pos = true;
		return 0;
	}
	if (*n == SIG_LIST_MAX)
		return fail(L, "at most 256 entries in a list", t);
	if (kind == LIST_PORT) {
		r = parse_port_atom(L, t, &a->ports[neg][*n]);
	} else {
		r = net_parse(t, &a->nets[neg][*n]);
		if (r < 0)
			r = fail(L, "address: any, IPv4, IPv6, CIDR or $VAR", t);
	}
	if (r == 0)
		(*n)++;
	return r;
}

static int list_expand(struct loader *L, enum list_kind kind, struct span t, bool neg,
		       bool in_list, unsigned depth);

/* The side a variable names: HOME_NET and psad.conf's *_SERVERS (which
 * default to it) are home, EXTERNAL_NET is not. */
static uint8_t var_role(struct span name)
{
	if (span_eq(name, "HOME_NET", 8) ||
	    (name.len > 8 && memcmp(name.p + name.len - 8, "_SERVERS", 8) == 0))
		return SIG_ROLE_HOME;
	if (span_eq(name, "EXTERNAL_NET", 12))
		return SIG_ROLE_EXT;
	return SIG_ROLE_NONE;
}

static bool loader_home_any(struct loader *L)
{
	struct span v;

	if (L->home_any < 0)
		L->home_any = L->var && L->var(L->var_data, SPAN_LIT("HOME_NET"), &v) == 0 &&
			      span_eq(trimmed(v), "any", 3);
	return L->home_any > 0;
}

static int list_var(struct loader *L, enum list_kind kind, struct span t, bool neg,
		    unsigned depth)
{
	struct span name = span_make(t.p + 1, t.len - 1), value;

	for (size_t i = 0; i < name.len; i++) {
		char c = name.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return fail(L, "variable name of letters, digits and '_'", t);
	}
	if (!name.len)
		return fail(L, "variable name after '$'", t);
	if (depth >= SIG_VAR_DEPTH)
		return fail(L, "variables nested at most 8 deep", t);
	if (++L->acc.expansions > SIG_LIST_MAX)
		return fail(L, "at most 256 variable expansions in one field", t);
	if (!L->var || L->var(L->var_data, name, &value) < 0)
		return fail(L, "a defined variable", t);
	if (kind == LIST_ADDR && !L->acc.var_seen) {
		L->acc.var_seen = true;
		L->acc.role = var_role(name);
		if (neg && L->acc.role)
			L->acc.role = L->acc.role == SIG_ROLE_HOME ? SIG_ROLE_EXT : SIG_ROLE_HOME;
	}
	/* a variable holding a list may stand inside a list: flattened */
	return list_expand(L, kind, trimmed(value), neg, false, depth + 1);
}

/* Add the entries of t (an atom, a $VAR or a list) to L->acc, negated when
 * neg. in_list: t is an item of an enclosing list (no further nesting). */
static int list_expand(struct loader *L, enum list_kind kind, struct span t, bool neg,
		       bool in_list, unsigned depth)
{
	struct span rest, item;
	int r;

	if (span_take_prefix(&t, "!", 1)) {
		if (neg)
			return fail(L, "no negation inside a negated list", t);
		neg = true;
		t = trimmed(t);
	}
	if (t.len && t.p[0] == '$')
		return list_var(L, kind, t, neg, depth);
	if (!t.len || t.p[0] != '[')
		return list_add(L, kind, t, neg);
	if (in_list)
		return fail(L, "no list inside a list", t);
	if (t.p[t.len - 1] != ']')
		return fail(L, "']' closing the list", t);
	rest = span_make(t.p + 1, t.len - 2);
	if (!trimmed(rest).len)
		return fail(L, "at least one entry in the list", t);
	while (rest.len) {
		const char *comma = span_chr(rest, ',');
		item = span_make(rest.p, comma ? (size_t)(comma - rest.p) : rest.len);
		span_skip(&rest, comma ? item.len + 1 : item.len);
		item = trimmed(item);
		if (!item.len)
			return fail(L, "list entry between commas", t);
		r = list_expand(L, kind, item, neg, true, depth);
		if (r < 0)
			return r;
		if (comma && !rest.len)
			return fail(L, "list entry after the last comma", t);
	}
	return 0;
}

static int prange_cmp(const void *x, const void *y)
{
	const struct sig_prange *a = x, *b = y;
	return a->lo != b->lo ? (a->lo < b->lo ? -1 : 1) : (a->hi > b->hi) - (a->hi < b->hi);
}

static int net_cmp(const void *x, const void *y)
{
	const struct net *a = x, *b = y;
	int c = addr_cmp(&a->a, &b->a);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Sort and merge overlapping or adjacent ranges; returns the new count. */
static uint32_t prange_merge(struct sig_prange *r, uint32_t n)
{
	uint32_t k = 0;

	qsort(r, n, sizeof(*r), prange_cmp);
	for (uint32_t i = 0; i < n; i++) {
		if (k && (uint32_t)r[k - 1].hi + 1 >= r[i].lo) {
			if (r[i].hi > r[k - 1].hi)
				r[k - 1].hi = r[i].hi;
			continue;
		}
		r[k++] = r[i];
	}
	return k;
}

/* Parse one address or port field into a sig_list in the set's pools. */
static int parse_list(struct loader *L, enum list_kind kind, struct span t, struct sig_list *ret)
{
	struct list_acc *a = &L->acc;
	struct sigset *s = L->s;
	struct sig_list l = { 0 };
	int r;

	a->n[0] = a->n[1] = a->expansions = 0;
	a->any_pos = a->none = a->var_seen = false;
	a->role = SIG_ROLE_NONE;
	if (span_take_prefix(&t, "!", 1))
		l.neg = true;
	bool one_var = t.len && t.p[0] == '$'; /* the field is one variable */
	r = list_expand(L, kind, t, false, false, 0);
	if (r < 0)
		return r;
	if (kind == LIST_ADDR && one_var && a->role && loader_home_any(L) &&
	    (a->any_pos || a->none) && !a->n[0] && !a->n[1]) {
		/* "any" for want of a HOME_NET: the side the variable names
		 * ($EXTERNAL_NET "!$HOME_NET" included, which would otherwise
		 * match nothing) */
		l.any = true;
		l.role = l.neg ? (a->role == SIG_ROLE_HOME ? SIG_ROLE_EXT : SIG_ROLE_HOME) : a->role;
		l.neg = false;
		*ret = l;
		return 0;
	}
	if (a->none) { /* "any" negated inside: the list matches nothing */
		l.any = true;
		l.neg = !l.neg;
		*ret = l;
		return 0;
	}
	if (a->any_pos)
		a->n[0] = 0; /* "any" among positives: every value is in */
	if (!a->n[0] && !a->n[1]) {
		l.any = true;
		*ret = l;
		return 0;
	}
	l.n_pos = (uint16_t)a->n[0];
	l.n_neg = (uint16_t)a->n[1];
	if (kind == LIST_PORT) {
		l.n_pos = (uint16_t)prange_merge(a->ports[0], a->n[0]);
		l.n_neg = (uint16_t)prange_merge(a->ports[1], a->n[1]);
		l.off = (uint32_t)s->n_ports;
		if (grow((void **)&s->ports, &s->cap_ports, s->n_ports + l.n_pos + l.n_neg,
			 sizeof(*s->ports)) < 0)
			goto out_oom;
		memcpy(s->ports + s->n_ports, a->ports[0], l.n_pos * sizeof(*s->ports));
		memcpy(s->ports + s->n_ports + l.n_pos, a->ports[1], l.n_neg * sizeof(*s->ports));
		s->n_ports += l.n_pos + l.n_neg;
	} else {
		qsort(a->nets[0], l.n_pos, sizeof(struct net), net_cmp);
		qsort(a->nets[1], l.n_neg, sizeof(struct net), net_cmp);
		l.off = (uint32_t)s->n_nets;
		if (grow((void **)&s->nets, &s->cap_nets, s->n_nets + l.n_pos + l.n_neg,
			 sizeof(*s->nets)) < 0)
			goto out_oom;
		memcpy(s->nets + s->n_nets, a->nets[0], l.n_pos * sizeof(*s->nets));
		memcpy(s->nets + s->n_nets + l.n_pos, a->nets[1], l.n_neg * sizeof(*s->nets));
		s->n_nets += l.n_pos + l.n_neg;
	}
	*ret = l;
	return 0;
out_oom:
	L->oom = true;
	return -ENOMEM;
}

/* ---- numbers ---- */

static int num_value(struct span t, uint32_t max, uint32_t *ret)
{
	uint64_t v;

	t = trimmed(t);
	if (span_to_u64(t, max, &v) < 0)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

/* n, a:b, a:, :b, <n, <=n, >n, >=n, a<>b, a<=>b, optionally after '!'. */
static int num_parse(struct span t, uint32_t max, struct sig_num *ret)
{
	struct sig_num n = { 0, max, false };
	uint32_t a, b;
	long at;

	t = trimmed(t);
	if (span_take_prefix(&t, "!", 1)) {
		n.neg = true;
		t = trimmed(t);
	}
	if (span_take_prefix(&t, "<=", 2)) {
		if (num_value(t, max, &n.hi) < 0)
			return -EINVAL;
	} else if (span_take_prefix(&t, ">=", 2)) {
		if (num_value(t, max, &n.lo) < 0)
			return -EINVAL;
	} else if (span_take_prefix(&t, "<", 1)) {
		if (num_value(t, max, &b) < 0 || b == 0)
			return -EINVAL;
		n.hi = b - 1;
	} else if (span_take_prefix(&t, ">", 1)) {
		if (num_value(t, max, &a) < 0 || a == max)
			return -EINVAL;
		n.lo = a + 1;
	} else if ((at = span_find(t, "<=>", 3)) >= 0) {
		if (num_value(span_make(t.p, (size_t)at), max, &n.lo) < 0 ||
		    num_value(span_make(t.p + at + 3, t.len - (size_t)at - 3), max, &n.hi) < 0)
			return -EINVAL;
	} else if ((at = span_find(t, "<>", 2)) >= 0) {
		if (num_value(span_make(t.p, (size_t)at), max, &a) < 0 ||
		    num_value(span_make(t.p + at + 2, t.len - (size_t)at - 2), max, &b) < 0 ||
		    b < a + 2)
			return -EINVAL;
		n.lo = a + 1;
		n.hi = b - 1;
	} else if ((at = span_find(t, ":", 1)) >= 0) {
		struct span x = trimmed(span_make(t.p, (size_t)at));
		struct span y = trimmed(span_make(t.p + at + 1, t.len - (size_t)at - 1));
		if ((!x.len && !y.len) || (x.len && num_value(x, max, &n.lo) < 0) ||
		    (y.len && num_value(y, max, &n.hi) < 0))
			return -EINVAL;
	} else {
		if (num_value(t, max, &n.lo) < 0)
			return -EINVAL;
		n.hi = n.lo;
	}
	if (n.lo > n.hi)
		return -EINVAL;
	*ret = n;
	return 0;
}

/* ---- options ---- */

struct opt_ctx {
	struct loader *L;
	struct sig_rule *r;
	struct span key, value; /* value unquoted, escapes not yet resolved */
};

typedef int opt_fn(struct opt_ctx *o);

static int opt_fail(struct opt_ctx *o, const char *what)
{
	char buf[128];

	(void)snprintf(buf, sizeof(buf), "%s for option '%.*s'", what, (int)o->key.len, o->key.p);
	return fail(o->L, buf, o->value);
}

static int opt_msg(struct opt_ctx *o)
{
	struct sigset *s = o->L->s;
	size_t off = s->n_text;

	if (o->L->has_msg)
		return opt_fail(o, "one msg");
	if (grow((void **)&s->text, &s->cap_text, s->n_text + o->value.len + 1, 1) < 0) {
		o->L->oom = true;
		return -ENOMEM;
	}
	for (size_t i = 0; i < o->value.len; i++) {
		if (o->value.p[i] == '\\' && i + 1 < o->value.len)
			i++;
		s->text[s->n_text++] = o->value.p[i];
	}
	s->text[s->n_text++] = '\0';
	o->r->msg_off = (uint32_t)off;
	o->L->has_msg = true;
	return 0;
}

static int opt_id(struct opt_ctx *o, uint32_t *ret)
{
	uint32_t v;

	if (*ret)
		return opt_fail(o, "only one");
	if (num_value(o->value, UINT32_MAX, &v) < 0 || v == 0)
		return opt_fail(o, "number 1..4294967295");
	*ret = v;
	return 0;
}

static int opt_sid(struct opt_ctx *o)
{
	return opt_id(o, &o->r->pub.sid);
}

static int opt_psad_id(struct opt_ctx *o)
{
	return opt_id(o, &o->r->pub.psad_id);
}

static int opt_dl(struct opt_ctx *o)
{
	uint32_t v;

	if (num_value(o->value, 5, &v) < 0)
		return opt_fail(o, "danger level 0..5");
	o->r->pub.dl = (uint8_t)v;
	return 0;
}

static const struct {
	const char *name;
	uint8_t field;
	uint32_t max;
} num_opts[] = {
	{ "ttl", SIGF_TTL, 255 },
	{ "tos", SIGF_TOS, 255 },
	{ "id", SIGF_ID, 65535 },
	{ "ip_len", SIGF_IPLEN, UINT32_MAX }, /* LEN= is 32-bit (BIG TCP) */
	{ "psad_ip_len", SIGF_IPLEN, UINT32_MAX }, /* LEN= is 32-bit (BIG TCP) */
	{ "dsize", SIGF_DSIZE, UINT32_MAX },
	{ "psad_dsize", SIGF_DSIZE, UINT32_MAX },
	{ "window", SIGF_WINDOW, 65535 },
	{ "seq", SIGF_SEQ, UINT32_MAX },
	{ "ack", SIGF_ACK, UINT32_MAX },
	{ "itype", SIGF_ITYPE, 255 },
	{ "icode", SIGF_ICODE, 255 },
	{ "icmp_id", SIGF_ICMP_ID, 65535 },
	{ "icmp_seq", SIGF_ICMP_SEQ, 65535 },
};

static int opt_num_field(struct opt_ctx *o, unsigned field, uint32_t max)
{
	struct sig_rule *r = o->r;

	if (r->has_num & (1u << field))
		return opt_fail(o, "one test of this field");
	if (num_parse(o->value, max, &r->num[field]) < 0)
		return opt_fail(o, "a non-empty n, a:b, a:, :b, <n, <=n, >n, >=n, a<>b, a<=>b or !...");
	r->has_num |= (uint16_t)(1u << field);
	return 0;
}

static int opt_num(struct opt_ctx *o)
{
	for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++)
		if (o->key.p[0] == num_opts[i].name[0] &&
		    span_eq(o->key, num_opts[i].name, strlen(num_opts[i].name)))
			return opt_num_field(o, num_opts[i].field, num_opts[i].max);
	return -EINVAL; /* not reached: the table below only routes these names here */
}

static int opt_ip_proto(struct opt_ctx *o)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = {
		{ "icmp", 1 }, { "igmp", 2 }, { "ipip", 4 }, { "tcp", 6 }, { "udp", 17 },
		{ "ipv6", 41 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "icmp6", 58 },
		{ "ipv6-icmp", 58 }, { "pim", 103 }, { "sctp", 132 }, { "udplite", 136 },
	};
	struct span v = trimmed(o->value);
	bool neg = span_take_prefix(&v, "!", 1);

	v = trimmed(v);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!span_eq_nocase(v, names[i].name))
			continue;
		if (o->r->has_num & (1u << SIGF_IP_PROTO))
			return opt_fail(o, "one test of this field");
		o->r->num[SIGF_IP_PROTO] = (struct sig_num){ names[i].num, names[i].num, neg };
		o->r->has_num |= 1u << SIGF_IP_PROTO;
		return 0;
	}
	return opt_num_field(o, SIGF_IP_PROTO, 255);
}

/* Letters of a flag set ("SF", "12"); -EINVAL on anything else. */
static int bits_parse(struct span t, const char *letters, const uint8_t *bits, uint8_t *ret)
{
	uint8_t v = 0;

	for (size_t i = 0; i < t.len; i++) {
		const char *c = t.p[i] ? strchr(letters, t.p[i]) : NULL;
		if (!c)
			return -EINVAL;
		v |= bits[c - letters];
	}
	*ret = v;
	return 0;
}

/* [+*!] letters [+*!] [, mask]: modifier before or after (old Snort rules
 * write "A+"). */
static int bits_opt(struct span v, const char *letters, const uint8_t *bits, uint8_t *ret_mod,
		    uint8_t *ret_want, uint8_t *ret_ignore)
{
	const char *comma = span_chr(v, ',');
	struct span set = trimmed(span_make(v.p, comma ? (size_t)(comma - v.p) : v.len));
	uint8_t mod = SIGM_EXACT;
	static const char mods[] = "+*!";

	*ret_ignore = 0;
	if (comma && bits_parse(trimmed(span_make(comma + 1, v.len - set.len - 1 -
							 (size_t)(set.p - v.p))),
				letters, bits, ret_ignore) < 0)
		return -EINVAL;
	if (set.len && strchr(mods, set.p[0])) {
		mod = (uint8_t)(strchr(mods, set.p[0]) - mods + SIGM_ALL);
		span_skip(&set, 1);
	} else if (set.len && strchr(mods, set.p[set.len - 1])) {
		mod = (uint8_t)(strchr(mods, set.p[set.len - 1]) - mods + SIGM_ALL);
		set.len--;
	}
	set = trimmed(set);
	if (!set.len)
		return -EINVAL;
	if (span_eq(set, "0", 1))
		*ret_want = 0;
	else if (bits_parse(set, letters, bits, ret_want) < 0)
		return -EINVAL;
	*ret_mod = mod;
	return 0;
}

static int opt_flags(struct opt_ctx *o)
{
	static const uint8_t bits[] = { TCPF_FIN, TCPF_SYN, TCPF_RST, TCPF_PSH, TCPF_ACK,
					TCPF_URG, TCPF_CWR, TCPF_ECE, TCPF_CWR, TCPF_ECE };
	struct sig_rule *r = o->r;

	if (r->has_flags)
		return opt_fail(o, "one");
	if (bits_opt(o->value, "FSRPAUCE12", bits, &r->flags_mod, &r->flags_want,
		     &r->flags_ignore) < 0)
		return opt_fail(o, "[+*!] of F S R P A U C E 1 2 or 0, then an optional ,mask");
	r->flags_want &= (uint8_t)~r->flags_ignore;
	r->has_flags = true;
	return 0;
}

static int opt_fragbits(struct opt_ctx *o)
{
	static const uint8_t bits[] = { IPF_MF, IPF_DF, IPF_CE };
	struct sig_rule *r = o->r;
	uint8_t ignore;

	if (r->has_frag)
		return opt_fail(o, "one");
	if (bits_opt(o->value, "MDR", bits, &r->frag_mod, &r->frag_want, &ignore) < 0 || ignore)
		return opt_fail(o, "[+*!] of M D R");
	r->has_frag = true;
	return 0;
}

static int opt_ipopts(struct opt_ctx *o)
{
	struct span v = trimmed(o->value);
	int num;

	if (o->r->has_ipopts)
		return opt_fail(o, "one");
	if (span_eq(v, "any", 3)) {
		o->r->ipopts_bit = 0;
	} else {
		num = ipopt_by_keyword(v);
		if (num < 0)
			return opt_fail(o, "an IP option keyword (rr, eol, nop, ts, sec, esec, lsrr, "
					   "lsrre, ssrr, satid) or any");
		o->r->ipopts_bit = 1u << (num & 31);
	}
	o->r->has_ipopts = true;
	return 0;
}

static int opt_sameip(struct opt_ctx *o)
{
	o->r->sameip = true;
	return 0;
}

/* Only "established" is evaluable: psad (and Snort on a logged packet)
 * needs ACK. to_server, stateless, ... are informational. */
static int opt_flow(struct opt_ctx *o)
{
	struct span rest = o->value, tok;

	while (span_next_token(&rest, ',', &tok))
		if (span_eq(trimmed(tok), "established", 11))
			o->r->need_ack = true;
	return 0;
}

enum opt_kind { OPT_EVAL, OPT_INFO, OPT_UNSUPPORTED };

static const struct opt_def {
	const char *name;
	uint8_t kind;
	opt_fn *fn;
} opt_defs[] = {
	{ "msg", OPT_EVAL, opt_msg },
	{ "sid", OPT_EVAL, opt_sid },
	{ "psad_id", OPT_EVAL, opt_psad_id },
	{ "psad_dl", OPT_EVAL, opt_dl },
	{ "flags", OPT_EVAL, opt_flags },
	{ "flow", OPT_EVAL, opt_flow },
	{ "ttl", OPT_EVAL, opt_num },
	{ "tos", OPT_EVAL, opt_num },
	{ "id", OPT_EVAL, opt_num },
	{ "ip_len", OPT_EVAL, opt_num },
	{ "psad_ip_len", OPT_EVAL, opt_num },
	{ "dsize", OPT_EVAL, opt_num },
	{ "psad_dsize", OPT_EVAL, opt_num },
	{ "window", OPT_EVAL, opt_num },
	{ "seq", OPT_EVAL, opt_num },
	{ "ack", OPT_EVAL, opt_num },
	{ "itype", OPT_EVAL, opt_num },
	{ "icode", OPT_EVAL, opt_num },
	{ "icmp_id", OPT_EVAL, opt_num },
	{ "icmp_seq", OPT_EVAL, opt_num },
	{ "ip_proto", OPT_EVAL, opt_ip_proto },
	{ "ipopts", OPT_EVAL, opt_ipopts },
	{ "sameip", OPT_EVAL, opt_sameip },
	{ "fragbits", OPT_EVAL, opt_fragbits },
	{ "classtype", OPT_INFO, NULL },
	{ "reference", OPT_INFO, NULL },
	{ "rev", OPT_INFO, NULL },
	{ "metadata", OPT_INFO, NULL },
	{ "priority", OPT_INFO, NULL },
	{ "gid", OPT_INFO, NULL },
	{ "psad_derived_sids", OPT_INFO, NULL },
	{ "threshold", OPT_INFO, NULL },
	{ "tag", OPT_INFO, NULL },
	{ "content", OPT_UNSUPPORTED, NULL },
	{ "uricontent", OPT_UNSUPPORTED, NULL },
	{ "pcre", OPT_UNSUPPORTED, NULL },
	{ "offset", OPT_UNSUPPORTED, NULL },
	{ "depth", OPT_UNSUPPORTED, NULL },
	{ "distance", OPT_UNSUPPORTED, NULL },
	{ "within", OPT_UNSUPPORTED, NULL },
	{ "byte_test", OPT_UNSUPPORTED, NULL },
	{ "byte_jump", OPT_UNSUPPORTED, NULL },
	{ "byte_extract", OPT_UNSUPPORTED, NULL },
	{ "byte_math", OPT_UNSUPPORTED, NULL },
	{ "flowbits", OPT_UNSUPPORTED, NULL },
	{ "rpc", OPT_UNSUPPORTED, NULL },
	{ "isdataat", OPT_UNSUPPORTED, NULL },
	{ "asn1", OPT_UNSUPPORTED, NULL },
	{ "ftpbounce", OPT_UNSUPPORTED, NULL },
	{ "nocase", OPT_UNSUPPORTED, NULL },
	{ "rawbytes", OPT_UNSUPPORTED, NULL },
	{ "fast_pattern", OPT_UNSUPPORTED, NULL },
	{ "stream_size", OPT_UNSUPPORTED, NULL },
	{ "stream_reassemble", OPT_UNSUPPORTED, NULL },
	{ "detection_filter", OPT_UNSUPPORTED, NULL },
	{ "urilen", OPT_UNSUPPORTED, NULL },
	{ "file_data", OPT_UNSUPPORTED, NULL },
	{ "pkt_data", OPT_UNSUPPORTED, NULL },
	{ "base64_decode", OPT_UNSUPPORTED, NULL },
	{ "base64_data", OPT_UNSUPPORTED, NULL },
};

static const struct opt_def *opt_lookup(struct span key)
{
	static const struct opt_def http = { "http_*", OPT_UNSUPPORTED, NULL };

	for (size_t i = 0; i < sizeof(opt_defs) / sizeof(opt_defs[0]); i++)
		if (key.len && key.p[0] == opt_defs[i].name[0] && /* cheap first: 10,000 rules */
		    span_eq(key, opt_defs[i].name, strlen(opt_defs[i].name)))
			return &opt_defs[i];
	/* payload inspection families: http_uri, http_header, ssl_state, dce_opnum, sip_method */
	if (span_starts(key, "http_", 5) || span_starts(key, "ssl_", 4) ||
	    span_starts(key, "dce_", 4) || span_starts(key, "sip_", 4))
		return &http;
	return NULL;
}

static int opt_one(struct loader *L, struct sig_rule *r, struct span seg)
{
	const char *colon = span_chr(seg, ':');
	struct opt_ctx o = { .L = L, .r = r };
	const struct opt_def *def;

	o.key = trimmed(span_make(seg.p, colon ? (size_t)(colon - seg.p) : seg.len));
	o.value = colon ? trimmed(span_make(colon + 1, seg.len - (size_t)(colon + 1 - seg.p)))
			: span_make(seg.p + seg.len, 0);
	if (!o.key.len || o.key.len > SIG_NAME_MAX)
		return fail(L, "option name of 1 to 32 characters", seg);
	for (size_t i = 0; i < o.key.len; i++) {
		char c = o.key.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return fail(L, "option name of lower-case letters, digits and '_'", seg);
	}
	if (o.value.len && o.value.p[0] == '"') {
		size_t i = 1;
		while (i < o.value.len && o.value.p[i] != '"')
			i += o.value.p[i] == '\\' ? 2 : 1;
		if (i != o.value.len - 1)
			return fail(L, "closing '\"' at the end of the option value", seg);
		o.value = span_make(o.value.p + 1, o.value.len - 2);
	}
	def = opt_lookup(o.key);
	if (!def) {
		(void)tally_get(L, o.key, false);
		return 0;
	}
	if (def->kind == OPT_UNSUPPORTED) {
		L->rule_unsupported = true;
		(void)tally_get(L, o.key, true);
		return 0;
	}
	return def->fn ? def->fn(&o) : 0;
}

/* Split the text between '(' and ')' at unquoted, unescaped ';'. */
static int opts_parse(struct loader *L, struct sig_rule *r, struct span opts)
{
	size_t start = 0;
	bool quoted = false;
	int ret;

	for (size_t i = 0; i <= opts.len; i++) {
		if (i < opts.len) {
			char c = opts.p[i];
			if (c == '\\') {
				i++;
				continue;
			}
			if (c == '"')
				quoted = !quoted;
			if (c != ';' || quoted)
				continue;
		}
		struct span seg = trimmed(span_make(opts.p + start, (i < opts.len ? i : opts.len) - start));
		start = i + 1;
		if (!seg.len)
			continue;
		ret = opt_one(L, r, seg);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- rule header ---- */

/* Next whitespace-separated field; a '[...]' list may hold spaces. Stops
 * before '(' outside brackets. */
static bool next_field(struct span *rest, struct span *ret)
{
	size_t i = 0;
	int depth = 0;

	span_trim_left(rest);
	while (i < rest->len) {
		char c = rest->p[i];
		if (c == '[')
			depth++;
		else if (c == ']')
			depth--;
		else if (depth <= 0 && (is_space(c) || c == '('))
			break;
		i++;
	}
	if (depth > 0) /* unclosed '[': the field ends at the first blank */
		for (i = 0; i < rest->len && !is_space(rest->p[i]); i++)
			;
	*ret = span_make(rest->p, i);
	span_skip(rest, i);
	return i > 0;
}

/* The options region: from after '(' to the last unquoted ')', followed
 * only by blanks and ';' (psad's own file ends two rules with ");"). */
static int opts_region(struct loader *L, struct span rest, struct span *ret)
{
	bool quoted = false;
	long close = -1;

	span_trim_left(&rest);
	if (!span_take_prefix(&rest, "(", 1))
		return fail(L, "'(' starting the rule options", rest);
	for (size_t i = 0; i < rest.len; i++) {
		char c = rest.p[i];
		if (c == '\\' && i + 1 < rest.len)
			i++;
		else if (c == '"')
			quoted = !quoted;
		else if (c == ')' && !quoted)
			close = (long)i;
	}
	if (quoted)
		return fail(L, "'\"' closing the quoted value", rest);
	if (close < 0)
		return fail(L, "')' closing the rule options", rest);
	for (size_t i = (size_t)close + 1; i < rest.len; i++)
		if (!is_space(rest.p[i]) && rest.p[i] != ';')
			return fail(L, "nothing after ')' but ';'",
				    span_make(rest.p + close + 1, rest.len - (size_t)close - 1));
	*ret = span_make(rest.p, (size_t)close);
	return 0;
}

static int header_parse(struct loader *L, struct sig_rule *r, struct span line, struct span *rest)
{
	static const char *const protos[] = { "tcp", "udp", "icmp", "ip" };
	struct span f[7];
	int ret;

	for (int i = 0; i < 7; i++)
		if (!next_field(rest, &f[i]))
			return fail(L, "alert <proto> <src> <sport> <dir> <dst> <dport> (options)",
				    line);
	if (!span_eq(f[0], "alert", 5))
		return fail(L, "'alert' starting the rule", f[0]);
	r->proto = 0xff;
	for (uint8_t i = 0; i < 4; i++)
		if (span_eq(f[1], protos[i], strlen(protos[i])))
			r->proto = i;
	if (r->proto == 0xff)
		return fail(L, "protocol tcp, udp, icmp or ip", f[1]);
	bool swap = span_eq(f[4], "<-", 2);
	r->bidir = span_eq(f[4], "<>", 2);
	if (!swap && !r->bidir && !span_eq(f[4], "->", 2))
		return fail(L, "direction '->', '<-' or '<>'", f[4]);
	if ((ret = parse_list(L, LIST_ADDR, f[2], &r->src)) < 0 ||
	    (ret = parse_list(L, LIST_PORT, f[3], &r->sport)) < 0 ||
	    (ret = parse_list(L, LIST_ADDR, f[5], &r->dst)) < 0 ||
	    (ret = parse_list(L, LIST_PORT, f[6], &r->dport)) < 0)
		return ret;
	if (swap) {
		struct sig_list t = r->src;
		r->src = r->dst;
		r->dst = t;
		t = r->sport;
		r->sport = r->dport;
		r->dport = t;
	}
	r->home_need = (uint8_t)((r->src.role == SIG_ROLE_HOME ? SIG_HOME_SRC : 0) |
				 (r->src.role == SIG_ROLE_EXT ? SIG_HOME_DST : 0) |
				 (r->dst.role == SIG_ROLE_HOME ? SIG_HOME_DST : 0) |
				 (r->dst.role == SIG_ROLE_EXT ? SIG_HOME_SRC : 0));
	if (r->proto == SIGP_ICMP || r->proto == SIGP_IP) /* Snort: ports ignored */
		r->sport = r->dport = (struct sig_list){ .any = true };
	return 0;
}

/* After the options: required ones, id uniqueness, flow vs flags. Returns
 * 1 when the rule is skipped as unsupported. */
static int rule_finish(struct loader *L, struct sig_rule *r, struct span line)
{
	unsigned prev;

	if (!L->has_msg)
		return fail(L, "a msg option", line);
	if (!r->pub.sid && !r->pub.psad_id)
		return fail(L, "a sid or psad_id option", line);
	if (L->rule_unsupported)
		return 1;
	r->pub.id = r->pub.sid ? r->pub.sid : r->pub.psad_id;
	r->pub.line = L->line;
	prev = id_find(L, r->pub.id);
	if (prev) {
		char what[96];
		(void)snprintf(what, sizeof(what), "an id not used before (line %u has it)", prev);
		return fail(L, what, line);
	}
	if (r->proto != SIGP_TCP)
		r->need_ack = false; /* "established" only means something for TCP */
	if (r->need_ack && r->has_flags && r->flags_mod == SIGM_EXACT &&
	    !(r->flags_ignore & TCPF_ACK)) {
		r->flags_want |= TCPF_ACK; /* psad: flow:established adds A */
		r->need_ack = false;
	}
	return 0;
}

static int rule_parse(struct loader *L, struct span line)
{
	struct sigset *s = L->s;
	size_t n_nets = s->n_nets, n_ports = s->n_ports, n_text = s->n_text;
	struct sig_rule r = { .pub.dl = SIG_DL_DEFAULT };
	struct span rest = line, opts;
	size_t bad = span_text_invalid_at(line);
	int ret;

	L->rule_tally = 0;
	L->rule_unsupported = false;
	L->has_msg = false;
	if (line.len > SIG_LINE_MAX)
		ret = fail(L, "a rule of at most 8192 bytes", span_make(line.p, 40));
	else if (bad < line.len)
		ret = fail(L, "UTF-8 text without control characters",
			   span_make(line.p + bad, line.len - bad < 16 ? line.len - bad : 16));
	else if ((ret = header_parse(L, &r, line, &rest)) == 0 &&
		 (ret = opts_region(L, rest, &opts)) == 0 && (ret = opts_parse(L, &r, opts)) == 0)
		ret = rule_finish(L, &r, line);
	if (ret == 0 && s->n_rules == SIG_RULES_MAX)
		ret = fail(L, "at most 1000000 rules", span_make(line.p, 0));
	if (ret == 0 && (grow((void **)&s->rules, &s->cap_rules, s->n_rules + 1, sizeof(r)) < 0 ||
			 id_add(L, r.pub.id, L->line) < 0))
		L->oom = true, ret = -ENOMEM;
	if (ret != 0) { /* roll back what the rule put in the pools */
		s->n_nets = n_nets;
		s->n_ports = n_ports;
		s->n_text = n_text;
	}
	if (ret == 1 || ret == 0)
		tally_commit(L);
	if (ret == 1)
		s->stats.unsupported++;
	else if (ret == -EINVAL)
		s->stats.malformed++;
	if (ret != 0)
		return ret;
	s->rules[s->n_rules++] = r;
	if (r.pub.dl == 0)
		s->stats.suppress++;
	return 0;
}

/* ---- the set ---- */

struct sigset *sigset_free(struct sigset *s)
{
	if (!s)
		return NULL;
	sig_index_free(&s->idx);
	free(s->rules);
	free(s->nets);
	free(s->ports);
	free(s->text);
	free(s);
	return NULL;
}

int sigset_load_buf(const char *name, const char *buf, size_t len, sig_var_fn *var,
		    void *var_data, config_diag_fn *diag, void *diag_data, struct sigset **ret)
{
	struct span rest = span_make(buf, len), line;
	struct loader *L;
	int r = 0;

	L = calloc(1, sizeof(*L));
	if (!L)
		return -ENOMEM;
	*L = (struct loader){ .name = name, .var = var, .var_data = var_data,
			      .diag = diag, .diag_data = diag_data, .home_any = -1 };
	L->s = calloc(1, sizeof(*L->s));
	if (!L->s) {
		r = -ENOMEM;
		goto out;
	}
	while (rest.len && !L->oom) {
		const char *nl = memchr(rest.p, '\n', rest.len);
		line = span_make(rest.p, nl ? (size_t)(nl - rest.p) : rest.len);
		span_skip(&rest, nl ? line.len + 1 : line.len);
		L->line++;
		span_trim(&line); /* also a CR of CRLF files */
		if (!line.len || line.p[0] == '#')
			continue;
		(void)rule_parse(L, line);
	}
	if (L->oom || sig_index_build(L->s) < 0) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < L->s->n_rules; i++)
		L->s->rules[i].pub.msg = L->s->text + L->s->rules[i].msg_off;
	L->s->stats.rules = (uint32_t)L->s->n_rules;
	tally_report(L);
	r = L->s->stats.malformed ? -EINVAL : 0;
	*ret = L->s;
	L->s = NULL;
out:
	sigset_free(L->s);
	free(L->ids);
	free(L);
	return r;
}

void sigset_get_stats(const struct sigset *s, struct sigset_stats *ret)
{
	*ret = s->stats;
}

size_t sigset_count(const struct sigset *s)
{
	return s->n_rules;
}

const struct sig *sigset_get(const struct sigset *s, size_t idx)
{
	return idx < s->n_rules ? &s->rules[idx].pub : NULL;
}
