/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-analyze.c - `vigil analyze`: the forensics pipeline.
 *
 * file source -> ingest (parse, engine) -> report. The detector (ingest/
 * detector.h) loads what the engine judges with, ingest (ingest/ingest.h)
 * counts every line exactly once: an event, ignored (with the reason), or
 * malformed (named with FILE:LINE:COLUMN under --verbose). What is left here
 * is the command: files in, reports out (the options are read by
 * cmd-analyze-opts.c). A file that cannot be read is a
 * runtime error (exit 1) after the other files are still analysed, so one
 * bad path does not hide the rest.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmd-analyze-opts.h"
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

struct analyze {
	const struct analyze_opts *o;
	struct ingest *ingest;
	/* what the files themselves gave: files, bytes, read_errors, lost,
	 * problems (the lines' counters are the ingest's) */
	struct input_stats files;
	struct input_problem problems[INPUT_PROBLEMS_MAX]; /* files.problems */
};

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

	r = analyze_parse_opts(argc, argv, &o, &ex);
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
