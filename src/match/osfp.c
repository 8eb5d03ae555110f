/* SPDX-License-Identifier: GPL-2.0-or-later */
/* osfp.c - p0f and posf signature sets and SYN matching (see osfp.h).
 *
 * Storage: p0f entries in one array in file order; each belongs to a layout
 * (its option kinds in order, '.' being the empty layout) and the entries of a
 * layout are chained through `next` in file order. An open-addressing table
 * maps a layout to its chain, so a SYN is hashed once and compared only with
 * the entries that can match it (psad's 239 entries have 24 layouts; a plain
 * nmap SYN, "M", meets 63 of them: about 0.17 us per SYN with psad's and
 * vigil's sets loaded). Guess strings are interned once per set, so equal
 * guesses are equal pointers and de-duplication is a pointer compare.
 * posf entries are a small array scanned in order.
 */
#include "match/osfp.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "util/escape.h"
#include "util/span.h"

#define NONE UINT32_MAX

enum val_kind {
	VAL_ANY, /* '*' */
	VAL_EQ,  /* n */
	VAL_MOD, /* '%n' */
	VAL_MSS, /* 'Snn': n x MSS */
	VAL_MTU, /* 'Tnn': n x (MSS + IP and TCP headers) */
};

struct val {
	uint8_t kind; /* enum val_kind */
	uint32_t n;
};

/* p0f v2 quirks; the bit is the letter's index in quirk_letters. */
static const char quirk_letters[] = "PZIUXATFD!";
enum {
	QUIRK_P = 1 << 0, /* options past EOL */
	QUIRK_Z = 1 << 1, /* zero IP ID */
	QUIRK_I = 1 << 2, /* IP options */
	QUIRK_U = 1 << 3, /* urgent pointer */
	QUIRK_X = 1 << 4, /* reserved TCP bits */
	QUIRK_A = 1 << 5, /* ACK number on a SYN */
	QUIRK_T = 1 << 6, /* TSecr set on a SYN */
	QUIRK_F = 1 << 7, /* unusual flags: never on a SYN we look at */
	QUIRK_D = 1 << 8, /* payload */
	QUIRK_B = 1 << 9, /* '!' broken options: never, truncated options are skipped */
};

struct p0f_entry {
	struct val win, len, mss, ws; /* mss/ws: VAL_ANY unless the layout has M/W */
	uint8_t ttl;
	int8_t df;       /* -1 any, 0, 1 */
	int8_t ts;       /* -1 no T option, 0 'T' (TSval != 0), 1 'T0' */
	bool has_quirks; /* 10-field entry */
	uint16_t quirks;
	const char *name;
	uint32_t next; /* next entry of the same layout, NONE at the end */
};

struct layout {
	uint8_t n;
	uint8_t kinds[EVENT_TCPOPT_MAX];
	uint32_t head, tail;
};

struct posf_entry {
	const char *name;
	uint8_t numpkts, ttl;
	bool id_random; /* RANDOM, else SMALLINCR */
	uint16_t len, window;
};

struct osfp {
	unsigned max_hops;
	struct p0f_entry *p0f;
	uint32_t n_p0f, cap_p0f;
	struct layout *layouts;
	uint32_t n_layouts, cap_layouts;
	uint32_t *slots; /* layout index + 1, 0 = empty; n_slots is a power of two */
	uint32_t n_slots;
	struct posf_entry *posf;
	uint32_t n_posf, cap_posf;
	char **names;
	uint32_t n_names, cap_names;
	uint32_t errors;
};

struct osfp *osfp_new(unsigned max_hops)
{
	struct osfp *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->max_hops = max_hops == 0 ? OSFP_MAX_HOPS_DEFAULT : max_hops > 255 ? 255 : max_hops;
	return o;
}

struct osfp *osfp_free(struct osfp *o)
{
	if (!o)
		return NULL;
	for (uint32_t i = 0; i < o->n_names; i++)
		free(o->names[i]);
	free(o->names);
	free(o->p0f);
	free(o->layouts);
	free(o->slots);
	free(o->posf);
	free(o);
	return NULL;
}

