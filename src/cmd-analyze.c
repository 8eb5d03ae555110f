/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-analyze.c - `vigil analyze`: the forensics pipeline.
 *
 * file source -> ingest (parse, engine) -> report. The detector (ingest/
 * detector.h) loads what the engine judges with, ingest (ingest/ingest.h)
 * counts every line exactly once: an event, ignored (with the reason), or
 * malformed (named with FILE:LINE:COLUMN under --verbose). What is left here
 * is the command: options, files, report. A file that cannot be read is a
 * runtime error (exit 1) after the other files are still analysed, so one
 * bad path does not hide the rest.
 */
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "ingest/detector.h"
#include "ingest/diag.h"
#include "ingest/filter.h"
#include "ingest/ingest.h"
#include "parse/parse.h"
#include "report/report.h"
#include "report/tally.h"
#include "source/file.h"
#include "util/escape.h"
#include "util/log.h"

/* What goes to stdout: one of these. */
enum analyze_output { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_LIST, OUT_NFT };

struct analyze_opts {
	struct detector_opts det; /* --config, --auto-dl and the data sets */
	enum analyze_output output;
	const char *output_opt;   /* the option that chose it (for the usage error) */
	bool verbose, no_color;
	unsigned min_dl;
	bool min_dl_given;
	struct net ips[REPORT_IPS_MAX]; /* --ip, repeated */
	size_t n_ips;
	int year; /* --year: reference year for yearless timestamps */
	enum parse_format format; /* --format: every input's format (default: found) */
	bool summary_only;        /* --summary */
	unsigned top;             /* --top N */
	bool top_given;
	unsigned group_v6;        /* --group-v6 LEN */
	const char *nft_set;      /* --nft-set NAME */
	uint32_t nft_timeout;     /* --nft-timeout SECONDS */
	const char *nft_table;    /* --nft-table NAME */
	const char *html;         /* --html FILE */
	struct event_filter *filter; /* --since, --until, --port, --proto, --prefix, --chain */
	char filters[512];        /* those options as given, escaped, for the report */
};

struct analyze {
	const struct analyze_opts *o;
	struct ingest *ingest;
	/* what the files themselves gave: files, bytes, read_errors, lost,
	 * problems (the lines' counters are the ingest's) */
	struct input_stats files;
	struct input_problem problems[INPUT_PROBLEMS_MAX]; /* files.problems */
};

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

/* Wall seconds of "now" or an mtime in the machine's zone, the zone a
 * yearless syslog line was written in. */
static int64_t local_wall(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!localtime_r(&tt, &tm))
		return t;
	return t + tm.tm_gmtoff;
}

static void print_malformed(const char *file, uint64_t lineno, const struct parse_error *err,
			    void *data)
{
	const struct analyze_opts *o = data;
	char got[80], name[256];

	if (!o->verbose)
		return;
	escape_bytes(err->got.p, err->got.len > 40 ? 40 : err->got.len, got, sizeof(got));
	escape_bytes(file, strlen(file), name, sizeof(name));
	log_error("%s:%llu:%zu: %s, got '%s'", name, (unsigned long long)lineno, err->column,
		  err->reason, got);
}

static int analyze_file(struct analyze *a, const char *path, size_t max_line)
{
	struct linereader *lr;
	struct span line;
	bool overlong;
	uint64_t lineno = 0;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	char ename[ESCAPE_PATH_MAX];
	int r;

	escape_str(name, ename, sizeof(ename));
	r = linereader_open(path, max_line, &lr);
	if (r < 0)
		return input_unreadable(&a->files, a->problems, name, ename, r);
	int64_t ref = local_wall(linereader_mtime(lr));
	if (a->o->year) {
		struct tm tm = { .tm_year = a->o->year - 1900, .tm_mon = 11, .tm_mday = 31,
				 .tm_hour = 23, .tm_min = 59, .tm_sec = 59 };
		ref = (int64_t)timegm(&tm) - 86400;
	}
	const struct input_stats *st = ingest_stats(a->ingest);
	uint64_t events0 = st->events, bare0 = st->ignored_unknown_envelope;
	ingest_begin(a->ingest, name, ref);
	ingest_set_boot(a->ingest, linereader_boot_us(lr)); /* /dev/kmsg: uptimes as wall time */
	while ((r = linereader_next(lr, &line, &overlong)) > 0) {
		lineno++;
		ingest_line(a->ingest, line, overlong, 0);
	}
	if (ingest_end(a->ingest) && r == 0) {
		char esc[256];
		escape_bytes(name, strlen(name), esc, sizeof(esc));
		log_warn("%s: the last journal export entry is cut off (no blank line after it): "
			 "not read",
			 esc);
	}
	/* A file of bare records (dmesg -t, journalctl -o cat) says nothing of
	 * who wrote them: ignored unless asked for, and said so. */
	if (st->events == events0 && st->ignored_unknown_envelope > bare0)
		log_warn("%s: %" PRIu64 " firewall record(s) in no envelope vigil knows were ignored "
			 "(nothing says the kernel wrote them); --format bare reads them",
			 ename, st->ignored_unknown_envelope - bare0);
	a->files.files++;
	a->files.bytes += linereader_bytes(lr);
	input_done(&a->files, a->problems, name, ename, lr, r, lineno);
	linereader_free(lr);
	return r < 0 ? r : 0;
}

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

