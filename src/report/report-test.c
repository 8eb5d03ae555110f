/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report-test.c - the JSON and text reports on hand-built engine states.
 *
 * No engine is run: sources and pairs are built here field by field (the
 * state structs are public) and given to report_json_sources() and
 * report_text_sources(). Expected output is compared byte for byte; every
 * JSON document also goes through a strict RFC 8259 syntax check.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/portset.h"
#include "engine/state.h"
#include "report/json-check.h"
#include "report/jsonw.h"
#include "report/report-internal.h"
#include "report/report.h"
#include "report/state-fixture.h"
#include "report/tally.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

#define T_2026_03_11_203511 1773261311
#define T_2026_03_11_203514 1773261314

/* --- building states -------------------------------------------------- */

/* The cli.md example: 192.0.2.55 SYN-scans 192.0.2.1 ports 1000-1500. */
static struct source_state *syn_scan_source(void)
{
	struct source_state *s = source_new("192.0.2.55", 3, 1);
	struct pair_state *p = source_add_pair(s, "192.0.2.1", 3);

	s->packets = 1002;
	s->first = wall(T_2026_03_11_203511);
	s->last = wall(T_2026_03_11_203514);
	s->protos[s->n_protos++] = (struct proto_count){ IPPROTO_NUM_TCP, 1002 };
	s->scan_types = 1u << SCAN_SYN;

	p->chain_packets[CHAIN_INPUT] = 1002;
	p->packets = 1002;
	p->first = s->first;
	p->last = s->last;
	p->tcp.packets = 1002;
	add_ports(&p->tcp.ports, 1000, 1500);
	p->flags[p->n_flags++] = (struct flag_count){ TCPF_SYN, 1002 };
	set_proto_bit(p, IPPROTO_NUM_TCP);
	p->scan_types = 1u << SCAN_SYN;
	return s;
}

/* --- running the reports ---------------------------------------------- */

static const struct report_opts default_opts = { .width = 80 };

static char *run_json(const struct source_state **v, size_t n, const struct input_stats *in,
		      const struct engine_stats *es, const struct report_opts *o)
{
	static const struct input_stats no_in;
	static const struct engine_stats no_es;
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	assert_non_null(f);
	assert_int_equal(report_json_sources(f, v, n, in ? in : &no_in, es ? es : &no_es,
					     o ? o : &default_opts), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(json_valid(doc));
	return doc;
}

static char *run_text(const struct source_state **v, size_t n, const struct input_stats *in,
		      const struct engine_stats *es, const struct report_opts *o)
{
	static const struct input_stats no_in;
	static const struct engine_stats no_es;
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	assert_non_null(f);
	assert_int_equal(report_text_sources(f, v, n, in ? in : &no_in, es ? es : &no_es,
					     o ? o : &default_opts), 0);
	assert_int_equal(fclose(f), 0);
	return doc;
}

/* The "sources" array of a document. */
static char *sources_part(char *doc)
{
	char *p = strstr(doc, "\"sources\":");

	assert_non_null(p);
	return p + strlen("\"sources\":");
}

/* One destination's JSON for a source made of that pair alone. */
static char *pair_json(struct pair_state *p)
{
	struct source_state *s = source_new("192.0.2.9", 1, 1);
	const struct source_state *v[1] = { s };
	char *doc;

	s->pairs[s->n_pairs++] = p;
	doc = run_json(v, 1, NULL, NULL, NULL);
	s->n_pairs = 0; /* the caller frees p */
	source_free(s);
	return doc;
}

/* Longest line in columns, ANSI colour sequences not counted. */
static size_t max_line_width(const char *text)
{
	size_t max = 0, col = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\033') {
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (++col > max)
			max = col;
	}
	return max;
}

/* --- JSON ------------------------------------------------------------- */

static void test_json_syn_scan(void **state)
{
	struct input_stats in = { .files = 1, .bytes = 123456, .lines = 1002, .events = 1002 };
	struct source_state *s = syn_scan_source();
	const struct source_state *v[1] = { s };
	char expect[4096], *doc;
	int o;

	(void)state;
	o = snprintf(expect, sizeof(expect),
		     "{\"vigil\":\"" VIGIL_VERSION "\",\"input\":{\"lines\":1002,\"events\":1002,"
		     "\"ignored\":0,\"malformed\":0,\"files\":1,\"bytes\":123456,"
		     "\"repeated\":0,\"repeated_unfed\":0,\"read_errors\":0,\"lost\":0,"
		     "\"errors\":[],\"problems\":[],\"problems_unlisted\":0,\"ignored_by\":{"
		     "\"blank\":0,\"not_firewall\":0,\"not_kernel\":0,\"not_ip\":0,"
		     "\"no_tag\":0,\"unknown_envelope\":0,\"off_format\":0,\"record_part\":0,\"filter\":0");
	for (int i = 1; i < _ENGINE_VERDICT_MAX; i++)
		o += snprintf(expect + o, sizeof(expect) - (size_t)o, ",\"%s\":0",
			      engine_verdict_name((enum engine_verdict)i));
	(void)snprintf(expect + o, sizeof(expect) - (size_t)o,
		       "}},\"limits\":{\"sources_evicted\":0,\"packets_evicted\":0,"
		       "\"dsts_untracked\":0,\"pairs_expired\":0,\"oom\":0,\"memory_limit\":0,"
		       "\"memory_peak\":0,\"max_sources\":0,\"max_dsts_per_source\":0,"
		       "\"evicted_top\":[]},"
		       "\"blame\":{\"reflected_sources\":0,\"reflected_packets\":0,"
		       "\"spoofed_sources\":0,\"spoofed_packets\":0,\"spoofed_by\":{"
		       "\"unspecified\":0,\"loopback\":0,\"multicast\":0,\"broadcast\":0,"
		       "\"reserved\":0,\"own\":0},\"own_addresses_learnt\":0,"
		       "\"own_learning_skipped\":0},"
		       "\"sources\":[{\"src\":\"192.0.2.55\",\"danger_level\":3,\"spoofed\":null,"
		       "\"reflected\":false,\"packets\":1002,\"time_base\":\"wall\","
		       "\"first_seen\":\"2026-03-11T20:35:11\",\"last_seen\":\"2026-03-11T20:35:14\","
		       "\"protocols\":{\"tcp\":1002},\"scan_types\":[\"SYN\"],\"nmap\":[\"-sS\"],"
		       "\"destinations\":[{\"dst\":\"192.0.2.1\",\"danger_level\":3,"
		       "\"time_base\":\"wall\",\"chain\":\"INPUT\",\"in\":\"eth1\",\"out\":\"\","
		       "\"tcp\":{\"packets\":1002,\"ports\":\"1000-1500\",\"port_min\":1000,"
		       "\"port_max\":1500,\"port_count\":501,\"flags\":{\"SYN\":1002}},"
		       "\"ip_protocols\":[6],\"packets\":1002,"
		       "\"first_seen\":\"2026-03-11T20:35:11\",\"last_seen\":\"2026-03-11T20:35:14\","
		       "\"chain_packets\":{\"INPUT\":1002}}],\"signatures\":[],\"os_guess\":[],"
		       "\"invalid_icmp\":0,\"signatures_other\":0,\"signature_level\":0,\"invalid_icmp_types\":{},\"scanners\":[],\"sweep_level\":0,\"auto_dl_level\":0,\"local\":false,\"untracked_destinations\":0,\"untracked_packets\":0}]}\n");
	doc = run_json(v, 1, &in, NULL, NULL);
	assert_string_equal(doc, expect);
	free(doc);
	source_free(s);
}

