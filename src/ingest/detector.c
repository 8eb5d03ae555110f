/* SPDX-License-Identifier: GPL-2.0-or-later */
/* detector.c - configuration, auto_dl and data sets, loaded together
 * (detector.h). The messages are the ones `analyze` always printed. */
#include "ingest/detector.h"

#include <errno.h>
#include <stdlib.h>

#include "config/autodl.h"
#include "ingest/diag.h"
#include "util/escape.h"
#include "util/log.h"

struct detector {
	struct config cfg;
	struct autodl *adl;
	struct matchers m;
};

/* The caller's diag, with each severity counted for the verdict. */
struct diag_count {
	config_diag_fn *fn;
	void *data;
	unsigned errors, notes;
};

static void count_diag(const struct config_diag *d, void *data)
{
	struct diag_count *c = data;

	if (d->severity == CONFIG_ERROR)
		c->errors++;
	else if (d->severity == CONFIG_NOTE)
		c->notes++;
	if (c->fn)
		c->fn(d, c->data);
}

int detector_load_config(struct config *cfg, const char *path, bool given, bool verbose,
			 config_diag_fn *diag, void *data)
{
	const char *path_used = path ? path : CONFIG_PATH_DEFAULT;
	struct diag_count c = { .fn = diag, .data = data };
	char file[ESCAPE_PATH_MAX];
	int r;

	config_init(cfg);
	r = config_load(cfg, path_used, count_diag, &c);
	escape_str(path_used, file, sizeof(file));
	if (r == -ENOENT && !given)
		return 0; /* no config file: built-in defaults */
	if (r == -EINVAL)
		return log_error("%s: %u error(s) in the configuration", file, c.errors), r;
	if (r < 0)
		return log_errno(r, "cannot read configuration '%s'", file);
	if (c.notes && !verbose)
		log_info("%s: %u psad key(s) not used by vigil were ignored ('vigil config "
			 "--check' lists them)",
			 file, c.notes);
	return 0;
}

static int load_autodl(struct detector *d, const struct detector_opts *o, config_diag_fn *diag,
		       void *data)
{
	const char *path = o->auto_dl ? o->auto_dl : d->cfg.auto_dl_file;
	struct diag_count c = { .fn = diag, .data = data };
	char esc[ESCAPE_PATH_MAX];
	int r = autodl_load(path, count_diag, &c, &d->adl);

	if (r == -ENOENT && !o->auto_dl) {
		d->adl = NULL;
		return 0;
	}
	if (r < 0) {
		escape_str(path, esc, sizeof(esc));
		if (r != -EINVAL)
			log_errno(r, "cannot read auto_dl file '%s'", esc);
		else
			log_error("%s: %u error(s) in the auto_dl file", esc, c.errors);
		d->adl = NULL;
	}
	return r;
}

int detector_load(const struct detector_opts *o, config_diag_fn *diag, void *data,
		  struct detector **ret)
{
	struct matchers_opts mo = {
		.sig_path = o->signatures,
		.no_signatures = o->no_signatures,
		.no_icmp_types = o->no_icmp_types,
		.no_os = o->no_os_guess,
	};
	struct detector *d;
	int r;

	if (o->n_reputation > MATCHERS_REP_MAX)
		return -EINVAL;
	for (size_t i = 0; i < o->n_reputation; i++)
		mo.rep_paths[i] = o->reputation[i];
	mo.n_rep = o->n_reputation;
	d = calloc(1, sizeof(*d));
	if (!d)
		return log_errno(-ENOMEM, "cannot load the configuration");
	r = detector_load_config(&d->cfg, o->config_path, o->config_given, o->verbose, diag, data);
	if (r < 0)
		goto out_free;
	r = matchers_load(&d->m, &d->cfg, &mo, diag, data);
	if (r < 0) {
		/* a file's problems were reported through diag; matchers_load
		 * released what it had loaded */
		if (r == -ENOMEM)
			log_errno(r, "cannot load the signature and fingerprint sets");
		goto out_free;
	}
	/* the data sets' "N more problem(s) not shown" before auto_dl's verdict */
	if (diag == diag_print)
		diag_printer_end(data);
	r = load_autodl(d, o, diag, data);
	if (r < 0)
		goto out_matchers;
	*ret = d;
	return 0;

out_matchers:
	matchers_done(&d->m);
out_free:
	free(d);
	return r;
}

struct detector *detector_free(struct detector *d)
{
	if (!d)
		return NULL;
	autodl_free(d->adl);
	matchers_done(&d->m);
	free(d);
	return NULL;
}

const struct config *detector_config(const struct detector *d)
{
	return &d->cfg;
}

const struct autodl *detector_autodl(const struct detector *d)
{
	return d->adl;
}

const struct matchers *detector_matchers(const struct detector *d)
{
	return &d->m;
}

int detector_engine_new(const struct detector *d, engine_change_fn *cb, void *data,
			struct engine **ret)
{
	struct engine *e;
	int r = engine_new(&d->cfg, d->adl, cb, data, &e);

	if (r < 0)
		return r;
	engine_set_matchers(e, &d->m);
	*ret = e;
	return 0;
}