static int parse_opts(int argc, char **argv, struct analyze_opts *o, int *ret_exit)
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

static int run(struct analyze *a, const struct config *cfg, int nfiles, char **files)
{
	int status = EXIT_OK;
	size_t max_line = cfg->max_line_length;

	if (nfiles == 0) {
		if (isatty(STDIN_FILENO))
			log_info("reading log lines from stdin (end with Ctrl-D; "
				 "'vigil analyze --help' for files)");
		if (analyze_file(a, "-", max_line) < 0)
			status = EXIT_RUNTIME;
	}
	for (int i = 0; i < nfiles; i++)
		if (analyze_file(a, files[i], max_line) < 0)
			status = EXIT_RUNTIME;
	return status;
}

/* The report's counters: the lines' from ingest, the files' from here. */
static void input_totals(const struct analyze *a, struct input_stats *ret)
{
	*ret = *ingest_stats(a->ingest);
	ret->files = a->files.files;
	ret->bytes = a->files.bytes;
	ret->read_errors = a->files.read_errors;
	ret->lost += a->files.lost;
	ret->problems = a->files.problems;
	ret->n_problems = a->files.n_problems;
	ret->problems_unlisted = a->files.problems_unlisted;
}

/* The terminal's width when stdout is one, else 80. */
static unsigned terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return 80;
	return ws.ws_col < 60 ? 60 : ws.ws_col > 300 ? 300 : ws.ws_col;
}

/* --list, --nft-set without --min-dl: a block list of DL 1 sources blocks
 * every stray packet's sender, so the threshold is the one the daemon blocks
 * at (AUTO_IDS_DANGER_LEVEL, psad's default 5), or MIN_DANGER_LEVEL when
 * the configuration sets it higher; said on stderr. */
static void block_min_dl(const struct analyze_opts *o, const struct config *cfg,
			 struct report_opts *ro)
{
	const char *why = "AUTO_IDS_DANGER_LEVEL";

	ro->min_dl = cfg->auto_ids_danger_level;
	if (cfg->min_danger_level_set && cfg->min_danger_level > ro->min_dl) {
		ro->min_dl = cfg->min_danger_level;
		why = "MIN_DANGER_LEVEL";
	}
	ro->min_dl_given = true;
	log_info("%s: sources at danger level %u or above (%s); --min-dl N chooses", o->output_opt,
		 ro->min_dl, why);
}

/* What a block list left out, on stderr: nothing is dropped unsaid. */
static void block_stats_say(const struct analyze_opts *o, const struct report_opts *ro,
			    const struct report_block_stats *st)
{
	if (st->listed_private && ro->n_home_net == 0)
		log_warn("%s: %" PRIu64 " of the %" PRIu64 " listed are private or link-local "
			 "addresses (RFC 1918, ULA, ...) and HOME_NET is \"any\": set HOME_NET to "
			 "your networks to keep your own hosts out of the list",
			 o->output_opt, st->listed_private, st->listed);
	if (st->spoofed + st->reflected + st->whitelisted + st->local == 0)
		return;
	log_info("%s: %" PRIu64 " listed at danger level %u or above; left out (never blocked): "
		 "%" PRIu64 " spoofed, %" PRIu64 " reflected, %" PRIu64 " in BLOCK_WHITELIST, "
		 "%" PRIu64 " inside HOME_NET",
		 o->output_opt, st->listed, ro->min_dl, st->spoofed, st->reflected, st->whitelisted,
		 st->local);
}

static void report_opts_of(const struct analyze_opts *o, const struct detector *d,
			   const struct tally *t, struct report_opts *ro)
{
	const struct config *cfg = detector_config(d);
	const char *no_color = getenv("NO_COLOR");

	*ro = (struct report_opts){ .min_dl = o->min_dl, .min_dl_given = o->min_dl_given,
				    .ips = o->ips, .n_ips = o->n_ips, .group_v6 = o->group_v6,
				    .home_net = cfg->home_net, .n_home_net = cfg->n_home_net,
				    .m = detector_matchers(d), .cfg = cfg, .tally = t,
				    .summary_only = o->summary_only,
				    .top = o->top_given ? o->top : REPORT_TOP_DEFAULT,
				    .top_given = o->top_given, .nft_set = o->nft_set,
				    .nft_timeout = o->nft_timeout, .nft_table = o->nft_table,
				    .filters = o->filters[0] ? o->filters : NULL,
				    .now = (int64_t)time(NULL) };
	if (!o->min_dl_given && cfg->min_danger_level_set) {
		ro->min_dl = cfg->min_danger_level;
		ro->min_dl_given = true;
	}
	if ((o->output == OUT_LIST || o->output == OUT_NFT) && !o->min_dl_given)
		block_min_dl(o, cfg, ro);
	ro->color = o->output == OUT_TEXT && !o->no_color && isatty(STDOUT_FILENO) &&
		    !(no_color && no_color[0]);
	ro->width = terminal_width();
}