static void test_json_limits_and_extras(void **state)
{
	struct engine_stats es = { .sources_evicted = 2, .packets_evicted = 30, .dsts_untracked = 4,
				   .pairs_expired = 5, .oom = 6, .memory_limit = 209715200,
				   .memory_peak = 1048576, .max_sources = 200000,
				   .max_dsts_per_source = 4096, .n_evicted_top = 2 };
	struct source_state *s = syn_scan_source();
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	es.ignored[ENGINE_IGNORED_PORT] = 7;
	es.evicted_top[0] = (struct engine_evicted){ .src = A("198.51.100.7"), .dl = 3,
						     .packets = 20, .ports = 19, .dsts = 1 };
	es.evicted_top[1] = (struct engine_evicted){ .src = A("2001:db8::1"), .dl = 1,
						     .packets = 1, .ports = 1, .dsts = 1 };
	s->sweep_dl = 2;
	s->autodl_dl = 4;
	s->untracked_dsts = 3;
	s->untracked_packets = 9;
	source_add_proto(s, 132, 5);
	source_add_proto(s, 253, 1); /* experimentation: no keyword */
	s->scan_types |= 1u << SCAN_SWEEP | 1u << SCAN_CONNECT;
	s->pairs[0]->chain_packets[CHAIN_FORWARD] = 3;
	doc = run_json(v, 1, NULL, &es, NULL);
	assert_non_null(strstr(doc, "\"limits\":{\"sources_evicted\":2,\"packets_evicted\":30,"
				    "\"dsts_untracked\":4,\"pairs_expired\":5,\"oom\":6,"
				    "\"memory_limit\":209715200,\"memory_peak\":1048576,"
				    "\"max_sources\":200000,\"max_dsts_per_source\":4096,"
				    "\"evicted_top\":[{\"src\":\"198.51.100.7\",\"danger_level\":3,"
				    "\"packets\":20,\"ports\":19,\"destinations\":1},"
				    "{\"src\":\"2001:db8::1\",\"danger_level\":1,\"packets\":1,"
				    "\"ports\":1,\"destinations\":1}]}"));
	assert_non_null(strstr(doc, ",\"port\":7,"));
	assert_non_null(strstr(doc, "\"protocols\":{\"tcp\":1002,\"sctp\":5,\"253\":1}"));
	assert_non_null(strstr(doc, "\"scan_types\":[\"SYN\",\"CONNECT\",\"SWEEP\"],"
				    "\"nmap\":[\"-sS\",\"-sT\"]"));
	assert_non_null(strstr(doc, "\"chain_packets\":{\"INPUT\":1002,\"FORWARD\":3}"));
	assert_non_null(strstr(doc, "\"sweep_level\":2,\"auto_dl_level\":4,\"local\":false,"
				    "\"untracked_destinations\":3,\"untracked_packets\":9}]}"));
	free(doc);
	source_free(s);
}

