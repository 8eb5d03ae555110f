/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-analyze-opts.c - `vigil analyze`'s options, each checked as it is
 * read: a bad value is a usage error (exit 2) that says what was expected
 * and what was got (escaped), never a guess. */
#include "cmd-analyze-opts.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "ingest/filter.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/span.h"

static const char analyze_usage[] =
	"usage: vigil analyze [OPTIONS] [FILE...]\n"
	"Report port scans found in firewall logs: plain, gzip, xz, bzip2 or zstd\n"
	"(found from the data); '-' or none: stdin; /dev/kmsg: the kernel's buffer.\n"
	"  --config FILE     configuration (default " CONFIG_PATH_DEFAULT ", optional)\n"
	"  --auto-dl FILE    psad-format auto_dl file (default: AUTO_DL_FILE if present)\n"
	"  --signatures FILE psad-format signatures (default: SIGNATURES_FILE, else the\n"
	"                    set built into vigil)\n"
	"  --no-signatures   no signature matching\n"
	"  --no-icmp-types   do not check ICMP/ICMPv6 types and codes\n"
	"  --no-os-guess     no passive OS fingerprinting\n"
	"  --reputation FILE list of known-bad addresses/networks (repeatable; adds to\n"
	"                    REPUTATION_FILES)\n"
	"Output (stdout: the text report unless one of --json, --csv, --list,\n"
	"--nft-set is given):\n"
	"  --json            one JSON document instead of the text report\n"
	"  --csv             one CSV row per source-destination pair (RFC 4180)\n"
	"  --list            the addresses (and networks) at or above --min-dl that\n"
	"                    may be blocked, one per line\n"
	"  --nft-set NAME    an nft script adding them to set NAME (| nft -f -)\n"
	"  --nft-timeout S   the set elements' timeout in seconds (default 86400)\n"
	"  --nft-table NAME  the inet table that holds the sets (default vigil)\n"
	"  --html FILE       also write a self-contained HTML report to FILE\n"
	"  --summary         text: the summary only\n"
	"  --top N           entries per summary list (default 10); also bounds the\n"
	"                    details to the first N sources\n"
	"  --group-v6 LEN    count IPv6 sources per network of LEN bits (e.g. 64)\n"
	"Which sources (their scores do not change):\n"
	"  --min-dl N        list only sources with danger level >= N (0-5)\n"
	"  --ip ADDR[/LEN]   list only sources in ADDR/LEN or with a destination in it\n"
	"                    (repeatable: any of them)\n"
	"Which records (the rest are ignored, as if not logged; repeatable):\n"
	"  --since TIME      records at or after TIME: ISO 8601 (2026-05-19,\n"
	"                    2026-05-19T22:00, ...+02:00, ...Z; no offset: the log's\n"
	"                    own clock) or relative (-24h, -7d)\n"
	"  --until TIME      records before TIME\n"
	"  --port P[-Q]      records to destination port(s) P (tcp, udp; 22,80 lists)\n"
	"  --proto NAME      records of protocol NAME or number (tcp, udp, icmp,\n"
	"                    ipv6-icmp, gre, 47, ...)\n"
	"  --prefix TEXT     records whose log prefix is TEXT\n"
	"  --chain NAME      records of chain INPUT, FORWARD or OUTPUT\n"
	"  --year YYYY       year for timestamps that carry none (default: from the file's\n"
	"                    modification time, so December lines read in January get\n"
	"                    last year)\n"
	"  --format FMT      the inputs' envelope: auto (default: each input's first\n"
	"                    lines decide), syslog, logemu, dmesg, kmsg, json, export,\n"
	"                    bare (the message alone: dmesg -t, journalctl -o cat)\n"
	"  --verbose         name every malformed line as FILE:LINE:COLUMN\n"
	"  --no-color        no colour in the text report (also: NO_COLOR set)\n";