/* --html FILE: written next to it and renamed, so a reader never sees half
 * a page. */
static int write_html(const char *path, const struct engine *e, const struct input_stats *in,
		      const struct report_opts *ro)
{
	char tmp[PATH_MAX], ename[ESCAPE_PATH_MAX];
	struct report_opts o = *ro;
	FILE *f;
	int r;

	escape_str(path, ename, sizeof(ename));
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return log_errno(-ENAMETOOLONG, "--html %s", ename);
	f = fopen(tmp, "we");
	if (!f)
		return log_errno(-errno, "--html: cannot create %s.tmp", ename);
	o.color = false;
	r = report_html(f, e, in, &o);
	if (fclose(f) != 0 && r >= 0)
		r = -errno;
	if (r >= 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlink(tmp);
		return log_errno(r, "--html: cannot write %s", ename);
	}
	return 0;
}

static int print_report(struct analyze *a, const struct engine *e, const struct detector *d,
			const struct tally *t)
{
	const struct analyze_opts *o = a->o;
	struct report_block_stats bst = { 0 };
	struct report_opts ro;
	struct input_stats in;
	int r = 0;

	report_opts_of(o, d, t, &ro);
	input_totals(a, &in);
	if (o->html && write_html(o->html, e, &in, &ro) < 0)
		r = -EIO;
	switch (o->output) {
	case OUT_TEXT:
		r |= report_text(stdout, e, &in, &ro);
		break;
	case OUT_JSON:
		r |= report_json(stdout, e, &in, &ro);
		break;
	case OUT_CSV:
		r |= report_csv(stdout, e, &in, &ro);
		break;
	case OUT_LIST:
	case OUT_NFT:
		ro.block_stats = &bst;
		r |= (o->output == OUT_LIST ? report_list : report_nft)(stdout, e, &in, &ro);
		block_stats_say(o, &ro, &bst);
		break;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		return log_errno(-errno, "cannot write the report");
	return r < 0 ? -EIO : 0;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { 0 };
	struct analyze a = { .o = &o };
	struct diag_printer dp = { .max_per_file = DIAG_MAX_PER_FILE };
	struct detector *d = NULL;
	struct engine *e = NULL;
	struct tally *t = NULL;
	int status = EXIT_RUNTIME, ex = EXIT_OK, r;

	r = parse_opts(argc, argv, &o, &ex);
	if (r != 0) {
		filter_free(o.filter);
		return ex;
	}
	dp.verbose = o.verbose;
	r = detector_load(&o.det, diag_print, &dp, &d);
	diag_printer_end(&dp);
	if (r < 0)
		return EXIT_RUNTIME;
	const struct config *cfg = detector_config(d);
	r = detector_engine_new(d, NULL, NULL, &e);
	if (r < 0) {
		log_errno(r, "cannot start the engine");
		goto out;
	}
	struct ingest_opts io = { .format = o.format, .group_v6 = o.group_v6,
				  .filter = filter_empty(o.filter) ? NULL : o.filter };
	r = ingest_new(e, cfg, &io, &a.ingest);
	if (r < 0) {
		log_errno(r, "cannot start the engine");
		goto out;
	}
	ingest_on_malformed(a.ingest, print_malformed, &o);
	/* per-record counts the text summary and the HTML report show */
	if (o.output == OUT_TEXT || o.html) {
		t = tally_new(o.html != NULL);
		if (!t) {
			log_errno(-ENOMEM, "cannot start the engine");
			goto out;
		}
		ingest_on_event(a.ingest, tally_event, t);
	}
	status = run(&a, cfg, argc - optind, argv + optind);
	uint64_t untimed = ingest_stats(a.ingest)->ignored_untimed;
	if (untimed)
		log_warn("--since/--until: %llu record(s) with no wall-clock time (uptime-only "
			 "kmsg/dmesg) cannot be placed in time: left out (ignored: filter)",
			 (unsigned long long)untimed);
	uint64_t malformed = ingest_stats(a.ingest)->malformed;
	if (malformed && !o.verbose)
		log_warn("%llu malformed line(s) counted; --verbose names each one",
			 (unsigned long long)malformed);
	if (print_report(&a, e, d, t) < 0)
		status = EXIT_RUNTIME;
out:
	ingest_free(a.ingest);
	tally_free(t);
	filter_free(o.filter);
	engine_free(e);
	detector_free(d);
	return status;
}