/* Spoofed and reflected sources (engine/blame.c): marked, with what they sent. */
static void test_json_text_blame(void **state)
{
	struct engine_stats es = { .reflected_sources = 1, .reflected_packets = 12,
				   .spoofed_sources = 1, .spoofed_packets = 1002 };
	struct source_state *s = syn_scan_source(), *r = source_new("192.0.2.80", 1, 0);
	const struct source_state *v[2] = { s, r };
	struct source_reflect refl = { .packets = 12, .syn_ack = 10, .rst = 2, .sport = 80 };
	char *doc;

	(void)state;
	es.spoofed_by[SPOOF_LOOPBACK] = 1;
	s->spoofed = SPOOF_LOOPBACK;
	s->dl = 0;
	portset_init(&refl.dports);
	add_ports(&refl.dports, 40000, 40011);
	r->reflected = &refl;
	r->packets = 12;
	doc = run_json(v, 2, NULL, &es, NULL);
	assert_non_null(strstr(doc, "\"blame\":{\"reflected_sources\":1,\"reflected_packets\":12,"
				    "\"spoofed_sources\":1,\"spoofed_packets\":1002,\"spoofed_by\":{"
				    "\"unspecified\":0,\"loopback\":1,"));
	assert_non_null(strstr(doc, "{\"src\":\"192.0.2.55\",\"danger_level\":0,"
				    "\"spoofed\":\"loopback\",\"reflected\":false,\"packets\":1002,"));
	assert_non_null(strstr(doc, "{\"src\":\"192.0.2.80\",\"danger_level\":1,\"spoofed\":null,"
				    "\"reflected\":true,"
				    "\"reflection\":{\"packets\":12,\"flags\":{\"SYN ACK\":10,"
				    "\"RST\":2},\"service_port\":80,\"port_count\":12,"
				    "\"ports\":\"40000-40011\"},\"packets\":12,"));
	free(doc);
	refl.sports_varied = true;
	doc = run_json(v, 2, NULL, &es, NULL);
	assert_non_null(strstr(doc, "\"service_port\":null,"));
	free(doc);
	struct report_opts all = { .min_dl_given = true }; /* --min-dl 0: DL 0 detailed too */
	doc = run_text(v, 2, NULL, &es, &all);
	assert_non_null(strstr(doc, "SRC 192.0.2.55  DL 0  SPOOFED loopback  packets 1,002"));
	assert_non_null(strstr(doc, "SRC 192.0.2.80  DL 1  REFLECTED  packets 12"));
	assert_non_null(strstr(doc, "  reflected   12 replies (SYN ACK 10, RST 2, RST ACK 0) from "
				    "several ports\n              ports 40000-40011 (12)\n"));
	assert_non_null(strstr(doc, "  reflected   1 sources answered spoofed SYNs (12 SYN-ACK/RST "
				    "packets): not\n              scanners, DL 1 at most\n"));
	assert_non_null(strstr(doc, "  spoofed     1 impossible sources (1,002 packets), DL 0, never "
				    "blocked"));
	assert_non_null(strstr(doc, "loopback 1\n"));
	free(doc);
	portset_done(&refl.dports);
	r->reflected = NULL;
	source_free(r);
	source_free(s);
}

static void test_json_no_time_is_null(void **state)
{
	struct source_state *s = syn_scan_source();
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	s->first = (struct vtime){ 0 };
	s->last = (struct vtime){ .sec = 12, .usec = 345, .kind = VTIME_UPTIME };
	doc = run_json(v, 1, NULL, NULL, NULL);
	assert_non_null(strstr(doc, "\"packets\":1002,\"time_base\":\"none\",\"first_seen\":null,"
				    "\"last_seen\":\"+12.000345s\",\"protocols\""));
	free(doc);
	source_free(s);
}

static void test_json_ipv6(void **state)
{
	struct source_state *s = source_new("2001:0db8:0000:0000:0000:0000:0000:0002", 2, 1);
	struct pair_state *p = source_add_pair(s, "2001:db8:0:1:0:0:0:1", 2);
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	s->packets = 7;
	s->protos[s->n_protos++] = (struct proto_count){ IPPROTO_NUM_ICMPV6, 7 };
	s->scan_types = 1u << SCAN_PING;
	p->packets = 7;
	p->icmp_packets = 7;
	p->icmp[p->n_icmp++] = (struct icmp_count){ 128, 0, 6 };
	p->icmp[p->n_icmp++] = (struct icmp_count){ 135, 0, 1 };
	set_proto_bit(p, IPPROTO_NUM_ICMPV6);
	doc = run_json(v, 1, NULL, NULL, NULL);
	assert_string_equal(sources_part(doc),
			    "[{\"src\":\"2001:db8::2\",\"danger_level\":2,\"spoofed\":null,"
			    "\"reflected\":false,\"packets\":7,\"time_base\":\"none\","
			    "\"first_seen\":null,\"last_seen\":null,\"protocols\":{\"ipv6-icmp\":7},"
			    "\"scan_types\":[\"PING\"],\"nmap\":[\"-sn\"],"
			    "\"destinations\":[{\"dst\":\"2001:db8:0:1::1\",\"danger_level\":2,"
			    "\"time_base\":\"none\",\"chain\":\"INPUT\",\"in\":\"eth1\",\"out\":\"\","
			    "\"icmp\":{\"packets\":7,\"types\":{\"128/0\":6,\"135/0\":1}},"
			    "\"ip_protocols\":[58],\"packets\":7,\"first_seen\":null,"
			    "\"last_seen\":null,\"chain_packets\":{}}],\"signatures\":[],\"os_guess\":[],"
			    "\"invalid_icmp\":0,\"signatures_other\":0,\"signature_level\":0,\"invalid_icmp_types\":{},\"scanners\":[],\"sweep_level\":0,\"auto_dl_level\":0,\"local\":false,\"untracked_destinations\":0,\"untracked_packets\":0}]}\n");
	free(doc);
	source_free(s);
}

static void test_port_ranges(void **state)
{
	struct pair_state *p = pair_new("192.0.2.1", 1);
	char buf[REPORT_SPAN_MAX], *doc;

	(void)state;
	assert_int_equal(report_span_format((struct port_span){ 80, 80 }, buf), 2);
	assert_string_equal(buf, "80");
	assert_int_equal(report_span_format((struct port_span){ 0, 65535 }, buf), 7);
	assert_string_equal(buf, "0-65535");
	assert_int_equal(report_span_format((struct port_span){ 65535, 65535 }, buf), 5);

	/* added out of order: the set must still come out sorted and merged */
	p->tcp.packets = 10;
	add_ports(&p->tcp.ports, 1000, 1500);
	add_ports(&p->tcp.ports, 80, 80);
	add_ports(&p->tcp.ports, 25, 25);
	add_ports(&p->tcp.ports, 21, 23);
	p->udp.packets = 1;
	add_ports(&p->udp.ports, 53, 53);
	doc = pair_json(p);
	assert_non_null(strstr(doc, "\"tcp\":{\"packets\":10,\"ports\":\"21-23,25,80,1000-1500\","
				    "\"port_min\":21,\"port_max\":1500,\"port_count\":506,"
				    "\"flags\":{}},"));
	assert_non_null(strstr(doc, "\"udp\":{\"packets\":1,\"ports\":\"53\",\"port_min\":53,"
				    "\"port_max\":53,\"port_count\":1},"));
	free(doc);
	pair_free(p);
}

