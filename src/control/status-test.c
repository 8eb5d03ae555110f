/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status-test.c - the status document: every key cli.md fixes for `vigil
 * status --json` and vigil's additions, the filters (--ip, --min-dl,
 * --summary, --top), the top lists, input sums and the text form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "control/control.h"
#include "control/status.h"
#include "engine/engine.h"
#include "match/matchers.h"
#include "report/outbuf.h"
#include "report/report.h"
#include "source/source.h"

#define T0 1773261311 /* 2026-03-11T20:35:11 */

struct fx {
	struct config cfg;
	struct matchers m;
	struct engine *e;
	struct input_stats in;
	struct source_counters kmsg, file;
	struct status_input inputs[3];
	char *doc;
	size_t len;
};

static struct event ev_syn(const char *src, const char *dst, uint16_t dport)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	assert_int_equal(addr_parse(span_make(src, strlen(src)), &ev.src), 0);
	assert_int_equal(addr_parse(span_make(dst, strlen(dst)), &ev.dst), 0);
	ev.proto = IPPROTO_NUM_TCP;
	ev.chain = CHAIN_INPUT;
	ev.in = SPAN_LIT("eth0");
	ev.time.kind = VTIME_WALL;
	ev.time.sec = T0;
	ev.ip_len = 44;
	ev.ttl = 52;
	ev.has_ports = true;
	ev.sport = 40000;
	ev.dport = dport;
	ev.tcp_flags = TCPF_SYN;
	ev.has_seq = true;
	ev.window = 1024;
	return ev;
}

static void feed(struct fx *f, const char *src, const char *dst, uint16_t lo, uint16_t hi)
{
	for (uint32_t p = lo; p <= hi; p++) {
		struct event ev = ev_syn(src, dst, (uint16_t)p);
		(void)engine_feed(f->e, &ev, T0);
	}
}

static int fx_setup(void **state)
{
	struct matchers_opts mo = { 0 };
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	config_init(&f->cfg);
	if (matchers_load(&f->m, &f->cfg, &mo, NULL, NULL) < 0)
		return -1;
	if (engine_new(&f->cfg, NULL, NULL, NULL, &f->e) < 0)
		return -1;
	engine_set_matchers(f->e, &f->m);
	/* a wide scan, a small one, one probe from v6 */
	feed(f, "198.18.0.7", "198.18.0.1", 1, 1500);
	feed(f, "198.18.0.9", "198.18.0.1", 20, 25);
	feed(f, "198.18.0.9", "198.18.0.2", 22, 22);
	feed(f, "2001:db8::5", "2001:db8::1", 22, 22);
	f->in = (struct input_stats){ .events = 1508, .ignored = 3, .malformed = 2, .lines = 1513,
				      .lost = 4 };
	f->kmsg = (struct source_counters){ .records = 1000, .lost = 7, .errors = 1 };
	f->file = (struct source_counters){ .records = 513 };
	/* two inputs feeding one ingest: its counters are summed once */
	f->inputs[0] = (struct status_input){ .name = "kmsg", .kind = "kmsg", .in = &f->in,
					      .n = &f->kmsg, .error = "read: No such device",
					      .open = true };
	f->inputs[1] = (struct status_input){ .name = "file:/var/log/kern\x01.log", .kind = "file",
					      .in = &f->in, .n = &f->file };
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	f->e = engine_free(f->e);
	matchers_done(&f->m);
	free(f->doc);
	free(f);
	return 0;
}

/* The document for a request line, in f->doc. */
static void render(struct fx *f, const char *line)
{
	struct control_request req;
	const char *why = NULL;
	struct outbuf *o = malloc(sizeof(*o));
	FILE *mem;

	assert_non_null(o);
	assert_int_equal(control_request_parse(line, strlen(line), &req, &why), 0);
	free(f->doc);
	f->doc = NULL;
	mem = open_memstream(&f->doc, &f->len);
	assert_non_null(mem);
	outbuf_init(o, mem);
	status_write(o, &req, f->e, f->inputs, 2, 3725, &f->m);
	assert_int_equal(outbuf_flush(o), 0);
	assert_int_equal(fclose(mem), 0);
	free(o);
}

