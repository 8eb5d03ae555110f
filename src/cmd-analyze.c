/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-analyze.c - `vigil analyze`: the forensics pipeline.
 *
 * file source -> parse_line -> engine_feed -> report. Every line is counted
 * exactly once: an event, ignored (with the reason), or malformed (named
 * with FILE:LINE:COLUMN under --verbose). A file that cannot be read is a
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
#include "config/autodl.h"
#include "engine/engine.h"
#include "match/matchers.h"
#include "parse/parse.h"
#include "report/report.h"
#include "source/file.h"
#include "util/escape.h"
#include "util/log.h"

struct analyze_opts {
	const char *config_path;
	const char *autodl_path;
	struct matchers_opts mo;
	bool json, verbose, no_color;
	unsigned min_dl;
	bool min_dl_given;
	bool has_ip;
	struct net ip;
	int year; /* --year: reference year for yearless timestamps */
	enum parse_format format; /* --format: every input's format (default: found) */
};

struct held_line {
	char *p;
	size_t len;
	uint64_t lineno;
};

struct analyze {
	const struct analyze_opts *o;
	struct held_line held[PARSE_LOGEMU_CONFIRM]; /* see parse_input's hold */
	size_t n_held;
	struct engine *engine;
	struct input_stats in;
	int64_t clock_sec; /* last known log time, for events without one */
	struct input_problem problems[INPUT_PROBLEMS_MAX]; /* in.problems */
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

static void note_time(struct analyze *a, const struct vtime *t)
{
	vtime_merge(&a->in.first, &a->in.last, t);
	if (t->kind != VTIME_NONE)
		a->clock_sec = t->sec;
}

static void count_ignored(struct input_stats *in, enum parse_ignore why)
{
	in->ignored++;
	switch (why) {
	case PARSE_IGN_BLANK:
		in->ignored_blank++;
		break;
	case PARSE_IGN_NOT_FIREWALL:
		in->ignored_not_firewall++;
		break;
	case PARSE_IGN_NOT_KERNEL:
		in->ignored_not_kernel++;
		break;
	case PARSE_IGN_NOT_IP:
		in->ignored_not_ip++;
		break;
	case PARSE_IGN_NO_TAG:
		in->ignored_no_tag++;
		break;
	case PARSE_IGN_UNKNOWN_ENVELOPE:
		in->ignored_unknown_envelope++;
		break;
	case PARSE_IGN_OFF_FORMAT:
		in->ignored_off_format++;
		break;
	case PARSE_IGN_RECORD_PART:
	case PARSE_IGN_COUNT:
		in->ignored_record_part++;
		break;
	}
}

static void report_malformed(struct analyze *a, const char *file, uint64_t lineno,
			     const struct parse_error *err)
{
	char got[80], name[256];

	a->in.malformed++;
	if (!a->o->verbose)
		return;
	escape_bytes(err->got.p, err->got.len > 40 ? 40 : err->got.len, got, sizeof(got));
	escape_bytes(file, strlen(file), name, sizeof(name));
	log_error("%s:%llu:%zu: %s, got '%s'", name, (unsigned long long)lineno, err->column,
		  err->reason, got);
}

/* rsyslog's "message repeated N times" line stands for N records: the
 * engine is fed N times, at most this many (a forged N must not stall the
 * run); the rest are counted as repeated_unfed. */
#define REPEAT_FEED_MAX 100000u

static void account(struct analyze *a, enum parse_verdict v, const struct event *ev,
		    uint32_t repeat, enum parse_ignore why, const struct parse_error *err,
		    const char *file, uint64_t lineno)
{
	switch (v) {
	case PARSE_EVENT:
		note_time(a, &ev->time);
		if (engine_feed(a->engine, ev, a->clock_sec * 1000000) == ENGINE_COUNTED) {
			a->in.events++;
		} else {
			a->in.ignored++; /* by reason in engine_stats */
		}
		if (repeat > 1) {
			uint32_t fed = repeat < REPEAT_FEED_MAX ? repeat : REPEAT_FEED_MAX;
			a->in.repeated += repeat - 1;
			a->in.repeated_unfed += repeat - fed;
			for (uint32_t k = 1; k < fed; k++)
				engine_feed(a->engine, ev, a->clock_sec * 1000000);
		}
		break;
	case PARSE_IGNORED:
		count_ignored(&a->in, why);
		break;
	case PARSE_MALFORMED:
		report_malformed(a, file, lineno, err);
		break;
	}
}

/* Lines held while the input's format was tentative (parse.h), read again
 * now that it is settled. */
static void replay_held(struct analyze *a, struct parse_input *pin, const char *file)
{
	for (size_t i = 0; i < a->n_held; i++) {
		struct held_line *h = &a->held[i];
		struct event ev;
		enum parse_ignore why;
		struct parse_error err;
		enum parse_verdict v = parse_line(pin, span_make(h->p, h->len), &ev, &why, &err);
		account(a, v, &ev, pin->repeat, why, &err, file, h->lineno);
		free(h->p);
		h->p = NULL;
	}
	a->n_held = 0;
}

static bool hold_line(struct analyze *a, struct span line, uint64_t lineno)
{
	if (a->n_held >= PARSE_LOGEMU_CONFIRM)
		return false;
	char *p = malloc(line.len ? line.len : 1);
	if (!p)
		return false;
	memcpy(p, line.p, line.len);
	a->held[a->n_held++] = (struct held_line){ p, line.len, lineno };
	return true;
}

static void handle_line(struct analyze *a, struct parse_input *pin, const char *file,
			uint64_t lineno, struct span line, bool overlong, size_t max_line)
{
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;

	a->in.lines++;
	if (overlong) {
		err = (struct parse_error){ .column = max_line + 1,
					    .reason = "line longer than MAX_LINE_LENGTH",
					    .got = span_make(line.p + line.len - 8, 8) };
		report_malformed(a, file, lineno, &err);
		return;
	}
	enum parse_verdict v = parse_line(pin, line, &ev, &why, &err);
	uint32_t repeat = pin->repeat;
	if (v == PARSE_EVENT && pin->hold && hold_line(a, line, lineno))
		return;
	if (pin->settled)
		replay_held(a, pin, file);
	account(a, v, &ev, repeat, why, &err, file, lineno);
}

static int analyze_file(struct analyze *a, const char *path, size_t max_line)
{
	struct linereader *lr;
	struct parse_input *pin;
	struct span line;
	bool overlong;
	uint64_t lineno = 0;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	char ename[ESCAPE_PATH_MAX];
	int r;

	escape_str(name, ename, sizeof(ename));
	r = linereader_open(path, max_line, &lr);
	if (r < 0)
		return input_unreadable(&a->in, a->problems, name, ename, r);
	int64_t ref = local_wall(linereader_mtime(lr));
	if (a->o->year) {
		struct tm tm = { .tm_year = a->o->year - 1900, .tm_mon = 11, .tm_mday = 31,
				 .tm_hour = 23, .tm_min = 59, .tm_sec = 59 };
		ref = (int64_t)timegm(&tm) - 86400;
	}
	pin = malloc(sizeof(*pin));
	if (!pin) {
		linereader_free(lr);
		return log_errno(-ENOMEM, "%s: cannot read", name);
	}
	parse_input_init(pin, ref);
	parse_input_force_format(pin, a->o->format);
	uint64_t events0 = a->in.events, bare0 = a->in.ignored_unknown_envelope;
	while ((r = linereader_next(lr, &line, &overlong)) > 0)
		handle_line(a, pin, name, ++lineno, line, overlong, max_line);
	parse_input_settle(pin);
	if (pin->settled)
		replay_held(a, pin, name);
	if (r == 0 && parse_input_pending(pin)) {
		char esc[256];
		escape_bytes(name, strlen(name), esc, sizeof(esc));
		log_warn("%s: the last journal export entry is cut off (no blank line after it): "
			 "not read",
			 esc);
	}
	free(pin);
	/* A file of bare records (dmesg -t, journalctl -o cat) says nothing of
	 * who wrote them: ignored unless asked for, and said so. */
	if (a->in.events == events0 && a->in.ignored_unknown_envelope > bare0)
		log_warn("%s: %" PRIu64 " firewall record(s) in no envelope vigil knows were ignored "
			 "(nothing says the kernel wrote them); --format bare reads them",
			 ename, a->in.ignored_unknown_envelope - bare0);
	a->in.files++;
	a->in.bytes += linereader_bytes(lr);
	input_done(&a->in, a->problems, name, ename, lr, r, lineno);
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
			o->config_path = optarg;
			break;
		case 'a':
			o->autodl_path = optarg;
			break;
		case 's':
			o->mo.sig_path = optarg;
			break;
		case 'S':
			o->mo.no_signatures = true;
			break;
		case 'I':
			o->mo.no_icmp_types = true;
			break;
		case 'O':
			o->mo.no_os = true;
			break;
		case 'r':
			if (o->mo.n_rep >= MATCHERS_REP_MAX) {
				log_error("--reputation: at most %d files", MATCHERS_REP_MAX);
				return *ret_exit = EXIT_USAGE, -EINVAL;
			}
			o->mo.rep_paths[o->mo.n_rep++] = optarg;
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
			o->verbose = true;
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

static void autodl_diag(const struct config_diag *d, void *data)
{
	static const char *const names[] = { "note", "warning", "error" };
	unsigned *errors = data;
	char file[ESCAPE_PATH_MAX];

	if (d->severity == CONFIG_ERROR)
		(*errors)++;
	log_error("%s:%u: %s: %s", escape_str(d->file, file, sizeof(file)), d->line,
		  names[d->severity], d->msg);
}

/* Diagnostics of the data sets (signatures, ICMP types, fingerprints,
 * reputation lists): errors and warnings, FILE:LINE each, at most
 * DATA_DIAG_MAX per file unless --verbose (a bad list of 100,000 lines must
 * not bury the report); notes only with --verbose. */
#define DATA_DIAG_MAX 20
struct data_diag {
	bool verbose;
	unsigned errors, shown, hidden;
	char file[ESCAPE_PATH_MAX];
};

static void data_diag(const struct config_diag *d, void *data)
{
	static const char *const names[] = { "note", "warning", "error" };
	struct data_diag *dd = data;
	char file[ESCAPE_PATH_MAX];

	if (d->severity == CONFIG_ERROR)
		dd->errors++;
	if (d->severity == CONFIG_NOTE && !dd->verbose)
		return;
	escape_bytes(d->file, strlen(d->file), file, sizeof(file));
	if (strcmp(file, dd->file) != 0) {
		if (dd->hidden)
			log_warn("%s: %u more problem(s) not shown (--verbose shows all)", dd->file,
				 dd->hidden);
		snprintf(dd->file, sizeof(dd->file), "%s", file);
		dd->shown = dd->hidden = 0;
	}
	if (!dd->verbose && dd->shown >= DATA_DIAG_MAX) {
		dd->hidden++;
		return;
	}
	dd->shown++;
	if (d->line)
		log_error("%s:%u: %s: %s", file, d->line, names[d->severity], d->msg);
	else
		log_error("%s: %s: %s", file, names[d->severity], d->msg);
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

static int print_report(struct analyze *a, const struct config *cfg, const struct matchers *m)
{
	const struct analyze_opts *o = a->o;
	struct report_opts ro = { .min_dl = o->min_dl, .has_ip = o->has_ip, .ip = o->ip };
	const char *no_color = getenv("NO_COLOR");

	if (!o->min_dl_given && cfg->min_danger_level_set)
		ro.min_dl = cfg->min_danger_level;
	ro.color = !o->json && !o->no_color && isatty(STDOUT_FILENO) &&
		   !(no_color && no_color[0]);
	ro.width = 80;
	ro.home_net = cfg->home_net;
	ro.m = m;
	ro.n_home_net = cfg->n_home_net;
	int r = o->json ? report_json(stdout, a->engine, &a->in, &ro)
			: report_text(stdout, a->engine, &a->in, &ro);
	if (fflush(stdout) != 0 || ferror(stdout))
		return log_errno(-errno, "cannot write the report");
	return r;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { 0 };
	struct analyze a = { .o = &o };
	struct config cfg;
	struct autodl *adl = NULL;
	struct matchers m;
	int status = EXIT_RUNTIME, ex = EXIT_OK, r;

	r = parse_opts(argc, argv, &o, &ex);
	if (r != 0)
		return ex;
	if (cmd_load_config(&cfg, o.config_path, o.verbose) < 0)
		return EXIT_RUNTIME;
	struct data_diag dd = { .verbose = o.verbose };
	r = matchers_load(&m, &cfg, &o.mo, data_diag, &dd);
	if (dd.hidden)
		log_warn("%s: %u more problem(s) not shown (--verbose shows all)", dd.file, dd.hidden);
	if (r < 0) {
		if (r == -ENOMEM)
			log_errno(r, "cannot load the signature and fingerprint sets");
		return EXIT_RUNTIME;
	}
	const char *adl_path = o.autodl_path ? o.autodl_path : cfg.auto_dl_file;
	char adl_esc[ESCAPE_PATH_MAX];
	unsigned adl_errors = 0;
	escape_str(adl_path, adl_esc, sizeof(adl_esc));
	r = autodl_load(adl_path, autodl_diag, &adl_errors, &adl);
	if (r == -ENOENT && !o.autodl_path) {
		adl = NULL;
	} else if (r < 0) {
		if (r != -EINVAL)
			log_errno(r, "cannot read auto_dl file '%s'", adl_esc);
		else
			log_error("%s: %u error(s) in the auto_dl file", adl_esc, adl_errors);
		goto out;
	}
	r = engine_new(&cfg, adl, NULL, NULL, &a.engine);
	if (r < 0) {
		log_errno(r, "cannot start the engine");
		goto out;
	}
	engine_set_matchers(a.engine, &m);
	status = run(&a, &cfg, argc - optind, argv + optind);
	if (a.in.malformed && !o.verbose)
		log_warn("%llu malformed line(s) counted; --verbose names each one",
			 (unsigned long long)a.in.malformed);
	if (print_report(&a, &cfg, &m) < 0)
		status = EXIT_RUNTIME;
out:
	engine_free(a.engine);
	autodl_free(adl);
	matchers_done(&m);
	return status;
}
