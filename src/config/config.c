/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.c - load vigil.conf or a psad.conf (see config.h).
 *
 * Grammar (psad.conf, psad-behaviour.md sections 9-10): one `KEY  value;`
 * per line; the first ';' ends the value and starts a comment; '#' lines and
 * blank lines are ignored; keys are letters, digits and '_' (psad's command
 * keys are lower-case: iptablesCmd). A value may be wrapped in double quotes,
 * which are stripped (a quoted FW_MSG_SEARCH value is one literal string).
 *
 * Loading reads the buffer twice: first quietly, to collect and index every
 * statement (a $NAME may refer to a later line), then again to report bad
 * lines and apply the statements, so that diagnostics come in line order.
 * As in psad the first definition of a key wins; later ones are reported.
 * FW_MSG_SEARCH may repeat and accumulates.
 *
 * $NAME in a value is replaced by the value of NAME: its first definition in
 * the file, else the current value of a key vigil reads. Substitution runs in
 * passes like psad's (what a pass produces is expanded by the next), at most
 * CONF_EXPAND_PASSES, and every result is capped at CONF_LINE_MAX bytes, so
 * a cycle or an exponential chain of references ends in an error, never in
 * unbounded work. Only the values of keys vigil reads are expanded: psad keys
 * vigil ignores may reference variables vigil does not know (REPUTATION_FEED
 * uses $LOCAL_FILE) and must not make the load fail.
 *
 * Limits: CONF_FILE_MAX bytes per file, CONF_LINE_MAX per line; no VLAs,
 * no recursion; memory is allocated per load and freed before returning.
 */
#include "config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/keys.h"
#include "event/event.h"
#include "util/escape.h"

/* --- diagnostics, text, files --- */

void conf_src_init(struct conf_src *src, const char *name, const char *buf, size_t len,
		   config_diag_fn *diag, void *data)
{
	*src = (struct conf_src){
		.name = name, .rest = span_make(buf, len), .diag = diag, .data = data,
	};
}

void conf_report(struct conf_src *src, enum config_severity sev, unsigned line, const char *fmt,
		 ...)
{
	va_list ap;

	if (sev == CONFIG_ERROR)
		src->n_errors++;
	va_start(ap, fmt);
	config_vreport(src->diag, src->data, sev, src->name, line, fmt, ap);
	va_end(ap);
}

void config_vreport(config_diag_fn *diag, void *data, enum config_severity sev, const char *file,
		    unsigned line, const char *fmt, va_list ap)
{
	struct config_diag d = { .severity = sev, .file = file, .line = line };

	if (!diag)
		return;
	(void)vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	diag(&d, data);
}

const char *conf_esc(struct span s, char buf[CONF_ESC_MAX])
{
	escape_bytes(s.p, s.len, buf, CONF_ESC_MAX);
	return buf;
}

void conf_text_init(struct conf_text *t, char *buf, size_t size)
{
	*t = (struct conf_text){ .p = buf, .size = size };
	buf[0] = '\0';
}

