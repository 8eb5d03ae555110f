/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-config.c - `vigil config [--check | --dump] [--config FILE]` and the
 * configuration loading every command shares. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "util/escape.h"
#include "util/log.h"

struct diag_ctx {
	bool verbose;      /* print notes too */
	unsigned errors, warnings, notes;
};

static void print_diag(const struct config_diag *d, void *data)
{
	struct diag_ctx *ctx = data;
	static const char *const names[] = { "note", "warning", "error" };
	char file[ESCAPE_PATH_MAX];

	if (d->severity == CONFIG_ERROR)
		ctx->errors++;
	else if (d->severity == CONFIG_WARNING)
		ctx->warnings++;
	else
		ctx->notes++;
	if (d->severity == CONFIG_NOTE && !ctx->verbose)
		return;
	log_msg(d->severity == CONFIG_ERROR ? LOG_LVL_ERROR : LOG_LVL_WARN, "%s:%u: %s: %s",
		escape_str(d->file, file, sizeof(file)), d->line, names[d->severity], d->msg);
}

static int load(struct config *cfg, const char *path, struct diag_ctx *ctx)
{
	const char *path_used = path ? path : CONFIG_PATH_DEFAULT;
	char file[ESCAPE_PATH_MAX];
	int r = config_load(cfg, path_used, print_diag, ctx);

	escape_str(path_used, file, sizeof(file));

	if (r == -ENOENT && !path)
		return 0; /* no config file: built-in defaults */
	if (r == -EINVAL)
		return log_error("%s: %u error(s) in the configuration", file, ctx->errors), r;
	if (r < 0)
		return log_errno(r, "cannot read configuration '%s'", file);
	if (ctx->notes && !ctx->verbose)
		log_info("%s: %u psad key(s) not used by vigil were ignored ('vigil config "
			 "--check' lists them)",
			 file, ctx->notes);
	return 0;
}

int cmd_load_config(struct config *cfg, const char *path, bool verbose)
{
	struct diag_ctx ctx = { .verbose = verbose };

	config_init(cfg);
	return load(cfg, path, &ctx);
}

static const char config_usage[] =
	"usage: vigil config [--check | --dump] [--config FILE]\n"
	"  --check        report errors (exit 1) and warnings, with FILE:LINE\n"
	"  --dump         print the effective configuration (default)\n"
	"  --config FILE  the file to read (default " CONFIG_PATH_DEFAULT ")\n";

int cmd_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },  { "dump", no_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	bool check = false, dump = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = true;
			break;
		case 'd':
			dump = true;
			break;
		case 'f':
			path = optarg;
			break;
		case 'h':
			fputs(config_usage, stdout);
			return EXIT_OK;
		default:
			fputs(config_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || (check && dump)) {
		fputs(config_usage, stderr);
		return EXIT_USAGE;
	}
	struct config cfg;
	struct diag_ctx ctx = { .verbose = check };
	config_init(&cfg);
	int r = load(&cfg, path, &ctx);
	if (check) {
		const char *path_used = path ? path : CONFIG_PATH_DEFAULT;
		char file[ESCAPE_PATH_MAX];
		escape_str(path_used, file, sizeof(file));
		if (r == 0 && !path && access(path_used, F_OK) < 0)
			printf("%s: not present, built-in defaults: OK\n", file);
		else if (r == 0)
			printf("%s: OK (%u warning(s), %u note(s))\n", file, ctx.warnings, ctx.notes);
		return r < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	if (r < 0)
		return EXIT_RUNTIME;
	config_dump(&cfg, stdout);
	return EXIT_OK;
}
