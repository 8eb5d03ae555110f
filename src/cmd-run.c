/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-run.c - `vigil run`: options, then the daemon (daemon/daemon.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "daemon/daemon.h"
#include "util/log.h"

static const char run_usage[] =
	"usage: vigil run [--foreground] [OPTIONS]\n"
	"Follow live log sources (INPUT_SOURCES), alert (syslog, ALERT_JSON_FILE, mail),\n"
	"answer `vigil status` on CONTROL_SOCKET, keep state in STATE_DIR.\n"
	"  --foreground      stay in the foreground and log to stderr (under systemd,\n"
	"                    Type=notify, it never detaches either)\n"
	"  --config FILE     configuration (default " CONFIG_PATH_DEFAULT ", optional)\n"
	"  --signatures FILE psad-format signatures (default: the shipped set)\n"
	"  --auto-dl FILE    psad-format auto_dl file\n"
	"  --verbose         debug messages\n"
	"Signals: HUP reloads the configuration and data sets (state kept) and reopens\n"
	"ALERT_JSON_FILE; USR1 writes every source to STATE_DIR/dump.json; TERM stops.\n";

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "signatures", required_argument, NULL, 's' },
		{ "auto-dl", required_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = { 0 };
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "fc:s:a:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.foreground = true;
			break;
		case 'c':
			o.config_path = optarg;
			break;
		case 's':
			o.signatures = optarg;
			break;
		case 'a':
			o.auto_dl = optarg;
			break;
		case 'v':
			o.verbose = true;
			log_set_level(LOG_LVL_DEBUG);
			break;
		case 'h':
			fputs(run_usage, stdout);
			return EXIT_OK;
		default:
			log_error("run: unknown or incomplete option '%s' (try 'vigil run --help')",
				  argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		log_error("run: unexpected argument '%s' (try 'vigil run --help')", argv[optind]);
		return EXIT_USAGE;
	}
	return daemon_run(&o);
}