static void test_port_ranges_all(void **state)
{
	struct pair_state *p = pair_new("192.0.2.1", 5);
	char *doc;

	(void)state;
	/* every port, in a scattered order (7919 is odd: a permutation of
	 * 0..65535), so a set that switches to a bitmap is exercised too */
	for (uint32_t i = 0; i < 65536; i++)
		assert_true(portset_add(&p->udplite.ports, (uint16_t)(i * 7919u)) == 1);
	p->udplite.packets = 65536;
	doc = pair_json(p);
	assert_non_null(strstr(doc, "\"udplite\":{\"packets\":65536,\"ports\":\"0-65535\","
				    "\"port_min\":0,\"port_max\":65535,\"port_count\":65536},"));
	free(doc);

	/* every other port: 32768 ranges, streamed */
	portset_done(&p->udplite.ports);
	portset_init(&p->udplite.ports);
	for (uint32_t port = 0; port < 65536; port += 2)
		assert_true(portset_add(&p->udplite.ports, (uint16_t)port) == 1);
	doc = pair_json(p);
	assert_non_null(strstr(doc, "\"ports\":\"0,2,4,6,"));
	assert_non_null(strstr(doc, ",65532,65534\",\"port_min\":0,\"port_max\":65534,"
				    "\"port_count\":32768}"));
	free(doc);
	pair_free(p);
}

static void test_json_flags_order(void **state)
{
	struct pair_state *p = pair_new("192.0.2.1", 1);
	char *doc;

	(void)state;
	p->tcp.packets = 12;
	add_ports(&p->tcp.ports, 22, 22);
	p->flags[p->n_flags++] = (struct flag_count){ TCPF_SYN, 5 };
	p->flags[p->n_flags++] = (struct flag_count){ TCPF_URG | TCPF_PSH | TCPF_FIN, 2 };
	p->flags[p->n_flags++] = (struct flag_count){ 0, 1 };
	p->flags[p->n_flags++] = (struct flag_count){ TCPF_CWR | TCPF_ECE | TCPF_SYN, 1 };
	p->flags_other = 3;
	doc = pair_json(p);
	assert_non_null(strstr(doc, "\"flags\":{\"SYN\":5,\"URG PSH FIN\":2,\"NULL\":1,"
				    "\"CWR ECE SYN\":1,\"OTHER\":3}}"));
	free(doc);
	pair_free(p);
}

static void test_json_omits_empty_protocols(void **state)
{
	struct pair_state *p = pair_new("192.0.2.1", 1);
	char *doc;

	(void)state;
	p->udp.packets = 4;
	add_ports(&p->udp.ports, 161, 162);
	set_proto_bit(p, IPPROTO_NUM_UDP);
	set_proto_bit(p, IPPROTO_NUM_ESP);
	doc = pair_json(p);
	assert_null(strstr(doc, "\"tcp\""));
	assert_null(strstr(doc, "\"udplite\""));
	assert_null(strstr(doc, "\"icmp\""));
	/* cli.md's per-source findings and every array are always there, empty when none */
	assert_non_null(strstr(doc, "\"signatures\":[],\"os_guess\":[],\"invalid_icmp\":0,"));
	assert_non_null(strstr(doc, "\"scanners\":[]"));
	assert_null(strstr(doc, "\"reputation\""));
	assert_non_null(strstr(doc, "\"out\":\"\",\"udp\":{\"packets\":4,\"ports\":\"161-162\","
				    "\"port_min\":161,\"port_max\":162,\"port_count\":2},"
				    "\"ip_protocols\":[17,50],"));
	free(doc);
	pair_free(p);
}

static void test_filters(void **state)
{
	struct source_state *a = source_new("198.51.100.1", 1, 1);
	struct source_state *b = source_new("198.51.100.2", 2, 1);
	struct source_state *c = source_new("203.0.113.3", 3, 1);
	const struct source_state *v[3] = { c, b, a };
	struct report_opts o = { .width = 80 };
	char *doc;

	(void)state;
	source_add_pair(a, "192.0.2.1", 1);
	source_add_pair(b, "10.0.0.1", 2);
	source_add_pair(c, "10.0.0.2", 3);

	doc = run_json(v, 3, NULL, NULL, &o);
	assert_int_equal(count_str(doc, "\"src\":"), 3);
	assert_true(strstr(doc, "203.0.113.3") < strstr(doc, "198.51.100.1")); /* order kept */
	free(doc);

	o.min_dl = 2;
	doc = run_json(v, 3, NULL, NULL, &o);
	assert_int_equal(count_str(doc, "\"src\":"), 2);
	assert_null(strstr(doc, "198.51.100.1"));
	free(doc);

	/* --ip matches a source address ... */
	o.min_dl = 0;
	struct net ip;
	o.ips = &ip;
	o.n_ips = 1;
	assert_int_equal(net_parse(SPAN_LIT("198.51.100.0/24"), &ip), 0);
	doc = run_json(v, 3, NULL, NULL, &o);
	assert_int_equal(count_str(doc, "\"src\":"), 2);
	assert_null(strstr(doc, "203.0.113.3"));
	free(doc);

	/* ... or a destination address */
	assert_int_equal(net_parse(SPAN_LIT("192.0.2.1"), &ip), 0);
	doc = run_json(v, 3, NULL, NULL, &o);
	assert_int_equal(count_str(doc, "\"src\":"), 1);
	assert_non_null(strstr(doc, "\"src\":\"198.51.100.1\""));
	free(doc);

	/* both filters, nothing left */
	o.min_dl = 2;
	doc = run_json(v, 3, NULL, NULL, &o);
	assert_non_null(strstr(doc, "\"sources\":[]}\n"));
	free(doc);
	doc = run_text(v, 3, NULL, NULL, &o);
	assert_non_null(strstr(doc, "  sources     3 tracked, 0 listed (DL >= 2, ip 192.0.2.1):"));
	assert_non_null(strstr(doc, "TOP SOURCES\nno sources\n"));
	assert_null(strstr(doc, "DETAILS"));
	free(doc);

	source_free(a);
	source_free(b);
	source_free(c);
}