void osfp_get_stats(const struct osfp *o, struct osfp_stats *ret)
{
	ret->p0f_entries = o->n_p0f;
	ret->posf_entries = o->n_posf;
	ret->errors = o->errors;
}

/* p itself when an element n fits in cap, else p grown (and *cap updated),
 * or NULL on OOM with p untouched. */
static void *grow(void *p, uint32_t n, uint32_t *cap, size_t sz)
{
	uint32_t ncap;
	void *q;

	if (n < *cap)
		return p;
	ncap = *cap ? *cap * 2 : 16;
	q = reallocarray(p, ncap, sz);
	if (q)
		*cap = ncap;
	return q;
}

/* The set's copy of s: equal strings give the same pointer. */
/* Names come from the file and end up in reports and diagnostics: they are
 * kept escaped (escape.h), so every later use may print them as they are. */
static const char *osfp_intern(struct osfp *o, const char *raw, size_t raw_len)
{
	char **names, *c, s[256];
	size_t n = escape_bytes(raw, raw_len, s, sizeof(s));

	for (uint32_t i = 0; i < o->n_names; i++)
		if (strncmp(o->names[i], s, n) == 0 && o->names[i][n] == '\0')
			return o->names[i];
	names = grow(o->names, o->n_names, &o->cap_names, sizeof(*o->names));
	if (!names)
		return NULL;
	o->names = names;
	c = strndup(s, n);
	if (!c)
		return NULL;
	o->names[o->n_names++] = c;
	return c;
}

/* ---- loading: lines, diagnostics ---------------------------------------- */

struct loader {
	struct osfp *o;
	const char *name;
	config_diag_fn *diag;
	void *data;
	unsigned bad;
};

