/* SPDX-License-Identifier: GPL-2.0-or-later */
/* matchers.c - load the signature, ICMP, fingerprint and reputation sets. */
#include "match/matchers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/embedded.h"
#include "match/icmptypes.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"

#define DATA_FILE_MAX ((size_t)64 << 20) /* a signature or fingerprint file */

/* The text of $HOME_NET and $EXTERNAL_NET as a rule would write them. */
struct vars {
	const struct config *cfg;
	char home[CONFIG_LIST_MAX * (NET_STR_MAX + 2) + 3];
	char external[CONFIG_LIST_MAX * (NET_STR_MAX + 2) + 3];
};

static void nets_text(const struct net *nets, size_t n, char *buf, size_t size)
{
	size_t o;

	if (!n) {
		snprintf(buf, size, "any");
		return;
	}
	o = (size_t)snprintf(buf, size, "[");
	for (size_t i = 0; i < n && o < size; i++) {
		char s[NET_STR_MAX];
		net_format(&nets[i], s);
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "", s);
	}
	if (o < size)
		snprintf(buf + o, size - o, "]");
}

/* sig_var_fn: HOME_NET and EXTERNAL_NET from their keys; psad.conf's other
 * variables from the file; a _SERVERS variable it does not define means
 * HOME_NET, as psad.conf defines them all. */
static int var_lookup(void *data, struct span name, struct span *ret)
{
	struct vars *v = data;
	const char *s;

	if (span_eq(name, "HOME_NET", 8))
		s = v->home;
	else if (span_eq(name, "EXTERNAL_NET", 12))
		s = v->external;
	else if (!(s = config_sig_var(v->cfg, name.p, name.len))) {
		if (name.len > 8 && memcmp(name.p + name.len - 8, "_SERVERS", 8) == 0)
			s = v->home;
		else
			return -ENOENT;
	}
	*ret = span_make(s, strlen(s));
	return 0;
}

/* "cannot read: <why>" about a whole file. */
static void report_unreadable(config_diag_fn *diag, void *data, const char *file, int err)
{
	struct config_diag d = { .severity = CONFIG_ERROR, .file = file, .line = 0 };

	if (!diag)
		return;
	snprintf(d.msg, sizeof(d.msg), "cannot read: %s", strerror(-err));
	diag(&d, data);
}

/* Parse one data set's text (a *_load_buf of the match modules). Bad lines
 * are the parser's to report and skip; only -ENOMEM fails. */
typedef int parse_fn(void *ctx, const char *name, const char *buf, size_t len,
		     config_diag_fn *diag, void *data);

/* Read path and parse it; when path is the built-in default deflt and does
 * not exist, parse the copy compiled into vigil instead (deflt NULL: no
 * such copy). A file that cannot be read fails the load, reported. Returns
 * 0 and sets *ret_origin (path or "built-in"), or -errno. */
static int load_data(const char *path, const char *deflt, const char *builtin, size_t max,
		     parse_fn *parse, void *ctx, config_diag_fn *diag, void *data,
		     const char **ret_origin)
{
	const struct embedded_file *ef;
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = config_read_file(path, max, diag, data, &buf, &len);
	if (r == 0) {
		r = parse(ctx, path, buf, len, diag, data);
		free(buf);
		*ret_origin = path;
	} else if (r == -ENOENT && deflt && strcmp(path, deflt) == 0 &&
		   (ef = embedded_find(builtin))) {
		r = parse(ctx, "built-in", ef->data, ef->len, diag, data);
		*ret_origin = "built-in";
	} else {
		if (r != -EINVAL && r != -EFBIG) /* those two were reported */
			report_unreadable(diag, data, path, r);
		return r;
	}
	return r == -EINVAL ? 0 : r; /* bad lines were reported and skipped */
}

struct sig_ctx {
	struct vars *vars;
	struct sigset **ret;
};

static int parse_sigs(void *ctx, const char *name, const char *buf, size_t len,
		      config_diag_fn *diag, void *data)
{
	struct sig_ctx *c = ctx;

	return sigset_load_buf(name, buf, len, var_lookup, c->vars, diag, data, c->ret);
}

static int parse_icmp(void *ctx, const char *name, const char *buf, size_t len,
		      config_diag_fn *diag, void *data)
{
	return icmp_types_load_buf(name, buf, len, diag, data, ctx);
}

static int parse_p0f(void *ctx, const char *name, const char *buf, size_t len,
		     config_diag_fn *diag, void *data)
{
	return osfp_load_p0f_buf(ctx, name, buf, len, diag, data);
}

