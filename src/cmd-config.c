/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-config.c - `vigil config [--check | --dump] [--config FILE]` and the
 * configuration loading every command shares. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ingest/detector.h"
#include "ingest/diag.h"
#include "util/escape.h"
#include "util/log.h"

int cmd_load_config(struct config *cfg, const char *path, bool verbose)
{
	struct diag_printer p = { .verbose = verbose };

	return detector_load_config(cfg, path, path != NULL, verbose, diag_print, &p);
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
	struct diag_printer p = { .verbose = check };
	int r = detector_load_config(&cfg, path, path != NULL, check, diag_print, &p);
	if (check) {
		const char *path_used = path ? path : CONFIG_PATH_DEFAULT;
		char file[ESCAPE_PATH_MAX];
		escape_str(path_used, file, sizeof(file));
		if (r == 0 && !path && access(path_used, F_OK) < 0)
			printf("%s: not present, built-in defaults: OK\n", file);
		else if (r == 0)
			printf("%s: OK (%u warning(s), %u note(s))\n", file, p.warnings, p.notes);
		return r < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	if (r < 0)
		return EXIT_RUNTIME;
	config_dump(&cfg, stdout);
	return EXIT_OK;
}