enum {
	OPT_CSV = 0x100,
	OPT_LIST,
	OPT_NFT_SET,
	OPT_NFT_TIMEOUT,
	OPT_HTML,
	OPT_SUMMARY,
	OPT_TOP,
	OPT_GROUP_V6,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_PORT,
	OPT_PROTO,
	OPT_PREFIX,
	OPT_CHAIN,
	OPT_NFT_TABLE,
};

/* nft's identifiers: a letter, then letters, digits, '_', '.', '/'; the
 * name goes into a script nft runs, so nothing else may pass. */
static bool nft_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '/'))
			return false;
	}
	return true;
}

/* One stdout format: a second one is a usage error, not a silent choice. */
static int set_output(struct analyze_opts *o, enum analyze_output out, const char *opt)
{
	if (o->output_opt && o->output != out) {
		log_error("%s and %s: choose one output format", o->output_opt, opt);
		return -EINVAL;
	}
	o->output = out;
	o->output_opt = opt;
	return 0;
}

static int number_arg(const char *opt, const char *arg, uint32_t lo, uint32_t hi,
		      uint32_t *ret)
{
	char e[64];

	if (span_to_u32(span_make(arg, strlen(arg)), ret) == 0 && *ret >= lo && *ret <= hi)
		return 0;
	log_error("%s: expected a number %" PRIu32 "-%" PRIu32 ", got '%s'", opt, lo, hi,
		  escape_str(arg, e, sizeof(e)));
	return -EINVAL;
}

/* A record filter option: into the filter, and into the words the report
 * repeats ("--since -24h --port 22"). */
static int filter_arg(struct analyze_opts *o, enum filter_kind k, const char *arg)
{
	static const char *const names[_FILTER_MAX] = {
		[FILTER_SINCE] = "--since", [FILTER_UNTIL] = "--until", [FILTER_PORT] = "--port",
		[FILTER_PROTO] = "--proto", [FILTER_PREFIX] = "--prefix", [FILTER_CHAIN] = "--chain",
	};
	struct timespec now;
	const char *why = "";
	char e[128];

	if (!o->filter && !(o->filter = filter_new()))
		return log_errno(-ENOMEM, "cannot keep the filters");
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
	escape_str(arg, e, sizeof(e));
	if (filter_add(o->filter, k, arg, now_us, &why) < 0) {
		log_error("%s: %s, got '%s'", names[k], why, e);
		return -EINVAL;
	}
	size_t len = strlen(o->filters);
	(void)snprintf(o->filters + len, sizeof(o->filters) - len, "%s%s %s", len ? " " : "",
		       names[k], e);
	return 0;
}