__attribute__((format(printf, 3, 4))) static int load_error(struct loader *ld, unsigned line,
							      const char *fmt, ...)
{
	va_list ap;

	ld->bad++;
	ld->o->errors++;
	va_start(ap, fmt);
	config_vreport(ld->diag, ld->data, CONFIG_ERROR, ld->name, line, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Escaped copy of an untrusted token, short enough for a message. */
struct quoted {
	char s[64];
};

static struct quoted quote(struct span s)
{
	struct quoted q;

	(void)escape_bytes(s.p, s.len, q.s, sizeof(q.s));
	return q;
}

typedef int line_fn(struct loader *ld, unsigned lineno, struct span line);

/* Feed each significant line to fn; comments and blank lines are skipped,
 * NULs, control characters and overlong lines reported. */
static int load_lines(struct loader *ld, const char *buf, size_t len, line_fn *fn)
{
	struct span rest = span_make(buf, len);
	unsigned lineno = 0;

	while (rest.len) {
		const char *nl = memchr(rest.p, '\n', rest.len);
		struct span line = span_make(rest.p, nl ? (size_t)(nl - rest.p) : rest.len);
		bool ctrl = false;
		int r;

		span_skip(&rest, nl ? line.len + 1 : line.len);
		if (lineno < UINT32_MAX)
			lineno++;
		if (line.len > OSFP_LINE_MAX) {
			load_error(ld, lineno, "line longer than %d bytes", OSFP_LINE_MAX);
			continue;
		}
		if (memchr(line.p, '\0', line.len)) {
			load_error(ld, lineno, "NUL byte in line");
			continue;
		}
		span_trim(&line);
		if (!line.len || line.p[0] == '#')
			continue;
		for (size_t i = 0; i < line.len; i++) {
			unsigned char c = (unsigned char)line.p[i];
			ctrl |= (c < 0x20 && c != '\t') || c == 0x7f;
		}
		if (ctrl) {
			load_error(ld, lineno, "control character in line");
			continue;
		}
		r = fn(ld, lineno, line);
		if (r == -ENOMEM)
			return r;
	}
	return 0;
}

/* ---- p0f lines ----------------------------------------------------------- */

/* "*", "%n", "Snn"/"Tnn" (when st), or a number up to max. */
static int parse_val(struct span s, uint32_t max, bool st, struct val *ret)
{
	uint32_t n;
	int r;

	if (span_eq(s, "*", 1)) {
		*ret = (struct val){ VAL_ANY, 0 };
		return 0;
	}
	if (s.len && s.p[0] == '%') {
		r = span_to_small(span_make(s.p + 1, s.len - 1), max, &n);
		if (r == 0 && n == 0)
			r = -ERANGE;
		if (r == 0)
			*ret = (struct val){ VAL_MOD, n };
		return r;
	}
	if (st && s.len && (s.p[0] == 'S' || s.p[0] == 'T')) {
		r = span_to_small(span_make(s.p + 1, s.len - 1), UINT16_MAX, &n);
		if (r == 0 && n == 0)
			r = -ERANGE;
		if (r == 0)
			*ret = (struct val){ s.p[0] == 'S' ? VAL_MSS : VAL_MTU, n };
		return r;
	}
	r = span_to_small(s, max, &n);
	if (r == 0)
		*ret = (struct val){ VAL_EQ, n };
	return r;
}

static const char *val_error(int r)
{
	return r == -ERANGE ? "out of range" : "invalid";
}

/* One option token into kinds[*n] and e's value constraints. */
static int parse_opt(struct loader *ld, unsigned lineno, struct span tok, struct p0f_entry *e,
		     uint8_t *kinds, uint8_t *n, bool *seen_m, bool *seen_w)
{
	struct span arg = span_make(tok.p + 1, tok.len - 1);
	uint8_t kind;
	uint32_t v;
	int r = 0;

	if (*n >= EVENT_TCPOPT_MAX)
		return load_error(ld, lineno, "more than %d options", EVENT_TCPOPT_MAX);
	switch (tok.p[0]) {
	case 'N':
	case 'E':
	case 'S':
		if (tok.len != 1)
			goto bad;
		kind = tok.p[0] == 'N' ? TCPOPT_KIND_NOP : tok.p[0] == 'E' ? TCPOPT_KIND_EOL
									   : TCPOPT_KIND_SACKOK;
		break;
	case 'T':
		if (e->ts >= 0)
			return load_error(ld, lineno, "more than one T option");
		if (tok.len == 1)
			e->ts = 0;
		else if (span_eq(tok, "T0", 2))
			e->ts = 1;
		else
			goto bad;
		kind = TCPOPT_KIND_TS;
		break;
	case 'M':
	case 'W':
		if (*(tok.p[0] == 'M' ? seen_m : seen_w))
			return load_error(ld, lineno, "more than one %c option", tok.p[0]);
		r = parse_val(arg, tok.p[0] == 'M' ? UINT16_MAX : UINT8_MAX, false,
			      tok.p[0] == 'M' ? &e->mss : &e->ws);
		if (r < 0)
			goto bad;
		*(tok.p[0] == 'M' ? seen_m : seen_w) = true;
		kind = tok.p[0] == 'M' ? TCPOPT_KIND_MSS : TCPOPT_KIND_WS;
		break;
	case '?':
		r = span_to_small(arg, UINT8_MAX, &v);
		if (r < 0)
			goto bad;
		kind = (uint8_t)v;
		break;
	default:
		goto bad;
	}
	kinds[(*n)++] = kind;
	return 0;
bad:
	return load_error(ld, lineno, "%s option '%s'", val_error(r), quote(tok).s);
}

static int parse_opts(struct loader *ld, unsigned lineno, struct span s, struct p0f_entry *e,
		      uint8_t *kinds, uint8_t *ret_n)
{
	bool seen_m = false, seen_w = false;
	struct span tok;
	uint8_t n = 0;
	int r;

	*ret_n = 0;
	if (span_eq(s, ".", 1))
		return 0;
	if (!s.len)
		return load_error(ld, lineno, "empty options field (use '.' for none)");
	/* option (blanks [',' blanks] option)*: "M*,N" and "M* N" and "M*, N" */
	for (;;) {
		const char *p = s.p;
		while (p < s.p + s.len && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		tok = span_make(s.p, (size_t)(p - s.p));
		span_skip(&s, tok.len);
		span_trim_left(&s);
		if (s.len && s.p[0] == ',') {
			span_skip(&s, 1);
			span_trim_left(&s);
			if (!s.len)
				return load_error(ld, lineno, "empty option at the end");
		}
		if (!tok.len)
			return load_error(ld, lineno, "empty option before '%s'", quote(s).s);
		r = parse_opt(ld, lineno, tok, e, kinds, &n, &seen_m, &seen_w);
		if (r < 0)
			return r;
		/* the log parser stops at EOL: what follows is padding */
		if (kinds[n - 1] == TCPOPT_KIND_EOL || !s.len)
			break;
	}
	*ret_n = n;
	return 0;
}

static bool is_quirks(struct span s)
{
	if (span_eq(s, ".", 1))
		return true;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '.' || !memchr(quirk_letters, s.p[i], sizeof(quirk_letters) - 1))
			return false;
	return s.len > 0;
}

static uint16_t quirks_bits(struct span s)
{
	uint16_t q = 0;

	for (size_t i = 0; i < s.len; i++) {
		const char *c = memchr(quirk_letters, s.p[i], sizeof(quirk_letters) - 1);
		if (c)
			q |= (uint16_t)(1u << (c - quirk_letters));
	}
	return q;
}

static uint32_t layout_hash(const uint8_t *kinds, uint8_t n)
{
	uint32_t h = 2166136261u ^ n;

	for (uint8_t i = 0; i < n; i++)
		h = (h ^ kinds[i]) * 16777619u;
	return (h * 16777619u) ^ (h >> 15);
}

static const struct layout *layout_find(const struct osfp *o, const uint8_t *kinds, uint8_t n)
{
	uint32_t mask = o->n_slots - 1;

	if (!o->n_slots)
		return NULL;
	for (uint32_t i = layout_hash(kinds, n) & mask;; i = (i + 1) & mask) {
		uint32_t s = o->slots[i];
		if (!s)
			return NULL;
		const struct layout *l = &o->layouts[s - 1];
		if (l->n == n && memcmp(l->kinds, kinds, n) == 0)
			return l;
	}
}

static void slot_put(uint32_t *slots, uint32_t n_slots, const struct layout *l, uint32_t idx)
{
	uint32_t i = layout_hash(l->kinds, l->n) & (n_slots - 1);

	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = idx + 1;
}

/* Index of the layout kinds[n], created if new; -ENOMEM. */
static int64_t layout_get(struct osfp *o, const uint8_t *kinds, uint8_t n)
{
	const struct layout *found = layout_find(o, kinds, n);
	struct layout *l;

	if (found)
		return found - o->layouts;
	if ((o->n_layouts + 1) * 2 > o->n_slots) {
		uint32_t ns = o->n_slots ? o->n_slots * 2 : 64;
		uint32_t *slots = calloc(ns, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (uint32_t i = 0; i < o->n_layouts; i++)
			slot_put(slots, ns, &o->layouts[i], i);
		free(o->slots);
		o->slots = slots;
		o->n_slots = ns;
	}
	l = grow(o->layouts, o->n_layouts, &o->cap_layouts, sizeof(*o->layouts));
	if (!l)
		return -ENOMEM;
	o->layouts = l;
	l += o->n_layouts;
	memset(l, 0, sizeof(*l));
	l->n = n;
	memcpy(l->kinds, kinds, n);
	l->head = l->tail = NONE;
	slot_put(o->slots, o->n_slots, l, o->n_layouts);
	return o->n_layouts++;
}

static int p0f_add(struct osfp *o, const struct p0f_entry *e, const uint8_t *kinds, uint8_t n)
{
	int64_t li = layout_get(o, kinds, n);
	struct p0f_entry *arr;
	struct layout *l;

	if (li < 0)
		return (int)li;
	arr = grow(o->p0f, o->n_p0f, &o->cap_p0f, sizeof(*o->p0f));
	if (!arr)
		return -ENOMEM;
	o->p0f = arr;
	l = &o->layouts[li];
	o->p0f[o->n_p0f] = *e;
	o->p0f[o->n_p0f].next = NONE;
	if (l->head == NONE)
		l->head = o->n_p0f;
	else
		o->p0f[l->tail].next = o->n_p0f;
	l->tail = o->n_p0f++;
	return 0;
}

/* "OS:version" from the OS and version fields; p0f's '*' and '-' display
 * hints dropped, '@' kept. */
static int p0f_name(struct loader *ld, unsigned lineno, struct span os, struct span ver,
		    const char **ret)
{
	char buf[2 * OSFP_LINE_MAX + 2];

	if (os.len && (os.p[0] == '*' || os.p[0] == '-')) {
		span_skip(&os, 1);
		span_trim_left(&os);
	}
	if (!os.len || span_eq(os, "@", 1))
		return load_error(ld, lineno, "empty OS name");
	memcpy(buf, os.p, os.len);
	if (ver.len) {
		buf[os.len] = ':';
		memcpy(buf + os.len + 1, ver.p, ver.len);
	}
	*ret = osfp_intern(ld->o, buf, os.len + (ver.len ? ver.len + 1 : 0));
	return *ret ? 0 : -ENOMEM;
}

static int p0f_line(struct loader *ld, unsigned lineno, struct span line)
{
	struct p0f_entry e = { .df = -1, .ts = -1 };
	struct span f[11];
	uint8_t kinds[EVENT_TCPOPT_MAX], n_kinds;
	size_t nf = 0, os_field = 5;
	uint32_t v;
	int r;

	while (nf < 11) {
		const char *c = memchr(line.p, ':', line.len);
		f[nf] = span_make(line.p, c ? (size_t)(c - line.p) : line.len);
		span_skip(&line, c ? f[nf].len + 1 : line.len);
		span_trim(&f[nf]);
		nf++;
		if (!c)
			break;
	}
	if (nf == 10 && is_quirks(f[5])) {
		e.has_quirks = true;
		e.quirks = quirks_bits(f[5]);
		os_field = 6;
	} else if (nf != 9) {
		return load_error(ld, lineno, "expected 9 ':'-separated fields (10 with quirks), got %s%zu",
				  nf == 11 ? "more than " : "", nf == 11 ? (size_t)10 : nf);
	}
	if (ld->o->n_p0f >= OSFP_ENTRIES_MAX)
		return load_error(ld, lineno, "more than %d p0f entries", OSFP_ENTRIES_MAX);

	r = parse_val(f[0], UINT16_MAX, true, &e.win);
	if (r < 0)
		return load_error(ld, lineno, "%s window '%s'", val_error(r), quote(f[0]).s);
	r = span_to_small(f[1], UINT8_MAX, &v);
	if (r == 0 && v == 0)
		r = -ERANGE;
	if (r < 0)
		return load_error(ld, lineno, "%s TTL '%s'", val_error(r), quote(f[1]).s);
	e.ttl = (uint8_t)v;
	if (span_eq(f[2], "0", 1) || span_eq(f[2], "1", 1))
		e.df = (int8_t)(f[2].p[0] - '0');
	else if (!span_eq(f[2], "*", 1))
		return load_error(ld, lineno, "invalid DF '%s' (0, 1 or *)", quote(f[2]).s);
	r = parse_val(f[3], UINT16_MAX, false, &e.len);
	if (r < 0)
		return load_error(ld, lineno, "%s length '%s'", val_error(r), quote(f[3]).s);

	r = parse_opts(ld, lineno, f[4], &e, kinds, &n_kinds);
	if (r < 0)
		return r;
	r = p0f_name(ld, lineno, f[os_field], f[os_field + 1], &e.name);
	if (r < 0)
		return r;
	return p0f_add(ld->o, &e, kinds, n_kinds);
}

int osfp_load_p0f_buf(struct osfp *o, const char *name, const char *buf, size_t len,
		      config_diag_fn *diag, void *data)
{
	struct loader ld = { .o = o, .name = name, .diag = diag, .data = data };
	int r = load_lines(&ld, buf, len, p0f_line);

	if (r < 0)
		return r;
	return ld.bad ? -EINVAL : 0;
}

/* ---- posf blocks ---------------------------------------------------------- */

enum {
	POSF_NUMPKTS = 1 << 0,
	POSF_TOS = 1 << 1,
	POSF_LEN = 1 << 2,
	POSF_TTL = 1 << 3,
	POSF_ID = 1 << 4,
	POSF_WINDOW = 1 << 5,
	POSF_REQUIRED = POSF_NUMPKTS | POSF_LEN | POSF_TTL | POSF_ID | POSF_WINDOW,
};

struct posf_loader {
	struct loader ld;
	bool open;     /* an OS line started a block */
	bool broken;   /* a line of the block was bad: drop it without more noise */
	unsigned line; /* of the OS line */
	unsigned have; /* POSF_* seen */
	struct posf_entry e;
};

static int posf_finish(struct posf_loader *pl)
{
	static const char *const names[] = { "NUMPKTS", "TOS", "LEN", "TTL", "ID", "WINDOW" };
	unsigned missing = POSF_REQUIRED & ~pl->have;
	struct osfp *o = pl->ld.o;
	struct posf_entry *arr;

	if (!pl->open)
		return 0;
	pl->open = false;
	if (pl->broken)
		return 0;
	if (missing) {
		int i = __builtin_ctz(missing);
		return load_error(&pl->ld, pl->line, "posf entry '%s' has no %s", pl->e.name,
				  names[i]);
	}
	if (o->n_posf >= OSFP_ENTRIES_MAX)
		return load_error(&pl->ld, pl->line, "more than %d posf entries", OSFP_ENTRIES_MAX);
	arr = grow(o->posf, o->n_posf, &o->cap_posf, sizeof(*o->posf));
	if (!arr)
		return -ENOMEM;
	o->posf = arr;
	o->posf[o->n_posf++] = pl->e;
	return 0;
}

static int posf_value(struct posf_loader *pl, unsigned bit, struct span val)
{
	uint32_t v;
	int r;

	switch (bit) {
	case POSF_NUMPKTS:
		r = span_to_small(val, POSF_OBS_PKTS_MAX, &v);
		if (r == 0 && v == 0)
			r = -ERANGE;
		pl->e.numpkts = (uint8_t)v;
		return r;
	case POSF_TOS:
		/* psad ignores TOS; it is still checked to be a byte */
		r = span_hex_to_u32(val, &v);
		return r == 0 && v > UINT8_MAX ? -ERANGE : r;
	case POSF_LEN:
	case POSF_WINDOW:
		r = span_to_small(val, UINT16_MAX, &v);
		*(bit == POSF_LEN ? &pl->e.len : &pl->e.window) = (uint16_t)v;
		return r;
	case POSF_TTL:
		r = span_to_small(val, UINT8_MAX, &v);
		if (r == 0 && v == 0)
			r = -ERANGE;
		pl->e.ttl = (uint8_t)v;
		return r;
	default: /* POSF_ID */
		if (span_eq(val, "SMALLINCR", 9))
			pl->e.id_random = false;
		else if (span_eq(val, "RANDOM", 6))
			pl->e.id_random = true;
		else
			return -EINVAL;
		return 0;
	}
}

static int posf_line(struct loader *ld, unsigned lineno, struct span line)
{
	static const char *const keys[] = { "NUMPKTS", "TOS", "LEN", "TTL", "ID", "WINDOW" };
	struct posf_loader *pl = (struct posf_loader *)ld;
	struct span key = line, val;
	unsigned bit = 0;
	const char *sp;
	int r;

	sp = span_chr(key, ';'); /* "TTL 64;": ';' ends the value, and is optional */
	if (sp)
		key.len = (size_t)(sp - key.p);
	span_trim(&key);
	sp = key.p;
	while (sp < key.p + key.len && *sp != ' ' && *sp != '\t')
		sp++;
	val = span_make(sp, key.len - (size_t)(sp - key.p));
	key.len = (size_t)(sp - key.p);
	span_trim(&val);

	if (span_eq_nocase(key, "OS")) {
		r = posf_finish(pl);
		if (r == -ENOMEM)
			return r;
		memset(&pl->e, 0, sizeof(pl->e));
		pl->open = true;
		pl->broken = false;
		pl->have = 0;
		pl->line = lineno;
		if (!val.len) {
			pl->broken = true;
			return load_error(ld, lineno, "empty OS name");
		}
		pl->e.name = osfp_intern(ld->o, val.p, val.len);
		return pl->e.name ? 0 : -ENOMEM;
	}
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (span_eq_nocase(key, keys[i]))
			bit = 1u << i;
	if (!bit)
		return load_error(ld, lineno, "unknown posf key '%s'", quote(key).s);
	if (!pl->open)
		return load_error(ld, lineno, "%s before the first OS line", quote(key).s);
	if (pl->have & bit) {
		pl->broken = true;
		return load_error(ld, lineno, "%s given twice in one entry", quote(key).s);
	}
	pl->have |= bit;
	r = posf_value(pl, bit, val);
	if (r < 0) {
		pl->broken = true;
		return load_error(ld, lineno, "%s %s '%s'", val_error(r), quote(key).s,
				  quote(val).s);
	}
	return 0;
}

int osfp_load_posf_buf(struct osfp *o, const char *name, const char *buf, size_t len,
		       config_diag_fn *diag, void *data)
{
	struct posf_loader pl = { .ld = { .o = o, .name = name, .diag = diag, .data = data } };
	int r = load_lines(&pl.ld, buf, len, posf_line);

	if (r == 0)
		r = posf_finish(&pl);
	if (r == -ENOMEM)
		return r;
	return pl.ld.bad ? -EINVAL : 0;
}

/* ---- matching ------------------------------------------------------------- */

/* The IPv4-style length: nf_log's IPv6 LEN counts the 40-byte header. */
static int syn_len(const struct event *ev)
{
	int64_t len = event_is_v6(ev) ? (int64_t)ev->ip_len - 20 : (int64_t)ev->ip_len;

	return len > INT_MAX ? INT_MAX : (int)len; /* LEN= is 32-bit (BIG TCP) */
}

static uint16_t packet_quirks(const struct event *ev)
{
	const struct tcp_opts *t = &ev->tcp_opts;
	bool v6 = event_is_v6(ev);
	uint16_t q = 0;
	int payload;

	if (t->past_eol)
		q |= QUIRK_P;
	if (!v6 && ev->ip_id == 0)
		q |= QUIRK_Z;
	if (!v6 && (ev->ip_opt_len || ev->ip_opt_bad))
		q |= QUIRK_I;
	if (ev->urgp)
		q |= QUIRK_U;
	if (ev->res)
		q |= QUIRK_X;
	if (ev->has_seq && ev->ack)
		q |= QUIRK_A;
	if (t->has_ts && t->tsecr)
		q |= QUIRK_T;
	payload = syn_len(ev) - 40 - (int)ev->tcp_opt_len - (v6 ? 0 : (int)ev->ip_opt_len);
	if (payload > 0 && !(v6 && ev->v6_ext.len))
		q |= QUIRK_D;
	return q;
}

static bool val_match(const struct val *v, uint32_t x)
{
	switch (v->kind) {
	case VAL_ANY:
		return true;
	case VAL_EQ:
		return x == v->n;
	case VAL_MOD:
		return x % v->n == 0;
	default:
		return false;
	}
}

static bool window_match(const struct p0f_entry *e, const struct event *ev)
{
	const struct tcp_opts *t = &ev->tcp_opts;

	if (e->win.kind == VAL_MSS)
		return t->has_mss && (uint32_t)ev->window == e->win.n * t->mss;
	if (e->win.kind == VAL_MTU)
		return t->has_mss &&
		       (uint32_t)ev->window == e->win.n * (t->mss + (event_is_v6(ev) ? 60u : 40u));
	return val_match(&e->win, ev->window);
}

struct syn {
	const struct event *ev;
	bool v6;
	bool has_quirks; /* quirks computed: only 10-field entries need them */
	int len;
	uint16_t quirks;
};

static bool entry_match(const struct p0f_entry *e, struct syn *s, unsigned max_hops)
{
	const struct event *ev = s->ev;
	const struct tcp_opts *t = &ev->tcp_opts;

	if (ev->ttl > e->ttl || (int)ev->ttl <= (int)e->ttl - (int)max_hops)
		return false;
	if (!s->v6 && e->df >= 0 && !!(ev->ip_flags & IPF_DF) != e->df)
		return false;
	if (s->len < 0 || !val_match(&e->len, (uint32_t)s->len) || !window_match(e, ev))
		return false;
	if (e->mss.kind != VAL_ANY && (!t->has_mss || !val_match(&e->mss, t->mss)))
		return false;
	if (e->ws.kind != VAL_ANY && (!t->has_ws || !val_match(&e->ws, t->wscale)))
		return false;
	if (e->ts >= 0 && (!t->has_ts || (t->tsval == 0) != (e->ts == 1)))
		return false;
	if (!e->has_quirks)
		return true;
	if (!s->has_quirks) {
		s->quirks = packet_quirks(ev);
		s->has_quirks = true;
	}
	return e->quirks == s->quirks;
}

size_t osfp_match_p0f(const struct osfp *o, const struct event *ev, const char **ret_guesses,
		      size_t max)
{
	static const uint8_t none[1];
	const struct layout *l;
	struct syn s;
	size_t n = 0;

	if (!o || !max || !event_is_syn(ev))
		return 0;
	s = (struct syn){ .ev = ev, .v6 = event_is_v6(ev), .len = syn_len(ev) };
	if (ev->has_tcp_opts) {
		if (ev->tcp_opts.truncated)
			return 0;
		l = layout_find(o, ev->tcp_opts.kinds, ev->tcp_opts.count);
	} else {
		/* 40 bytes of IPv4 and TCP header leave no room for options */
		if (s.len != 40 || (s.v6 && ev->v6_ext.len))
			return 0;
		l = layout_find(o, none, 0);
	}
	if (!l)
		return 0;
	for (uint32_t i = l->head; i != NONE && n < max; i = o->p0f[i].next) {
		const struct p0f_entry *e = &o->p0f[i];
		bool dup = false;

		if (!entry_match(e, &s, o->max_hops))
			continue;
		for (size_t k = 0; k < n && !dup; k++)
			dup = ret_guesses[k] == e->name;
		if (!dup)
			ret_guesses[n++] = e->name;
	}
	return n;
}

/* ---- posf ------------------------------------------------------------------ */

static void obs_add(uint16_t *set, uint8_t *n, uint16_t v)
{
	for (uint8_t i = 0; i < *n; i++)
		if (set[i] == v)
			return;
	if (*n < POSF_OBS_VALUES)
		set[(*n)++] = v;
}

static bool obs_has(const uint16_t *set, uint8_t n, uint16_t v)
{
	for (uint8_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

void osfp_posf_observe(struct posf_obs *obs, const struct event *ev)
{
	bool v6 = event_is_v6(ev);
	int len = syn_len(ev);

	if (!event_is_syn(ev) || ev->has_tcp_opts || obs->pkts >= POSF_OBS_PKTS_MAX)
		return;
	if (len < 0 || (obs->pkts && v6 != obs->v6))
		return;
	if (obs->pkts == 0) {
		obs->v6 = v6;
		obs->ttl_min = obs->ttl_max = ev->ttl;
	} else {
		uint16_t step = (uint16_t)(ev->ip_id - obs->last_id);
		if (step == 0 || step >= 1000)
			obs->id_not_smallincr = true;
		if (ev->ttl < obs->ttl_min)
			obs->ttl_min = ev->ttl;
		if (ev->ttl > obs->ttl_max)
			obs->ttl_max = ev->ttl;
	}
	obs->last_id = ev->ip_id;
	obs_add(obs->win, &obs->n_win, ev->window);
	obs_add(obs->len, &obs->n_len, (uint16_t)len);
	obs->pkts++;
}

const char *osfp_posf_guess(const struct osfp *o, const struct posf_obs *obs)
{
	if (!o || !obs->pkts)
		return NULL;
	for (uint32_t i = 0; i < o->n_posf; i++) {
		const struct posf_entry *e = &o->posf[i];

		if (obs->pkts < e->numpkts || !obs_has(obs->win, obs->n_win, e->window) ||
		    !obs_has(obs->len, obs->n_len, e->len))
			continue;
		if (obs->ttl_max > e->ttl || (int)obs->ttl_min <= (int)e->ttl - (int)o->max_hops)
			continue;
		/* one SYN says nothing about its IDs */
		if (!obs->v6 && obs->pkts >= 2 && e->id_random != obs->id_not_smallincr)
			continue;
		return e->name;
	}
	return NULL;
}
