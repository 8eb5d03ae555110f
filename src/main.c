/* main.c - command dispatch, --help and --version. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
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
	"  run, status, block, unblock, blocks, flush, fwcheck\n"
	"                                the daemon and its controls (not in this version)\n"
	"  --version                     print the version\n"
	"  --help, COMMAND --help        this text, or a command's options\n";

int main(int argc, char **argv)
{
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
	static const char *const later[] = { "run",    "status", "block",  "unblock",
					     "blocks", "flush",  "fwcheck" };
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (!strcmp(cmd, later[i])) {
			log_error("'%s' is not implemented in vigil %s yet; 'analyze' and "
				  "'config' are",
				  cmd, VIGIL_VERSION);
			return EXIT_RUNTIME;
		}
	log_error("unknown command '%.64s' (try 'vigil --help')", cmd);
	return EXIT_USAGE;
}
