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
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "ingest/detector.h"
#include "ingest/diag.h"
#include "ingest/ingest.h"
#include "parse/parse.h"
#include "report/report.h"
#include "source/file.h"
#include "util/escape.h"
#include "util/log.h"

struct analyze_opts {
	struct detector_opts det; /* --config, --auto-dl and the data sets */
	bool json, verbose, no_color;
	unsigned min_dl;
	bool min_dl_given;
	bool has_ip;
	struct net ip;
	int year; /* --year: reference year for yearless timestamps */
	enum parse_format format; /* --format: every input's format (default: found) */
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
	"  --json            one JSON document on stdout instead of the text report\n"
	"  --min-dl N        list only sources with danger level >= N (0-5)\n"
	"  --ip ADDR[/LEN]   list only sources in ADDR/LEN or with a destination in it\n"
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
			o->json = true;
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
			if (net_parse(span_make(optarg, strlen(optarg)), &o->ip) < 0) {
				char e[96];
				log_error("--ip: expected ADDR or ADDR/LEN, got '%s'",
					  escape_str(optarg, e, sizeof(e)));
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->has_ip = true;
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

static int print_report(struct analyze *a, const struct engine *e, const struct detector *d)
{
	const struct analyze_opts *o = a->o;
	const struct config *cfg = detector_config(d);
	struct report_opts ro = { .min_dl = o->min_dl, .has_ip = o->has_ip, .ip = o->ip };
	const char *no_color = getenv("NO_COLOR");
	struct input_stats in;

	if (!o->min_dl_given && cfg->min_danger_level_set)
		ro.min_dl = cfg->min_danger_level;
	ro.color = !o->json && !o->no_color && isatty(STDOUT_FILENO) &&
		   !(no_color && no_color[0]);
	ro.width = 80;
	ro.home_net = cfg->home_net;
	ro.m = detector_matchers(d);
	ro.n_home_net = cfg->n_home_net;
	input_totals(a, &in);
	int r = o->json ? report_json(stdout, e, &in, &ro) : report_text(stdout, e, &in, &ro);
	if (fflush(stdout) != 0 || ferror(stdout))
		return log_errno(-errno, "cannot write the report");
	return r;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { 0 };
	struct analyze a = { .o = &o };
	struct diag_printer dp = { .max_per_file = DIAG_MAX_PER_FILE };
	struct detector *d = NULL;
	struct engine *e = NULL;
	int status = EXIT_RUNTIME, ex = EXIT_OK, r;

	r = parse_opts(argc, argv, &o, &ex);
	if (r != 0)
		return ex;
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
	struct ingest_opts io = { .format = o.format };
	r = ingest_new(e, cfg, &io, &a.ingest);
	if (r < 0) {
		log_errno(r, "cannot start the engine");
		goto out;
	}
	ingest_on_malformed(a.ingest, print_malformed, &o);
	status = run(&a, cfg, argc - optind, argv + optind);
	uint64_t malformed = ingest_stats(a.ingest)->malformed;
	if (malformed && !o.verbose)
		log_warn("%llu malformed line(s) counted; --verbose names each one",
			 (unsigned long long)malformed);
	if (print_report(&a, e, d) < 0)
		status = EXIT_RUNTIME;
out:
	ingest_free(a.ingest);
	engine_free(e);
	detector_free(d);
	return status;
}