static void test_json_escaping(void **state)
{
	struct pair_state *p = pair_new("192.0.2.1", 1);
	char *doc;

	(void)state;
	/* the engine stores escaped names; the writer must not trust that */
	memcpy(p->in, "e\"t\\h\x01\n\x7f\xff", 10);
	memcpy(p->out, "0123456789abcdef", 16); /* no NUL: must stop at 16 */
	doc = pair_json(p);
	assert_non_null(strstr(doc, "\"in\":\"e\\\"t\\\\h\\u0001\\u000a\\u007f\\u00ff\","
				    "\"out\":\"0123456789abcdef\","));
	free(doc);
	pair_free(p);
}

static void test_jsonw(void **state)
{
	char *doc = NULL;
	size_t len = 0;
	struct jsonw w;
	FILE *f;

	(void)state;
	f = open_memstream(&doc, &len);
	assert_non_null(f);
	jsonw_init(&w, f);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "k\"\x1f");
	jsonw_arr_begin(&w);
	jsonw_int(&w, -5);
	jsonw_u64(&w, UINT64_MAX);
	jsonw_null(&w);
	jsonw_strn(&w, "a\0b", 3);
	jsonw_str_begin(&w);
	jsonw_str_add(&w, "x", 1);
	jsonw_str_add(&w, "\\", 1);
	jsonw_str_end(&w);
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_arr_end(&w);
	jsonw_key_str(&w, "s", "");
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(doc, "{\"k\\\"\\u001f\":[-5,18446744073709551615,null,"
				 "\"a\\u0000b\",\"x\\\\\",{}],\"s\":\"\"}");
	free(doc);
}

static void test_jsonw_misuse(void **state)
{
	struct jsonw w;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	jsonw_init(&w, f); /* value without a key */
	jsonw_obj_begin(&w);
	jsonw_u64(&w, 1);
	assert_int_equal(jsonw_finish(&w), -EINVAL);

	jsonw_init(&w, f); /* unbalanced */
	jsonw_arr_begin(&w);
	assert_int_equal(jsonw_finish(&w), -EINVAL);

	jsonw_init(&w, f); /* wrong close */
	jsonw_arr_begin(&w);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), -EINVAL);

	jsonw_init(&w, f); /* key in an array */
	jsonw_arr_begin(&w);
	jsonw_key(&w, "k");
	assert_int_equal(jsonw_finish(&w), -EINVAL);

	jsonw_init(&w, f); /* two top-level values */
	jsonw_null(&w);
	jsonw_null(&w);
	assert_int_equal(jsonw_finish(&w), -EINVAL);

	jsonw_init(&w, f); /* too deep */
	for (int i = 0; i <= JSONW_DEPTH_MAX; i++)
		jsonw_arr_begin(&w);
	assert_int_equal(jsonw_finish(&w), -EINVAL);
	assert_int_equal(fclose(f), 0);
}

/* --- text ------------------------------------------------------------- */

static void test_text_syn_scan(void **state)
{
	struct input_stats in = { .files = 1, .bytes = 123456, .lines = 1010, .events = 1002,
				  .ignored = 8, .ignored_blank = 2, .ignored_not_firewall = 6,
				  .first = wall(T_2026_03_11_203511),
				  .last = wall(T_2026_03_11_203514) };
	struct source_state *s = syn_scan_source();
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	doc = run_text(v, 1, &in, NULL, NULL);
	assert_string_equal(doc,
		"vigil " VIGIL_VERSION " port scan report: 1 file (123,456 bytes), 1,010 lines,\n"
		"    2026-03-11T20:35:11 .. 2026-03-11T20:35:14\n"
		"\n"
		"SUMMARY\n"
		"  events      1,002 counted, 8 ignored, 0 malformed\n"
		"  ignored     8 (blank 2, not firewall 6)\n"
		"  sources     1 tracked, 1 listed: 0 scanning, 0 spoofed, 0 reflected\n"
		"  by level    DL 5: 0, DL 4: 0, DL 3: 1, DL 2: 0, DL 1: 0, DL 0: 0\n"
		"  DL scale    1-5: a destination's packets 5/15/150/1,500/10,000 or a source's\n"
		"              destinations 10/20/50/100/500 (DANGER_LEVEL1-5,\n"
		"              DL1-5_UNIQUE_HOSTS); signatures, auto_dl, reputation lists and\n"
		"              invalid ICMP set levels too; 0: seen, not scanning\n"
		"\n"
		"TOP SOURCES\n"
		"DL  SOURCE       PKTS  WHY\n"
		" 3  192.0.2.55  1,002  SYN scan (nmap -sS), 501 tcp ports on 1 host; DL 3 fro...\n"
		"\n"
		"MOST TARGETED PORTS (sources)\n"
		"  tcp/1000-1500 1\n"
		"\n"
		"MOST TARGETED HOSTS (sources, packets)\n"
		"  192.0.2.1 1/1,002\n"
		"\n"
		"SOURCES BY DANGER LEVEL\n"
		"DL  SOURCE       PKTS  DSTS  SCAN TYPES  PORTS\n"
		" 3  192.0.2.55  1,002     1  SYN         tcp:1000-1500\n"
		"\n"
		"DETAILS\n"
		"\n"
		"SRC 192.0.2.55  DL 3  packets 1,002  first 2026-03-11T20:35:11\n"
		"    last 2026-03-11T20:35:14\n"
		"  why         SYN scan (nmap -sS), 501 tcp ports on 1 host; DL 3 from 1,002\n"
		"              packets to a host\n"
		"  scan types  SYN (-sS)\n"
		"  protocols   tcp 1,002\n"
		"  DST 192.0.2.1  DL 3  chain INPUT in eth1 out -\n"
		"    tcp  1,002 pkts  ports 1000-1500 (501)  flags SYN:1002\n"
		"    IP protocols tcp\n");
	free(doc);
	/* --summary stops after the summary */
	struct report_opts so = { .summary_only = true };
	doc = run_text(v, 1, &in, NULL, &so);
	assert_non_null(strstr(doc, "  192.0.2.1 1/1,002\n"));
	assert_null(strstr(doc, "DETAILS"));
	assert_null(strstr(doc, "SOURCES BY DANGER LEVEL"));
	free(doc);
	source_free(s);
}