static int parse_posf(void *ctx, const char *name, const char *buf, size_t len,
		      config_diag_fn *diag, void *data)
{
	return osfp_load_posf_buf(ctx, name, buf, len, diag, data);
}

static int parse_rep(void *ctx, const char *name, const char *buf, size_t len,
		     config_diag_fn *diag, void *data)
{
	return reputation_add_buf(ctx, name, buf, len, diag, data);
}

static int load_sigs(struct matchers *m, const struct config *cfg, const char *path,
		     config_diag_fn *diag, void *data)
{
	struct sig_ctx c = { .vars = calloc(1, sizeof(*c.vars)), .ret = &m->sigs };
	int r;

	if (!c.vars)
		return -ENOMEM;
	c.vars->cfg = cfg;
	nets_text(cfg->home_net, cfg->n_home_net, c.vars->home, sizeof(c.vars->home));
	nets_text(cfg->external_net, cfg->n_external_net, c.vars->external,
		  sizeof(c.vars->external));
	r = load_data(path, "/etc/vigil/signatures", "signatures", DATA_FILE_MAX, parse_sigs, &c,
		      diag, data, &m->sig_origin);
	free(c.vars);
	return r;
}

static int load_rep(struct matchers *m, const struct config *cfg, const struct matchers_opts *o,
		    config_diag_fn *diag, void *data)
{
	char path[CONFIG_STR_MAX];
	struct span rest = span_make(cfg->reputation_files, strlen(cfg->reputation_files)), it;
	const char *origin;
	int r;

	if (!rest.len && !o->n_rep)
		return 0;
	if (!(m->rep = reputation_new()))
		return -ENOMEM;
	reputation_set_max_entries(m->rep, cfg->reputation_max_networks);
	m->rep_dl = (uint8_t)cfg->reputation_danger_level;
	while (span_next_token(&rest, ',', &it)) {
		span_trim(&it);
		if (!it.len)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)it.len, it.p);
		r = load_data(path, NULL, NULL, REPUTATION_MAX_FILE, parse_rep, m->rep, diag, data,
			      &origin);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < o->n_rep; i++) {
		r = load_data(o->rep_paths[i], NULL, NULL, REPUTATION_MAX_FILE, parse_rep, m->rep,
			      diag, data, &origin);
		if (r < 0)
			return r;
	}
	return 0;
}

int matchers_load(struct matchers *m, const struct config *cfg, const struct matchers_opts *o,
		  config_diag_fn *diag, void *data)
{
	static const struct matchers_opts none;
	const char *origin;
	int r = 0;

	memset(m, 0, sizeof(*m));
	if (!o)
		o = &none;
	m->expect_tcp_options = cfg->expect_tcp_options;
	if (!o->no_signatures)
		r = load_sigs(m, cfg, o->sig_path ? o->sig_path : cfg->signatures_file, diag, data);
	if (r == 0 && !o->no_icmp_types)
		r = load_data(cfg->icmp_types_file, "/etc/vigil/icmp_types", "icmp_types",
			      DATA_FILE_MAX, parse_icmp, &m->icmp4, diag, data, &origin);
	if (r == 0 && !o->no_icmp_types)
		r = load_data(cfg->icmp6_types_file, "/etc/vigil/icmp6_types", "icmp6_types",
			      DATA_FILE_MAX, parse_icmp, &m->icmp6, diag, data, &origin);
	if (r == 0 && !o->no_os) {
		if (!(m->os = osfp_new(cfg->max_hops)))
			r = -ENOMEM;
		if (r == 0)
			r = load_data(cfg->p0f_file, "/etc/vigil/pf.os", "pf.os", DATA_FILE_MAX,
				      parse_p0f, m->os, diag, data, &origin);
		if (r == 0)
			r = load_data(cfg->posf_file, "/etc/vigil/posf", "posf", DATA_FILE_MAX,
				      parse_posf, m->os, diag, data, &origin);
	}
	if (r == 0)
		r = load_rep(m, cfg, o, diag, data);
	if (r < 0)
		matchers_done(m);
	return r;
}

void matchers_done(struct matchers *m)
{
	m->sigs = sigset_free(m->sigs);
	m->icmp4 = icmp_types_free(m->icmp4);
	m->icmp6 = icmp_types_free(m->icmp6);
	m->os = osfp_free(m->os);
	m->rep = reputation_free(m->rep);
}
