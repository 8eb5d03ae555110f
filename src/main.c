/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c - command dispatch, --help and --version.
 *
 * Every command answers -h/--help with its usage (docs/cli.md) and exit 0,
 * also the commands this version does not implement yet: a script or a
 * person can ask what they will take before they exist. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util/escape.h"
#include "util/log.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

static const char usage_text[] =
	"usage: vigil COMMAND [OPTIONS]\n"
	"\n"
	"  analyze [OPTIONS] [FILE...]   report port scans in firewall logs ('-' or none: stdin)\n"
	"  config [--check | --dump] [--config FILE]\n"
	"                                check or print the effective configuration\n"
	"  run [--foreground] [OPTIONS]  the daemon: follow live log sources, alert\n"
	"  status [--ip ADDR] [--min-dl N] [--summary] [--json]\n"
	"                                what the running daemon knows now\n"
	"  block, unblock, blocks, flush, fwcheck\n"
	"                                blocking and firewall checks (not in this version)\n"
	"  --version                     print the version\n"
	"  --help, COMMAND --help        this text, or a command's options\n";

#define NOT_YET "(not implemented in vigil " VIGIL_VERSION " yet)\n"

/* The daemon's commands as docs/cli.md fixes them. */
static const struct later {
	const char *name, *usage;
} later[] = {
	{ "block", "usage: vigil block ADDR[/LEN] [--timeout SECONDS]\n"
		   "Block an address by hand (the auto-blocking backend). " NOT_YET
		   "  --timeout SECONDS remove the block after SECONDS (0: never)\n"
		   "  --config FILE     to find the daemon's CONTROL_SOCKET\n" },
	{ "unblock", "usage: vigil unblock ADDR[/LEN]\n"
		     "Remove a block. " NOT_YET
		     "  --config FILE     to find the daemon's CONTROL_SOCKET\n" },
	{ "blocks", "usage: vigil blocks [--json]\n"
		    "List current blocks with their expiry. " NOT_YET
		    "  --json            one JSON object\n"
		    "  --config FILE     to find the daemon's CONTROL_SOCKET\n" },
	{ "flush", "usage: vigil flush\n"
		   "Remove every block that vigil added. " NOT_YET
		   "  --config FILE     to find the daemon's CONTROL_SOCKET\n" },
	{ "fwcheck", "usage: vigil fwcheck [--file RULESET]\n"
		     "Check that the firewall logs and drops what it does not allow. " NOT_YET
		     "  --file RULESET    check this ruleset instead of the running one\n" },
};

/* -h or --help among a command's arguments (before a "--"). */
static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	char esc[160];

	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("vigil %s\n", VIGIL_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "analyze"))
		return cmd_analyze(argc - 1, argv + 1);
	if (!strcmp(cmd, "config"))
		return cmd_config(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		if (strcmp(cmd, later[i].name))
			continue;
		if (asks_help(argc - 1, argv + 1)) {
			fputs(later[i].usage, stdout);
			return EXIT_OK;
		}
		log_error("'%s' is not implemented in vigil %s yet; 'analyze' and 'config' are",
			  cmd, VIGIL_VERSION);
		return EXIT_RUNTIME;
	}
	log_error("unknown command '%s' (try 'vigil --help')", escape_str(cmd, esc, sizeof(esc)));
	return EXIT_USAGE;
}