static void test_text_data_lost(void **state)
{
	struct engine_stats es = { .sources_evicted = 2, .packets_evicted = 30, .dsts_untracked = 4,
				   .pairs_expired = 5 };
	char *doc;

	(void)state;
	es.ignored[ENGINE_IGNORED_PORT] = 7;
	doc = run_text(NULL, 0, NULL, &es, NULL);
	assert_non_null(strstr(doc, "  ignored     0 (port 7)\n"));
	assert_non_null(strstr(doc, "  DATA LOST   2 sources evicted (30 packets), "
				    "4 destinations not itemised\n"));
	/* no evicted source remembered: no list */
	assert_null(strstr(doc, "evicted     "));
	free(doc);

	es.memory_limit = 209715200;
	es.memory_peak = 209000000;
	es.max_sources = 200000;
	es.max_dsts_per_source = 4096;
	es.n_evicted_top = 2;
	es.evicted_top[0] = (struct engine_evicted){ .src = A("198.51.100.7"), .dl = 3,
						     .packets = 20, .ports = 19, .dsts = 1 };
	es.evicted_top[1] = (struct engine_evicted){ .src = A("2001:db8::1"), .dl = 1,
						     .packets = 1, .ports = 1, .dsts = 2 };
	doc = run_text(NULL, 0, NULL, &es, NULL);
	assert_non_null(strstr(doc, "  DATA LOST   2 sources evicted (30 packets), "
				    "4 destinations not itemised\n"
				    "  evicted     198.51.100.7 DL 3, 20 pkts, 19 ports, 1 dst\n"
				    "              2001:db8::1 DL 1, 1 pkt, 1 port, 2 dsts\n"
				    "  bounds      MEMORY_LIMIT 200 MiB (peak 199 MiB), 200,000 sources,\n"
				    "              4,096 destinations per source\n"));
	assert_non_null(strstr(doc, "  expired     5 scan windows reset after SCAN_TIMEOUT\n"));
	assert_non_null(strstr(doc, "time span unknown\n"));
	assert_non_null(strstr(doc, "TOP SOURCES\nno sources\n"));
	free(doc);
}

/* Two destinations: the table's PORTS is the union of their sets. */
static void test_text_ports_union(void **state)
{
	struct source_state *s = source_new("192.0.2.55", 2, 2);
	struct pair_state *p = source_add_pair(s, "192.0.2.1", 2);
	struct pair_state *q = source_add_pair(s, "192.0.2.2", 1);
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	s->packets = 20;
	s->scan_types = 1u << SCAN_SYN | 1u << SCAN_UDP | 1u << SCAN_SWEEP;
	p->tcp.packets = 10;
	add_ports(&p->tcp.ports, 21, 23);
	add_ports(&p->tcp.ports, 443, 443);
	q->tcp.packets = 9;
	add_ports(&q->tcp.ports, 22, 30);
	add_ports(&q->tcp.ports, 80, 80);
	add_ports(&q->tcp.ports, 444, 444);
	q->udp.packets = 1;
	add_ports(&q->udp.ports, 53, 53);
	doc = run_text(v, 1, NULL, NULL, NULL);
	assert_non_null(strstr(doc, "DL  SOURCE      PKTS  DSTS  SCAN TYPES     PORTS\n"
				    " 2  192.0.2.55    20     2  SYN,UDP,SWEEP  "
				    "tcp:21-30,80,443-444 udp:53\n"));
	free(doc);
	source_free(s);
}

/* A worst case for width: a 39-character IPv6 address, every scan type, 500
 * port ranges per protocol, every flag and ICMP slot used. */
static struct source_state *wide_source(void)
{
	struct source_state *s = source_new("2001:db80:1234:5678:9abc:def0:1234:5678", 5, 2);
	struct pair_state *p = source_add_pair(s, "2001:db80:1234:5678:9abc:def0:1234:5679", 5);

	source_add_pair(s, "2001:db8::1", 1);
	s->packets = 123456789;
	s->first = wall(T_2026_03_11_203511);
	s->last = (struct vtime){ .sec = 1234567, .usec = 1, .kind = VTIME_UPTIME };
	s->scan_types = (1u << _SCAN_MAX) - 1;
	s->sweep_dl = 3;
	s->untracked_dsts = 100;
	s->untracked_packets = 1000;
	for (unsigned i = 0; i < SOURCE_PROTOS_MAX; i++) /* every number, all past the inline ones */
		source_add_proto(s, (uint8_t)(i * 17 + 1), 1000000 + i);
	p->chain = CHAIN_FORWARD;
	memcpy(p->in, "\\x1b[31mevil\\x", 15);
	memcpy(p->out, "wlp0s20f3", 10);
	p->tcp.packets = p->udp.packets = p->udplite.packets = 1000;
	for (unsigned port = 1; port < 1000; port += 2) {
		add_ports(&p->tcp.ports, port * 60, port * 60 + 1);
		add_ports(&p->udp.ports, port, port);
		add_ports(&p->udplite.ports, port + 64000, port + 64000);
	}
	for (unsigned i = 0; i < PAIR_FLAGSETS_MAX; i++)
		p->flags[p->n_flags++] = (struct flag_count){ (uint8_t)(0xff >> i), 1000000 };
	p->flags_other = 77;
	p->icmp_packets = 999;
	for (unsigned i = 0; i < PAIR_ICMP_MAX; i++)
		p->icmp[p->n_icmp++] = (struct icmp_count){ (uint8_t)(200 + i), (uint8_t)i, 12345 };
	p->icmp_other = 1;
	for (unsigned proto = 0; proto < 256; proto += 3)
		set_proto_bit(p, (uint8_t)proto);
	return s;
}