static void has(const struct fx *f, const char *needle)
{
	if (!strstr(f->doc, needle))
		fail_msg("'%s' not in: %.2000s", needle, f->doc);
}

static void has_not(const struct fx *f, const char *needle)
{
	if (strstr(f->doc, needle))
		fail_msg("'%s' unexpected in: %.2000s", needle, f->doc);
}

static size_t count(const struct fx *f, const char *needle)
{
	size_t n = 0;

	for (const char *p = f->doc; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* cli.md: {"uptime_s": N, "input": {"events", "ignored", "malformed",
 * "lost"}, "sources": [...as analyze --json...], "blocks": [...]} */
static void test_json_contract_keys(void **state)
{
	struct fx *f = *state;

	render(f, "status --json");
	assert_int_equal(f->doc[0], '{');
	assert_int_equal(f->doc[f->len - 1], '\n');
	assert_int_equal(f->doc[f->len - 2], '}');
	has(f, "\"uptime_s\":3725,");
	{ /* the daemon's pid, to signal it (a detached daemon has no terminal) */
		char pid[40];
		snprintf(pid, sizeof(pid), "\"pid\":%ld,", (long)getpid());
		has(f, pid);
	}
	has(f, "\"input\":{\"events\":1508,\"ignored\":3,\"malformed\":2,\"lost\":7,");
	has(f, "\"sources\":[{\"src\":\"198.18.0.7\",\"danger_level\":");
	has(f, "\"blocks\":[]}");
	/* the source objects are analyze's */
	for (const char *k = "src\0danger_level\0packets\0first_seen\0last_seen\0protocols\0"
			     "scan_types\0nmap\0destinations\0signatures\0os_guess\0"
			     "invalid_icmp\0sweep_level\0";
	     *k; k += strlen(k) + 1) {
		char key[64];
		snprintf(key, sizeof(key), "\"%s\":", k);
		has(f, key);
	}
	has(f, "\"dst\":\"198.18.0.1\"");
	has(f, "\"tcp\":{\"packets\":1500,\"ports\":\"1-1500\"");
	assert_int_equal(count(f, "{\"src\":"), 3 + 3); /* top_sources + sources */
}

static void test_json_extensions(void **state)
{
	struct fx *f = *state;

	render(f, "status --json");
	has(f, "\"inputs\":[{\"name\":\"kmsg\",\"kind\":\"kmsg\",\"open\":true,\"records\":1000,");
	has(f, "\"truncations\":0,\"lost\":7,\"error\":\"read: No such device\"}");
	has(f, "\"error\":\"read: No such device\"}");
	has(f, "{\"name\":\"file:/var/log/kern\\u0001.log\",\"kind\":\"file\",\"open\":false,"
	       "\"records\":513,");
	has(f, "\"error\":null}");
	has(f, "\"sources_tracked\":3,\"sources_matching\":3,\"sources_listed\":3,");
	has(f, "\"danger_levels\":{\"0\":");
	has(f, "\"top_sources\":[{\"src\":\"198.18.0.7\",\"danger_level\":");
	has(f, "\"packets\":1500,\"destinations\":1,\"ports\":1500}");
	/* ports probed by the most sources: tcp/22 by all three */
	has(f, "\"top_ports\":[{\"proto\":\"tcp\",\"port\":22,\"sources\":3}");
	/* most sources, then most matches: the window-1024 SYN rule matched 1508 times */
	has(f, "\"top_signatures\":[{\"sid\":3000007,\"msg\":\"SCAN nmap or masscan SYN probe, "
	       "window 1024\",\"sources\":3,\"count\":1508},{\"sid\":3000111,");
	has(f, "\"top_partial\":false");
	has(f, "\"engine\":{\"memory_used\":");
	has(f, "\"sources_evicted\":0,");
	has_not(f, "\"control\":"); /* not given */
}

static void test_control_counters(void **state)
{
	struct fx *f = *state;
	struct control_stats cs = { .accepted = 9, .served = 5, .refused_busy = 1, .refused_peer = 2,
				    .bad_requests = 1 };
	struct status_args a = { .e = f->e, .inputs = f->inputs, .n_inputs = 2, .uptime_s = 1,
				 .m = &f->m, .control = &cs };
	struct control_request req;
	struct outbuf *o = malloc(sizeof(*o));
	FILE *mem;

	assert_non_null(o);
	control_request_init(&req);
	req.json = true;
	mem = open_memstream(&f->doc, &f->len);
	outbuf_init(o, mem);
	status_write_args(o, &req, &a);
	assert_int_equal(outbuf_flush(o), 0);
	fclose(mem);
	has(f, "\"control\":{\"accepted\":9,\"served\":5,\"refused_busy\":1,\"refused_peer\":2,");
	free(f->doc);
	req.json = false;
	mem = open_memstream(&f->doc, &f->len);
	outbuf_init(o, mem);
	status_write_args(o, &req, &a);
	assert_int_equal(outbuf_flush(o), 0);
	fclose(mem);
	has(f, "control: 5 served, 3 refused (busy 1, peer 2), 1 bad, 0 timed out\n");
	has(f, "memory: ");
	free(o);
}

static void test_filters(void **state)
{
	struct fx *f = *state;

	render(f, "status --json --ip 2001:db8::/32");
	has(f, "\"sources_matching\":1,\"sources_listed\":1,");
	has(f, "\"sources\":[{\"src\":\"2001:db8::5\"");
	has_not(f, "\"src\":\"198.18.0.7\"");
	has(f, "\"top_ports\":[{\"proto\":\"tcp\",\"port\":22,\"sources\":1}]");

	/* a destination in the network lists its source */
	render(f, "status --json --ip 198.18.0.2");
	has(f, "\"sources_matching\":1,");
	has(f, "\"sources\":[{\"src\":\"198.18.0.9\"");

	render(f, "status --json --min-dl 5");
	has(f, "\"sources_tracked\":3,\"sources_matching\":0,\"sources_listed\":0,");
	has(f, "\"sources\":[],");
	has(f, "\"top_sources\":[],\"top_ports\":[],\"top_signatures\":[]");

	render(f, "status --json --top 1");
	has(f, "\"sources_matching\":3,\"sources_listed\":1,");
	assert_int_equal(count(f, "\"destinations\":["), 1);

	render(f, "status --json --summary");
	has(f, "\"sources_listed\":0,");
	has(f, "\"sources\":[],\"blocks\":[]}");
	has(f, "\"top_sources\":[{\"src\":\"198.18.0.7\"");
}

static void test_text(void **state)
{
	struct fx *f = *state;

	char head[80];

	render(f, "status");
	snprintf(head, sizeof(head), "vigil 0.1.0 (pid %ld) up 0d 01:02:05\n", (long)getpid());
	has(f, head);
	has(f, "input: 1508 events, 3 ignored, 2 malformed, 7 lost\n");
	has(f, "kmsg                     open, 1000 records, 7 lost, 1 errors, last error: read: "
	       "No such device\n");
	has(f, "file:/var/log/kern\\x01.log CLOSED, 513 records");
	has(f, "file:/var/log/kern\\x01.log"); /* escaped, never raw */
	has_not(f, "\x01");
	has(f, "sources: 3 tracked,");
	has(f, "top ports (sources): tcp/22 (3)");
	has(f, "top sources:\n");
	has(f, "198.18.0.7");
	has(f, "SOURCES BY DANGER LEVEL"); /* analyze's listing follows */

	render(f, "status --summary");
	has(f, "top sources:\n");
	has_not(f, "SOURCES BY DANGER LEVEL");
}

static void test_empty_engine(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &f->e), 0);
	render(f, "status --json");
	has(f, "\"sources_tracked\":0,");
	has(f, "\"sources\":[],\"blocks\":[]}");
	render(f, "status");
	has(f, "no sources");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_json_contract_keys), T(test_json_extensions), T(test_filters), T(test_text),
		T(test_empty_engine), T(test_control_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