void conf_text_put(struct conf_text *t, const char *s, size_t n)
{
	if (t->overflow || n >= t->size - t->len) {
		t->overflow = true;
		return;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void conf_text_puts(struct conf_text *t, const char *s)
{
	conf_text_put(t, s, strlen(s));
}

void conf_text_printf(struct conf_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->size - t->len) {
		t->overflow = true;
		t->p[t->len] = '\0';
		return;
	}
	t->len += (size_t)n;
}

bool conf_list_next(struct span *rest, struct span *ret)
{
	if (!rest->p)
		return false;
	const char *c = span_chr(*rest, ',');
	if (c) {
		*ret = span_make(rest->p, (size_t)(c - rest->p));
		span_skip(rest, (size_t)(c - rest->p) + 1);
	} else {
		*ret = *rest;
		*rest = span_make(NULL, 0);
	}
	span_trim(ret);
	return true;
}

/* Read fd to its end, at most max + 1 bytes (one more than allowed, so
 * that the caller can tell a file that is too large). */
static int read_all(int fd, size_t hint, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = hint > 0 && hint < max ? hint + 1 : 4096;
	char *buf = malloc(cap), *nbuf;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap > max)
				break;
			cap = cap > max / 2 ? max + 1 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

int conf_read_file(const char *path, size_t max, config_diag_fn *diag, void *data,
		   char **ret_buf, size_t *ret_len)
{
	struct conf_src src;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, r;

	conf_src_init(&src, path, NULL, 0, diag, data);
	/* O_NONBLOCK: opening a FIFO must not hang; it is rejected below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		conf_report(&src, CONFIG_ERROR, 0, "not a regular file");
		r = -EINVAL;
		goto out_close;
	}
	r = read_all(fd, st.st_size > 0 ? (size_t)st.st_size : 0, max, &buf, &len);
	if (r < 0)
		goto out_close;
	if (len > max) {
		conf_report(&src, CONFIG_ERROR, 0, "file too large (more than %zu bytes)", max);
		free(buf);
		r = -EFBIG;
		goto out_close;
	}
	*ret_buf = buf;
	*ret_len = len;
	r = 0;
out_close:
	close(fd);
	return r;
}

int config_read_file(const char *path, size_t max, config_diag_fn *diag, void *data,
		     char **ret_buf, size_t *ret_len)
{
	return conf_read_file(path, max, diag, data, ret_buf, ret_len);
}

/* --- the statement reader --- */


static bool stmt_from_line(struct conf_src *src, struct span line, struct span *ret)
{
	const char *nul, *semi;
	struct span s = line;
	size_t bad;

	if (line.len > CONF_LINE_MAX) {
		conf_report(src, CONFIG_ERROR, src->lineno, "line too long (%zu bytes, max %d)",
			    line.len, CONF_LINE_MAX);
		return false;
	}
	nul = line.len ? memchr(line.p, '\0', line.len) : NULL;
	if (nul) {
		conf_report(src, CONFIG_ERROR, src->lineno, "NUL byte at column %zu",
			    (size_t)(nul - line.p) + 1);
		return false;
	}
	span_trim(&s);
	if (!s.len || s.p[0] == '#')
		return false;
	semi = span_chr(s, ';');
	if (!semi) {
		conf_report(src, CONFIG_ERROR, src->lineno, "expected ';' after value");
		return false;
	}
	s.len = (size_t)(semi - s.p);
	span_trim(&s);
	if (!s.len) {
		conf_report(src, CONFIG_ERROR, src->lineno, "nothing before ';'");
		return false;
	}
	bad = span_text_invalid_at(s);
	if (bad < s.len) {
		conf_report(src, CONFIG_ERROR, src->lineno, "invalid byte 0x%02x at column %zu",
			    (unsigned char)s.p[bad], (size_t)(s.p + bad - line.p) + 1);
		return false;
	}
	*ret = s;
	return true;
}

bool conf_next_stmt(struct conf_src *src, struct span *ret_stmt)
{
	while (src->rest.len) {
		const char *nl = memchr(src->rest.p, '\n', src->rest.len);
		size_t n = nl ? (size_t)(nl - src->rest.p) : src->rest.len;
		struct span line = span_make(src->rest.p, n);

		span_skip(&src->rest, nl ? n + 1 : n);
		src->lineno++;
		if (stmt_from_line(src, line, ret_stmt))
			return true;
	}
	return false;
}

/* --- the loader --- */

struct entry {
	struct span key, val; /* point into the caller's buffer */
	unsigned line;
	bool quoted;
};

struct name_ix {
	struct span key;
	size_t idx;
};

struct loader {
	struct conf_src src;
	struct config *cfg;
	struct config *base;    /* cfg before this file: $KEY fallback, ladder reverts */
	struct entry *ents;     /* statements in file order */
	size_t n_ents, cap_ents;
	struct name_ix *names;  /* ents sorted by key, then file order */
	unsigned *key_line;     /* per conf_keys[]: line of the first definition, 0 if none */
	char *xbuf[2];          /* $ expansion passes, CONF_LINE_MAX + 1 each */
	char *deflt;            /* a current value being formatted for $KEY */
	bool fw_msg_seen;       /* FW_MSG_SEARCH applied: later lines append */
};

static bool is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Split a statement into key and value. False (and *ret untouched) when the
 * key is not made of letters, digits and '_'. */
static bool parse_stmt(struct span st, unsigned line, struct entry *ret)
{
	struct entry e = { .line = line };
	size_t i = 0;

	while (i < st.len && st.p[i] != ' ' && st.p[i] != '\t')
		i++;
	e.key = span_make(st.p, i);
	for (size_t k = 0; k < e.key.len; k++)
		if (!is_word(e.key.p[k]))
			return false;
	e.val = span_make(st.p + i, st.len - i);
	span_trim(&e.val);
	if (e.val.len >= 2 && e.val.p[0] == '"' && e.val.p[e.val.len - 1] == '"') {
		e.val = span_make(e.val.p + 1, e.val.len - 2);
		e.quoted = true;
	}
	*ret = e;
	return true;
}

static int add_entry(struct loader *L, const struct entry *e)
{
	if (L->n_ents == L->cap_ents) {
		size_t cap = L->cap_ents ? L->cap_ents * 2 : 64;
		struct entry *n = realloc(L->ents, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		L->ents = n;
		L->cap_ents = cap;
	}
	L->ents[L->n_ents++] = *e;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;
	size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
	int c = n ? memcmp(x->key.p, y->key.p, n) : 0;

	if (c)
		return c;
	if (x->key.len != y->key.len)
		return x->key.len < y->key.len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int index_names(struct loader *L)
{
	if (!L->n_ents)
		return 0;
	L->names = calloc(L->n_ents, sizeof(*L->names));
	if (!L->names)
		return -ENOMEM;
	for (size_t i = 0; i < L->n_ents; i++)
		L->names[i] = (struct name_ix){ L->ents[i].key, i };
	qsort(L->names, L->n_ents, sizeof(*L->names), name_cmp);
	return 0;
}

/* Index of the first statement defining name, or -1. */
static long first_def(const struct loader *L, struct span name)
{
	struct name_ix want = { name, 0 };
	size_t lo = 0, hi = L->n_ents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (name_cmp(&L->names[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < L->n_ents && span_eq(L->names[lo].key, name.p, name.len))
		return (long)L->names[lo].idx;
	return -1;
}

/* The next $NAME in v at or after *off; *off moves past it. */
static bool next_ref(struct span v, size_t *off, struct span *ret_name)
{
	for (size_t i = *off; i + 1 < v.len; i++) {
		if (v.p[i] != '$' || !is_word(v.p[i + 1]))
			continue;
		size_t j = i + 1;
		while (j < v.len && is_word(v.p[j]))
			j++;
		*ret_name = span_make(v.p + i + 1, j - i - 1);
		*off = j;
		return true;
	}
	*off = v.len;
	return false;
}

/* The text a $NAME stands for; may point into L->deflt until the next call. */
static int var_value(struct loader *L, struct span name, struct span *ret)
{
	long i = first_def(L, name);
	const struct key *k;
	struct conf_text t;

	if (i >= 0) {
		*ret = L->ents[i].val;
		return 0;
	}
	k = conf_key_find(name);
	if (!k)
		return -ENOENT;
	conf_text_init(&t, L->deflt, CONF_LINE_MAX + 1);
	k->fmt(k, L->base, &t);
	if (t.overflow)
		return -E2BIG;
	*ret = span_make(t.p, t.len);
	return 0;
}

/* After CONF_EXPAND_PASSES: say why, naming a cycle among the first
 * definitions reachable from entry ei if there is one. Depth-first search
 * with an explicit stack (each entry is pushed at most once). */
static void report_deep(struct loader *L, size_t ei, const char *kname)
{
	enum { WHITE, GRAY, BLACK };
	struct frame {
		size_t ent, off;
	} *stack = malloc((L->n_ents + 1) * sizeof(*stack));
	unsigned char *color = calloc(L->n_ents, 1);
	char path[200], esc[CONF_ESC_MAX];
	struct conf_text t;
	size_t sp = 0;
	bool found = false;

	conf_text_init(&t, path, sizeof(path));
	if (stack && color) {
		stack[sp++] = (struct frame){ ei, 0 };
		color[ei] = GRAY;
	}
	while (sp && !found) {
		struct frame *top = &stack[sp - 1];
		struct span ref;
		if (!next_ref(L->ents[top->ent].val, &top->off, &ref)) {
			color[top->ent] = BLACK;
			sp--;
			continue;
		}
		long to = first_def(L, ref);
		if (to < 0 || color[to] == BLACK)
			continue;
		if (color[to] == WHITE) {
			color[to] = GRAY;
			stack[sp++] = (struct frame){ (size_t)to, 0 };
			continue;
		}
		/* gray: on the stack, so the stack from it to the top is a cycle */
		size_t from = sp - 1;
		while (stack[from].ent != (size_t)to)
			from--;
		for (size_t k = from; k < sp; k++) {
			conf_text_puts(&t, conf_esc(L->ents[stack[k].ent].key, esc));
			conf_text_puts(&t, " -> ");
		}
		conf_text_puts(&t, conf_esc(L->ents[to].key, esc));
		found = true;
	}
	if (found)
		conf_report(&L->src, CONFIG_ERROR, L->ents[ei].line, "$ reference cycle in %s: %s%s",
			    kname, path, t.overflow ? "..." : "");
	else
		conf_report(&L->src, CONFIG_ERROR, L->ents[ei].line,
			    "$ references in %s are nested more than %d levels deep", kname,
			    CONF_EXPAND_PASSES);
	free(stack);
	free(color);
}

static int put(char *out, size_t *o, const char *p, size_t n)
{
	if (n > CONF_LINE_MAX - *o)
		return -E2BIG;
	if (n)
		memcpy(out + *o, p, n);
	*o += n;
	return 0;
}

/* Expand the $NAMEs of entry ei; *ret points into the file or L->xbuf. */
static int expand(struct loader *L, size_t ei, const char *kname, struct span *ret)
{
	struct span cur = L->ents[ei].val, name, val;
	char esc[CONF_ESC_MAX];
	int r;

	for (int pass = 0;; pass++) {
		size_t off = 0, o = 0, i = 0;
		char *out = L->xbuf[pass & 1];

		if (!next_ref(cur, &off, &name)) {
			*ret = cur;
			return 0;
		}
		if (pass == CONF_EXPAND_PASSES) {
			report_deep(L, ei, kname);
			return -EINVAL;
		}
		while (i < cur.len) {
			size_t end = i;
			bool more = next_ref(cur, &end, &name);
			size_t dollar = more ? (size_t)(name.p - 1 - cur.p) : cur.len;

			if (put(out, &o, cur.p + i, dollar - i) < 0)
				goto too_long;
			if (!more)
				break;
			r = var_value(L, name, &val);
			if (r == -ENOENT) {
				conf_report(&L->src, CONFIG_ERROR, L->ents[ei].line,
					    "unknown variable '$%s' in %s", conf_esc(name, esc), kname);
				return -EINVAL;
			}
			if (r < 0)
				goto too_long;
			/* psad: "$INSTALL_ROOT/var" with INSTALL_ROOT "/" is "/var", not "//var" */
			if (val.len && val.p[val.len - 1] == '/' && end < cur.len && cur.p[end] == '/')
				val.len--;
			if (put(out, &o, val.p, val.len) < 0)
				goto too_long;
			i = end;
		}
		cur = span_make(out, o);
	}
too_long:
	conf_report(&L->src, CONFIG_ERROR, L->ents[ei].line,
		    "value of %s is longer than %d bytes after $ expansion", kname, CONF_LINE_MAX);
	return -EINVAL;
}

/* Signature rules name networks and ports by variable ($HTTP_PORTS,
 * $SQL_SERVERS, $AIM_SERVERS): psad.conf defines them as keys ending in
 * _PORTS, _SERVERS or _NET. Their values are kept as text; the signature
 * loader parses them where a rule uses them. */
static bool is_sig_var(struct span name)
{
	static const char *const ends[] = { "_PORTS", "_SERVERS", "_NET" };

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t n = strlen(ends[i]);
		if (name.len > n && memcmp(name.p + name.len - n, ends[i], n) == 0)
			return true;
	}
	return false;
}

static void apply_sig_var(struct loader *L, size_t ei, const char *kname)
{
	const struct entry *e = &L->ents[ei];
	struct config *cfg = L->cfg;
	struct config_var *v;
	struct span val;

	if (e->key.len >= CONFIG_SIGVAR_NAME_MAX) {
		conf_report(&L->src, CONFIG_ERROR, e->line, "variable name %s is too long", kname);
		return;
	}
	v = NULL;
	for (size_t i = 0; i < cfg->n_sig_vars && !v; i++)
		if (span_eq(e->key, cfg->sig_vars[i].name, strlen(cfg->sig_vars[i].name)))
			v = &cfg->sig_vars[i]; /* a built-in default, or a file loaded earlier */
	if (!v && cfg->n_sig_vars >= CONFIG_SIGVARS_MAX) {
		conf_report(&L->src, CONFIG_ERROR, e->line,
			    "more than %d signature variables, %s ignored", CONFIG_SIGVARS_MAX, kname);
		return;
	}
	if (expand(L, ei, kname, &val) < 0)
		return;
	if (val.len >= CONFIG_SIGVAR_VALUE_MAX) {
		conf_report(&L->src, CONFIG_ERROR, e->line, "value of %s is longer than %d bytes",
			    kname, CONFIG_SIGVAR_VALUE_MAX - 1);
		return;
	}
	if (!v)
		v = &cfg->sig_vars[cfg->n_sig_vars++];
	memcpy(v->name, e->key.p, e->key.len);
	v->name[e->key.len] = '\0';
	memcpy(v->value, val.p, val.len);
	v->value[val.len] = '\0';
}

const char *config_sig_var(const struct config *cfg, const char *name, size_t len)
{
	for (size_t i = 0; i < cfg->n_sig_vars; i++) {
		const struct config_var *v = &cfg->sig_vars[i];
		if (strlen(v->name) == len && memcmp(v->name, name, len) == 0)
			return v->value;
	}
	return NULL;
}

static void apply_entry(struct loader *L, size_t ei)
{
	const struct entry *e = &L->ents[ei];
	const struct key *k = conf_key_find(e->key);
	char kname[CONF_ESC_MAX], esc[CONF_ESC_MAX], reason[256];
	struct key_val kv;
	size_t ki;
	int r;

	conf_esc(e->key, kname);
	if (!k) {
		if (first_def(L, e->key) != (long)ei)
			return; /* reported once per key */
		if (is_sig_var(e->key)) {
			apply_sig_var(L, ei, kname);
			return;
		}
		const char *effect = conf_key_is_psad(e->key) ? conf_psad_key_effect(e->key, e->val)
							      : NULL;
		if (effect)
			conf_report(&L->src, CONFIG_WARNING, e->line,
				    "psad key '%s' changes psad's results and is not implemented: %s",
				    kname, effect);
		else if (conf_key_is_psad(e->key))
			conf_report(&L->src, CONFIG_NOTE, e->line,
				    "psad key '%s' is not used by vigil, ignoring", kname);
		else
			conf_report(&L->src, CONFIG_WARNING, e->line, "unknown key '%s', ignoring",
				    kname);
		return;
	}
	ki = (size_t)(k - conf_keys);
	if (L->key_line[ki] && !(k->flags & KEY_REPEATABLE)) {
		conf_report(&L->src, CONFIG_WARNING, e->line,
			    "duplicate %s, first definition at line %u is used", kname,
			    L->key_line[ki]);
		return;
	}
	if (!L->key_line[ki])
		L->key_line[ki] = e->line;
	if (!e->val.len && !e->quoted) {
		conf_report(&L->src, CONFIG_ERROR, e->line, "missing value for %s", kname);
		return;
	}
	kv = (struct key_val){ .quoted = e->quoted, .append = L->fw_msg_seen };
	if (expand(L, ei, kname, &kv.s) < 0)
		return;
	r = k->set(k, L->cfg, kv, reason, sizeof(reason));
	if (r < 0) {
		conf_report(&L->src, CONFIG_ERROR, e->line, "bad value '%s' for %s: %s",
			    conf_esc(kv.s, esc), kname, reason);
		return;
	}
	if (r > 0) /* stored, but not all of it can be honoured */
		conf_report(&L->src, CONFIG_WARNING, e->line, "%s: %s", kname, reason);
	if (k->flags & KEY_REPEATABLE)
		L->fw_msg_seen = true;
}

/* DANGER_LEVEL1..5 and DL1..5_UNIQUE_HOSTS must rise strictly (psad does
 * not check; a flat or falling ladder makes levels unreachable). On a
 * violation the whole ladder keeps its previous values. names[i] is the key
 * of v[i + 1]. */
static void check_ladder(struct loader *L, const char *const names[5], uint32_t *v,
			 const uint32_t *prev)
{
	unsigned line[6] = { 0 };
	bool bad = false;

	for (size_t i = 1; i <= 5; i++) {
		const struct key *k = conf_key_find(span_make(names[i - 1], strlen(names[i - 1])));
		line[i] = k ? L->key_line[k - conf_keys] : 0;
	}
	for (size_t i = 2; i <= 5; i++) {
		if (v[i] > v[i - 1])
			continue;
		conf_report(&L->src, CONFIG_ERROR, line[i] ? line[i] : line[i - 1],
			    "%s (%u) must be greater than %s (%u)", names[i - 1], v[i], names[i - 2],
			    v[i - 1]);
		bad = true;
	}
	if (bad)
		memcpy(v, prev, 6 * sizeof(*v));
}

static void loader_done(struct loader *L)
{
	free(L->base);
	free(L->ents);
	free(L->names);
	free(L->key_line);
	free(L->xbuf[0]);
	free(L->xbuf[1]);
	free(L->deflt);
}

static int loader_init(struct loader *L, struct config *cfg)
{
	L->cfg = cfg;
	L->base = malloc(sizeof(*L->base));
	L->key_line = calloc(conf_n_keys, sizeof(*L->key_line));
	L->xbuf[0] = malloc(CONF_LINE_MAX + 1);
	L->xbuf[1] = malloc(CONF_LINE_MAX + 1);
	L->deflt = malloc(CONF_LINE_MAX + 1);
	if (!L->base || !L->key_line || !L->xbuf[0] || !L->xbuf[1] || !L->deflt)
		return -ENOMEM;
	memcpy(L->base, cfg, sizeof(*cfg));
	return 0;
}

/* Pass 1: collect and index the statements, quietly ($NAME may refer to a
 * later line). */
static int collect_entries(struct loader *L, const char *buf, size_t len)
{
	struct conf_src quiet;
	struct entry e;
	struct span st;
	int r;

	conf_src_init(&quiet, L->src.name, buf, len, NULL, NULL);
	while (conf_next_stmt(&quiet, &st)) {
		if (!parse_stmt(st, quiet.lineno, &e))
			continue;
		r = add_entry(L, &e);
		if (r < 0)
			return r;
	}
	return index_names(L);
}

/* Pass 2: read again, reporting and applying in line order (the reader
 * returns the same statements as in pass 1). */
static void apply_entries(struct loader *L)
{
	char esc[CONF_ESC_MAX];
	struct entry e;
	struct span st;
	size_t i = 0;

	while (conf_next_stmt(&L->src, &st)) {
		if (parse_stmt(st, L->src.lineno, &e)) {
			apply_entry(L, i++);
			continue;
		}
		size_t n = 0;
		while (n < st.len && st.p[n] != ' ' && st.p[n] != '\t')
			n++;
		conf_report(&L->src, CONFIG_ERROR, L->src.lineno,
			    "invalid key '%s': expected letters, digits and '_'",
			    conf_esc(span_make(st.p, n), esc));
	}
}

int config_load_buf(struct config *cfg, const char *name, const char *buf, size_t len,
		    config_diag_fn *diag, void *data)
{
	static const char *const dl_keys[5] = {
		"DANGER_LEVEL1", "DANGER_LEVEL2", "DANGER_LEVEL3", "DANGER_LEVEL4", "DANGER_LEVEL5",
	};
	static const char *const hosts_keys[5] = {
		"DL1_UNIQUE_HOSTS", "DL2_UNIQUE_HOSTS", "DL3_UNIQUE_HOSTS", "DL4_UNIQUE_HOSTS",
		"DL5_UNIQUE_HOSTS",
	};
	struct loader L = { 0 };
	int r;

	conf_src_init(&L.src, name, buf, len, diag, data);
	if (len > CONF_FILE_MAX) {
		conf_report(&L.src, CONFIG_ERROR, 0, "file too large (more than %u bytes)",
			    CONF_FILE_MAX);
		return -EINVAL;
	}
	r = loader_init(&L, cfg);
	if (r < 0)
		goto out;
	r = collect_entries(&L, buf, len);
	if (r < 0)
		goto out;
	/* nothing was written to cfg before this point */
	apply_entries(&L);
	check_ladder(&L, dl_keys, cfg->danger_level, L.base->danger_level);
	check_ladder(&L, hosts_keys, cfg->unique_hosts, L.base->unique_hosts);
	r = L.src.n_errors ? -EINVAL : 0;
out:
	loader_done(&L);
	return r;
}

int config_load(struct config *cfg, const char *path, config_diag_fn *diag, void *data)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = conf_read_file(path, CONF_FILE_MAX, diag, data, &buf, &len);
	if (r < 0)
		return r;
	r = config_load_buf(cfg, path, buf, len, diag, data);
	free(buf);
	return r;
}

/* --- dump --- */

/* Would this value read back differently unquoted? */
static bool needs_quotes(const char *s, size_t n, bool list_item)
{
	if (!n || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return true;
	return list_item && (memchr(s, ',', n) || (n == 4 && memcmp(s, "NONE", 4) == 0));
}

static void dump_line(FILE *out, bool commented, const char *key, const char *v, size_t n,
		      bool list_item)
{
	const char *q = needs_quotes(v, n, list_item) ? "\"" : "";

	fprintf(out, "%s%-*s %s%.*s%s;\n", commented ? "#" : "", commented ? 26 : 27, key, q,
		(int)n, v, q);
}

void config_dump(const struct config *cfg, FILE *out)
{
	char buf[CONF_LINE_MAX + 1];
	struct conf_text t;

	fputs("# vigil configuration: the effective value of every key vigil reads\n", out);
	for (size_t i = 0; i < conf_n_keys; i++) {
		const struct key *k = &conf_keys[i];
		bool commented = false;

		if (k->flags & KEY_REPEATABLE) {
			for (size_t j = 0; j < cfg->n_fw_msg_search; j++) {
				const char *s = cfg->fw_msg_search[j];
				dump_line(out, false, k->name, s, strnlen(s, CONFIG_STR_MAX), true);
			}
			if (!cfg->n_fw_msg_search)
				dump_line(out, false, k->name, k->none, strlen(k->none), false);
			continue;
		}
		conf_text_init(&t, buf, sizeof(buf));
		k->fmt(k, cfg, &t);
		if ((k->flags & KEY_OPTIONAL) && !cfg->min_danger_level_set) {
			fputs("# MIN_DANGER_LEVEL is not set: vigil analyze reports every level\n", out);
			commented = true;
		}
		dump_line(out, commented, k->name, t.p, t.len, false);
	}
	if (cfg->n_sig_vars)
		fputs("# signature variables\n", out);
	for (size_t i = 0; i < cfg->n_sig_vars; i++) {
		const struct config_var *v = &cfg->sig_vars[i];
		dump_line(out, false, v->name, v->value, strlen(v->value), false);
	}
}

/* --- IGNORE_PORTS syntax --- */

static int parse_port_item(struct span it, struct port_range *ret, const char **why)
{
	const char *slash = span_chr(it, '/'), *dash;
	struct span proto, ports, lo, hi;
	uint16_t l, h;
	uint8_t p;

	if (!it.len) {
		*why = "empty list entry";
		return -EINVAL;
	}
	if (!slash) {
		*why = "expected PROTO/PORT or PROTO/LOW-HIGH";
		return -EINVAL;
	}
	proto = span_make(it.p, (size_t)(slash - it.p));
	ports = span_make(slash + 1, it.len - proto.len - 1);
	span_trim(&proto);
	span_trim(&ports);
	if (span_eq_nocase(proto, "tcp"))
		p = IPPROTO_NUM_TCP;
	else if (span_eq_nocase(proto, "udp"))
		p = IPPROTO_NUM_UDP;
	else if (span_eq_nocase(proto, "udplite"))
		p = IPPROTO_NUM_UDPLITE;
	else {
		*why = "expected tcp, udp or udplite before '/'";
		return -EINVAL;
	}
	dash = span_chr(ports, '-');
	lo = dash ? span_make(ports.p, (size_t)(dash - ports.p)) : ports;
	hi = dash ? span_make(dash + 1, ports.len - lo.len - 1) : ports;
	span_trim(&lo);
	span_trim(&hi);
	if (span_to_u16(lo, &l) < 0 || span_to_u16(hi, &h) < 0) {
		*why = "ports must be numbers 0-65535";
		return -EINVAL;
	}
	if (l > h) {
		*why = "low port of a range is greater than its high port";
		return -EINVAL;
	}
	*ret = (struct port_range){ .proto = p, .lo = l, .hi = h };
	return 0;
}

int config_parse_ports(const char *s, size_t len, struct port_range *ret, size_t max,
		       size_t *ret_n, const char **reterr_reason)
{
	struct span rest = span_make(s, len), it;
	const char *why = NULL;
	size_t n = 0;

	span_trim(&rest);
	if (span_eq_nocase(rest, "NONE")) {
		*ret_n = 0;
		return 0;
	}
	while (conf_list_next(&rest, &it)) {
		struct port_range pr;
		if (parse_port_item(it, &pr, &why) < 0)
			goto fail;
		if (n == max) {
			why = "too many entries";
			goto fail;
		}
		ret[n++] = pr;
	}
	*ret_n = n;
	return 0;
fail:
	if (reterr_reason)
		*reterr_reason = why;
	return -EINVAL;
}

/* --- hot path: per log line, no allocation --- */

bool config_port_ignored(const struct config *cfg, uint8_t proto, uint16_t dport)
{
	for (size_t i = 0; i < cfg->n_ignore_ports; i++) {
		const struct port_range *r = &cfg->ignore_ports[i];
		if (r->proto == proto && dport >= r->lo && dport <= r->hi)
			return true;
	}
	return false;
}

bool config_intf_ignored(const struct config *cfg, const char *name, size_t len)
{
	if (!len || len >= CONFIG_IFNAME_MAX)
		return false;
	for (size_t i = 0; i < cfg->n_ignore_intf; i++) {
		const char *s = cfg->ignore_intf[i];
		if (strnlen(s, CONFIG_IFNAME_MAX) == len && memcmp(s, name, len) == 0)
			return true;
	}
	return false;
}

bool config_prefix_selected(const struct config *cfg, const char *prefix, size_t len)
{
	if (!cfg->n_fw_msg_search)
		return true;
	for (size_t i = 0; i < cfg->n_fw_msg_search; i++) {
		const char *s = cfg->fw_msg_search[i];
		size_t n = strnlen(s, CONFIG_STR_MAX);
		if (n <= len && memmem(prefix, len, s, n))
			return true;
	}
	return false;
}