/* Every protocol of a source, by keyword or number, none in a bucket. */
static void test_json_every_protocol(void **state)
{
	struct source_state *s = wide_source();
	const struct source_state *v[1] = { s };
	char *doc, *p, *end;
	unsigned keys = 0;

	(void)state;
	doc = run_json(v, 1, NULL, NULL, NULL);
	p = strstr(doc, "\"protocols\":{");
	assert_non_null(p);
	end = strchr(p, '}');
	assert_non_null(end);
	*end = '\0';
	for (char *q = p; (q = strchr(q, ':')); q++)
		keys++;
	assert_int_equal(keys, 1 + 256); /* "protocols": and one per number */
	assert_non_null(strstr(p, "{\"icmp\":1000000,")); /* 0 * 17 + 1 */
	assert_non_null(strstr(p, "\"tcp\":"));
	assert_non_null(strstr(p, "\"udp\":"));
	assert_non_null(strstr(p, "\"ipv6-icmp\":"));
	assert_non_null(strstr(p, "\"mpls-in-ip\":"));
	assert_non_null(strstr(p, "\"255\":"));
	assert_null(strstr(p, "other"));
	free(doc);
	source_free(s);
}

static void test_text_width(void **state)
{
	struct input_stats in = { .ignored = 99, .ignored_blank = 1, .ignored_not_firewall = 2,
				  .ignored_not_kernel = 3, .ignored_not_ip = 4 };
	struct engine_stats es = { .sources_evicted = 123456789, .packets_evicted = 9876543210,
				   .dsts_untracked = 1234567, .oom = 42 };
	struct source_state *s = wide_source(), *t = syn_scan_source();
	const struct source_state *v[2] = { s, t };
	struct report_opts o = { .width = 80 };
	char *doc;

	(void)state;
	for (int i = 1; i < _ENGINE_VERDICT_MAX; i++)
		es.ignored[i] = 1000 + (uint64_t)i;
	doc = run_text(v, 2, &in, &es, &o);
	assert_true(max_line_width(doc) <= 80);
	assert_null(strchr(doc, '\033'));
	/* SCAN TYPES no longer fits beside a 39-character SOURCE: next line */
	assert_non_null(strstr(doc, "    SCAN TYPES\n"));
	/* every scan type, wrapped at a comma */
	assert_non_null(strstr(doc, "\n    SYN,CONNECT,SYN_OR_CONNECT,FIN,NULL,XMAS,ACK,MAIMON,SYNFIN,"));
	assert_non_null(strstr(doc, "SWEEP,OTHER\n"));
	/* the PORTS cell is cut at a range, with "..." */
	assert_non_null(strstr(doc, "DL  SOURCE                                          PKTS  DSTS  PORTS\n"
				    "    SCAN TYPES\n"
				    " 5  2001:db80:1234:5678:9abc:def0:1234:5678  123,456,789   102  "
				    "tcp:60-61,...\n"));
	assert_non_null(strstr(doc, "\n 3  192.0.2.55                                     1,002     1  "
				    "tcp:1000-1500\n    SYN\n"));
	/* port lists wrap at commas, three lines at most, the rest counted */
	assert_non_null(strstr(doc, "    tcp  1,000 pkts  ports 60-61,180-181,300-301,"));
	assert_int_equal(count_str(doc, "59940-59941"), 0);
	assert_non_null(strstr(doc, "1980-1981, ... 966 more, 1,000 ports\n"));
	assert_non_null(strstr(doc, ", ... 474 more, 500 ports\n"));
	assert_non_null(strstr(doc, " more, 86 in all\n")); /* names, so how many fit varies */
	/* the summary's one line per top source is cut at the width */
	assert_non_null(strstr(doc, " 5  2001:db80:1234:5678:9abc:def0:1234:5678  123,456,789\n"
				    "    IP protocol scan (nmap -sO), 86 IP protocols on 102 hosts; DL 5 "));
	assert_non_null(strstr(doc, "in \\x1b[31mevil\\x out wlp0s20f3"));
	free(doc);

	o.width = 60;
	doc = run_text(v, 2, &in, &es, &o);
	assert_true(max_line_width(doc) <= 60);
	free(doc);

	o.width = 80;
	o.color = true;
	doc = run_text(v, 2, &in, &es, &o);
	assert_true(max_line_width(doc) <= 80);
	assert_non_null(strstr(doc, "\033[1mSUMMARY\033[0m\n"));
	assert_non_null(strstr(doc, "\033[1;31m 5\033[0m  2001:db80:"));
	assert_non_null(strstr(doc, "\033[1;33m 3\033[0m  192.0.2.55"));
	assert_non_null(strstr(doc, "SRC 192.0.2.55  \033[1;33mDL 3\033[0m  packets"));
	assert_non_null(strstr(doc, "DST 2001:db8::1  \033[33mDL 1\033[0m  chain"));
	free(doc);
	source_free(s);
	source_free(t);
}

/* The filters in force, what they left out, the events by prefix,
 * interface and chain (escaped), --top bounding the details, --min-dl. */
