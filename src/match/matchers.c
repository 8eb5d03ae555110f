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

/* A data set's text: the file at path, or the built-in copy when path is the
 * default one and absent. *ret_buf is what to free (NULL for built-in). */
static int data_get(const char *path, const char *deflt, const char *builtin,
		    config_diag_fn *diag, void *data, char **ret_buf, const char **ret_p,
		    size_t *ret_len, const char **ret_origin)
{
	const struct embedded_file *ef;
	int r;

	r = config_read_file(path, DATA_FILE_MAX, diag, data, ret_buf, ret_len);
	if (r == 0) {
		*ret_p = *ret_buf;
		*ret_origin = path;
		return 0;
	}
	if (r == -ENOENT && strcmp(path, deflt) == 0 && (ef = embedded_find(builtin))) {
		*ret_buf = NULL;
		*ret_p = ef->data;
		*ret_len = ef->len;
		*ret_origin = "built-in";
		return 0;
	}
	if (r != -EINVAL && r != -EFBIG)
		report_unreadable(diag, data, path, r);
	return r;
}

static int load_sigs(struct matchers *m, const struct config *cfg, const char *path,
		     config_diag_fn *diag, void *data)
{
	struct vars *v = calloc(1, sizeof(*v));
	const char *p, *origin;
	char *buf = NULL;
	size_t len;
	int r;

	if (!v)
		return -ENOMEM;
	v->cfg = cfg;
	nets_text(cfg->home_net, cfg->n_home_net, v->home, sizeof(v->home));
	nets_text(cfg->external_net, cfg->n_external_net, v->external, sizeof(v->external));
	r = data_get(path, "/etc/vigil/signatures", "signatures", diag, data, &buf, &p, &len,
		     &origin);
	if (r == 0) {
		r = sigset_load_buf(origin, p, len, var_lookup, v, diag, data, &m->sigs);
		m->sig_origin = origin == path ? path : "built-in";
		if (r == -EINVAL)
			r = 0; /* bad rules were reported and skipped */
	}
	free(buf);
	free(v);
	return r;
}

static int load_icmp(struct icmp_types **ret, const char *path, const char *deflt,
		     const char *builtin, config_diag_fn *diag, void *data)
{
	const char *p, *origin;
	char *buf = NULL;
	size_t len;
	int r;

	r = data_get(path, deflt, builtin, diag, data, &buf, &p, &len, &origin);
	if (r == 0) {
		r = icmp_types_load_buf(origin, p, len, diag, data, ret);
		if (r == -EINVAL)
			r = 0;
	}
	free(buf);
	return r;
}

typedef int os_load_fn(struct osfp *o, const char *name, const char *buf, size_t len,
		       config_diag_fn *diag, void *data);

static int load_os_file(struct osfp *os, os_load_fn *fn, const char *path, const char *deflt,
			const char *builtin, config_diag_fn *diag, void *data)
{
	const char *p, *origin;
	char *buf = NULL;
	size_t len;
	int r;

	r = data_get(path, deflt, builtin, diag, data, &buf, &p, &len, &origin);
	if (r == 0) {
		r = fn(os, origin, p, len, diag, data);
		if (r == -EINVAL)
			r = 0;
	}
	free(buf);
	return r;
}

static int load_rep_list(struct reputation *rep, const char *path, config_diag_fn *diag,
			 void *data)
{
	int r = reputation_add_file(rep, path, diag, data);

	if (r == -EINVAL)
		return 0; /* bad lines were reported and skipped */
	if (r < 0 && r != -ENOMEM && r != -EFBIG)
		report_unreadable(diag, data, path, r);
	return r;
}

static int load_rep(struct matchers *m, const struct config *cfg, const struct matchers_opts *o,
		    config_diag_fn *diag, void *data)
{
	char path[CONFIG_STR_MAX];
	struct span rest = span_make(cfg->reputation_files, strlen(cfg->reputation_files)), it;
	int r;

	if (!rest.len && !o->n_rep)
		return 0;
	if (!(m->rep = reputation_new()))
		return -ENOMEM;
	m->rep_dl = (uint8_t)cfg->reputation_danger_level;
	while (span_next_token(&rest, ',', &it)) {
		span_trim(&it);
		if (!it.len)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)it.len, it.p);
		if ((r = load_rep_list(m->rep, path, diag, data)) < 0)
			return r;
	}
	for (size_t i = 0; i < o->n_rep; i++)
		if ((r = load_rep_list(m->rep, o->rep_paths[i], diag, data)) < 0)
			return r;
	return 0;
}

int matchers_load(struct matchers *m, const struct config *cfg, const struct matchers_opts *o,
		  config_diag_fn *diag, void *data)
{
	static const struct matchers_opts none;
	int r = 0;

	memset(m, 0, sizeof(*m));
	if (!o)
		o = &none;
	m->expect_tcp_options = cfg->expect_tcp_options;
	if (!o->no_signatures)
		r = load_sigs(m, cfg, o->sig_path ? o->sig_path : cfg->signatures_file, diag, data);
	if (r == 0 && !o->no_icmp_types)
		r = load_icmp(&m->icmp4, cfg->icmp_types_file, "/etc/vigil/icmp_types",
			      "icmp_types", diag, data);
	if (r == 0 && !o->no_icmp_types)
		r = load_icmp(&m->icmp6, cfg->icmp6_types_file, "/etc/vigil/icmp6_types",
			      "icmp6_types", diag, data);
	if (r == 0 && !o->no_os) {
		if (!(m->os = osfp_new(cfg->max_hops)))
			r = -ENOMEM;
		if (r == 0)
			r = load_os_file(m->os, osfp_load_p0f_buf, cfg->p0f_file,
					 "/etc/vigil/pf.os", "pf.os", diag, data);
		if (r == 0)
			r = load_os_file(m->os, osfp_load_posf_buf, cfg->posf_file,
					 "/etc/vigil/posf", "posf", diag, data);
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