int analyze_parse_opts(int argc, char **argv, struct analyze_opts *o, int *ret_exit)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "auto-dl", required_argument, NULL, 'a' },
		{ "signatures", required_argument, NULL, 's' },
		{ "no-signatures", no_argument, NULL, 'S' },
		{ "no-icmp-types", no_argument, NULL, 'I' },
		{ "no-os-guess", no_argument, NULL, 'O' },
		{ "reputation", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "min-dl", required_argument, NULL, 'm' },
		{ "ip", required_argument, NULL, 'i' },
		{ "year", required_argument, NULL, 'y' },
		{ "format", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "nft-set", required_argument, NULL, OPT_NFT_SET },
		{ "nft-timeout", required_argument, NULL, OPT_NFT_TIMEOUT },
		{ "nft-table", required_argument, NULL, OPT_NFT_TABLE },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "group-v6", required_argument, NULL, OPT_GROUP_V6 },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "proto", required_argument, NULL, OPT_PROTO },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "chain", required_argument, NULL, OPT_CHAIN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	uint32_t v;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->det.config_path = optarg;
			o->det.config_given = true;
			break;
		case 'a':
			o->det.auto_dl = optarg;
			break;
		case 's':
			o->det.signatures = optarg;
			break;
		case 'S':
			o->det.no_signatures = true;
			break;
		case 'I':
			o->det.no_icmp_types = true;
			break;
		case 'O':
			o->det.no_os_guess = true;
			break;
		case 'r':
			if (o->det.n_reputation >= MATCHERS_REP_MAX) {
				log_error("--reputation: at most %d files", MATCHERS_REP_MAX);
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->det.reputation[o->det.n_reputation++] = optarg;
			break;
		case 'j':
			if (set_output(o, OUT_JSON, "--json") < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			break;
		case OPT_CSV:
			if (set_output(o, OUT_CSV, "--csv") < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			break;
		case OPT_LIST:
			if (set_output(o, OUT_LIST, "--list") < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			break;
		case OPT_NFT_SET:
			if (set_output(o, OUT_NFT, "--nft-set") < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			if (!nft_name_ok(optarg)) {
				char e[64];
				log_error("--nft-set: expected a set name (a letter, then letters, "
					  "digits, '_', '.' or '/', at most 63), got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->nft_set = optarg;
			break;
		case OPT_NFT_TIMEOUT:
			if (number_arg("--nft-timeout", optarg, 1, 100000000, &o->nft_timeout) < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			break;
		case OPT_NFT_TABLE:
			if (!nft_name_ok(optarg)) {
				char e[64];
				log_error("--nft-table: expected a table name (a letter, then letters, "
					  "digits, '_', '.' or '/', at most 63), got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->nft_table = optarg;
			break;
		case OPT_HTML:
			if (!optarg[0]) {
				log_error("--html: expected a file name");
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->html = optarg;
			break;
		case OPT_SUMMARY:
			o->summary_only = true;
			break;
		case OPT_TOP:
			if (number_arg("--top", optarg, 1, 1000000, &v) < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			o->top = v;
			o->top_given = true;
			break;
		case OPT_GROUP_V6:
			if (number_arg("--group-v6", optarg, 1, 128, &v) < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			o->group_v6 = v == 128 ? 0 : v;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
		case OPT_PORT:
		case OPT_PROTO:
		case OPT_PREFIX:
		case OPT_CHAIN:
			if (filter_arg(o, (enum filter_kind)(FILTER_SINCE + (c - OPT_SINCE)), optarg) < 0)
				return *ret_exit = EXIT_USAGE, -EINVAL;
			break;
		case 'm':
			if (span_to_u32(span_make(optarg, strlen(optarg)), &v) < 0 || v > 5) {
				char e[64];
				log_error("--min-dl: expected a danger level 0-5, got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->min_dl = v;
			o->min_dl_given = true;
			break;
		case 'i':
			if (o->n_ips >= REPORT_IPS_MAX) {
				log_error("--ip: at most %d", REPORT_IPS_MAX);
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			if (net_parse(span_make(optarg, strlen(optarg)), &o->ips[o->n_ips]) < 0) {
				char e[96];
				log_error("--ip: expected ADDR or ADDR/LEN, got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->n_ips++;
			break;
		case 'y':
			if (span_to_u32(span_make(optarg, strlen(optarg)), &v) < 0 || v < 1970 ||
			    v > 9999) {
				char e[64];
				log_error("--year: expected a year 1970-9999, got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->year = (int)v;
			break;
		case 'f':
			if (parse_format_from_name(optarg, &o->format) < 0) {
				char name[64];
				escape_bytes(optarg, strlen(optarg), name, sizeof(name));
				log_error("--format: expected auto, syslog, logemu, dmesg, kmsg, json, "
					  "export or bare, got '%s'",
					  name);
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			break;
		case 'v':
			o->verbose = o->det.verbose = true;
			break;
		case 'C':
			o->no_color = true;
			break;
		case 'h':
			fputs(analyze_usage, stdout);
			return *ret_exit = EXIT_OK, 1;
		default:
			fputs(analyze_usage, stderr);
			return *ret_exit = EXIT_USAGE, -EINVAL;
		}
	}
	return 0;
}