static void test_text_filters_tally(void **state)
{
	struct input_stats in = { .events = 3, .ignored = 1234567, .ignored_filtered = 1234567 };
	struct tally *ty = tally_new(false);
	struct source_state *s = syn_scan_source(), *z = source_new("198.51.100.9", 0, 1);
	const struct source_state *v[2] = { s, z };
	struct report_opts o = { .width = 80, .filters = "--since -24h --port 22", .tally = ty };
	const char *prefixes[] = { "DROP", "DROP", "x\x1b]0;evil\x07" };
	char *doc;

	(void)state;
	source_add_pair(z, "192.0.2.1", 0);
	for (int i = 0; i < 3; i++) {
		struct event ev = { .chain = i == 2 ? CHAIN_FORWARD : CHAIN_INPUT };
		ev.prefix = span_make(prefixes[i], strlen(prefixes[i]));
		ev.in = i ? SPAN_LIT("eth0") : SPAN_LIT("");
		tally_event(&ev, INT64_C(1773261311000000) + i, ty);
	}
	doc = run_text(v, 2, &in, NULL, &o);
	assert_non_null(strstr(doc, "  filters     --since -24h --port 22: 1,234,567 events left out\n"));
	assert_non_null(strstr(doc, "\nEVENTS BY\n"
				    "  prefix      DROP 2, x\\x1b]0;evil\\x07 1\n"
				    "  interface   eth0 2, (none) 1\n"
				    "  chain       INPUT 2, FORWARD 1\n"));
	assert_null(strchr(doc, '\033'));
	/* DL 0 is counted, not detailed, without --min-dl */
	assert_non_null(strstr(doc, "\n1 source at DL 1 and above is detailed below; 1 more is "
				    "counted above, not\ndetailed (--min-dl 0 for all)\n"));
	assert_null(strstr(doc, "SRC 198.51.100.9"));
	free(doc);
	/* --min-dl 0 given: every source detailed */
	o.min_dl_given = true;
	doc = run_text(v, 2, &in, NULL, &o);
	assert_non_null(strstr(doc, "SRC 198.51.100.9  DL 0"));
	free(doc);
	/* --top 1: one in the lists, one detailed */
	o.top = 1;
	o.top_given = true;
	doc = run_text(v, 2, &in, NULL, &o);
	assert_non_null(strstr(doc, "TOP SOURCES (1 of 2; --top N for more)\n"));
	assert_int_equal(count_str(doc, "\nSRC "), 1);
	free(doc);
	source_free(s);
	source_free(z);
	tally_free(ty);
}

/* --- time ------------------------------------------------------------- */

static void check_time(struct vtime t, const char *want)
{
	char buf[40];

	assert_int_equal(report_format_time(&t, buf), (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_format_time(void **state)
{
	(void)state;
	check_time(wall(0), "1970-01-01T00:00:00");
	check_time(wall(T_2026_03_11_203511), "2026-03-11T20:35:11");
	check_time(wall(1767225599), "2025-12-31T23:59:59");
	check_time(wall(1767225600), "2026-01-01T00:00:00");
	check_time(wall(1709208000), "2024-02-29T12:00:00");
	check_time(wall(951782400), "2000-02-29T00:00:00");
	check_time(wall(4107542400), "2100-03-01T00:00:00");
	check_time(wall(4107542400 - 1), "2100-02-28T23:59:59");
	check_time(wall(-1), "1969-12-31T23:59:59");
	check_time(wall(-2208988800), "1900-01-01T00:00:00");
	check_time(wall(253402300799), "9999-12-31T23:59:59");
	/* sub-seconds are not written; the log's offset is, "+00:00" for UTC */
	check_time((struct vtime){ .sec = 1767225600, .usec = 999999, .kind = VTIME_WALL,
				   .has_tz = true, .tz_min = 60 }, "2026-01-01T00:00:00+01:00");
	check_time((struct vtime){ .sec = 1767225600, .kind = VTIME_WALL, .has_tz = true },
		   "2026-01-01T00:00:00+00:00");
	check_time((struct vtime){ .sec = 1767225600, .kind = VTIME_WALL, .has_tz = true,
				   .tz_min = -(9 * 60 + 30) }, "2026-01-01T00:00:00-09:30");
	{
		char buf[REPORT_TIME_MAX];
		struct vtime t = { .sec = 1767225600, .usec = 5, .kind = VTIME_WALL,
				   .has_tz = true, .tz_min = 330 };
		assert_int_equal(report_format_time_us(&t, buf), 32);
		assert_string_equal(buf, "2026-01-01T00:00:00.000005+05:30");
		t.has_tz = false;
		assert_int_equal(report_format_time_us(&t, buf), 26);
		assert_string_equal(buf, "2026-01-01T00:00:00.000005");
		t = (struct vtime){ .sec = 7, .usec = 1, .kind = VTIME_UPTIME };
		assert_int_equal(report_format_time_us(&t, buf), 10);
		assert_string_equal(buf, "+7.000001s");
		t = (struct vtime){ .sec = INT64_MIN, .usec = 1, .kind = VTIME_WALL,
				    .has_tz = true, .tz_min = -1440 };
		assert_true(report_format_time_us(&t, buf) > 0);
	}
	check_time((struct vtime){ .sec = 12345, .usec = 678901, .kind = VTIME_UPTIME },
		   "+12345.678901s");
	check_time((struct vtime){ .sec = 0, .usec = 5, .kind = VTIME_UPTIME }, "+0.000005s");
	check_time((struct vtime){ .sec = 0, .usec = 0, .kind = VTIME_NONE }, "");
	check_time((struct vtime){ .sec = 5, .kind = 9 }, "");
	/* the extremes fit the buffer */
	{
		char buf[40];
		struct vtime t = wall(INT64_MAX);
		assert_true(report_format_time(&t, buf) > 0);
		t = wall(INT64_MIN);
		assert_true(report_format_time(&t, buf) > 0);
		t.has_tz = true;
		t.tz_min = -1440;
		assert_true(report_format_time(&t, buf) > 0);
		t = (struct vtime){ .sec = INT64_MIN, .usec = UINT32_MAX, .kind = VTIME_UPTIME };
		assert_true(report_format_time(&t, buf) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_syn_scan),
		cmocka_unit_test(test_json_limits_and_extras),
		cmocka_unit_test(test_json_text_blame),
		cmocka_unit_test(test_json_no_time_is_null),
		cmocka_unit_test(test_json_ipv6),
		cmocka_unit_test(test_json_every_protocol),
		cmocka_unit_test(test_port_ranges),
		cmocka_unit_test(test_port_ranges_all),
		cmocka_unit_test(test_json_flags_order),
		cmocka_unit_test(test_json_omits_empty_protocols),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_jsonw),
		cmocka_unit_test(test_jsonw_misuse),
		cmocka_unit_test(test_text_syn_scan),
		cmocka_unit_test(test_text_data_lost),
		cmocka_unit_test(test_text_ports_union),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_filters_tally),
		cmocka_unit_test(test_format_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
