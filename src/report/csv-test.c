/* SPDX-License-Identifier: GPL-2.0-or-later */
/* csv-test.c - `analyze --csv` on hand-built engine states.
 *
 * Every document is read back by a strict RFC 4180 reader written here
 * (CRLF records, quoted fields with doubled quotes, nothing after a closing
 * quote): each row must have the header's 30 fields, and the fields are
 * compared after unquoting, so quoting and formula neutralisation are
 * checked on what a spreadsheet would see.
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

#include "config/config.h"
#include "engine/engine.h"
#include "engine/portset.h"
#include "engine/state.h"
#include "report/exports-internal.h"
#include "report/report.h"
#include "report/state-fixture.h"

#define NCOLS 30
#define T0 1773261311 /* 2026-03-11T20:35:11 */

/* --- a strict RFC 4180 reader ------------------------------------------ */

struct csv_doc {
	size_t rows;
	char *f[64][NCOLS]; /* unquoted fields of the first 64 rows */
	size_t nf[64];
};

/* Reads doc; fails the test on any syntax error or a row that does not
 * have NCOLS fields. */
static void csv_read(const char *doc, struct csv_doc *d)
{
	const char *p = doc;

	memset(d, 0, sizeof(*d));
	while (*p) {
		size_t nf = 0;
		for (;;) {
			char *field = malloc(strlen(p) + 1);
			size_t len = 0;
			assert_non_null(field);
			if (*p == '"') {
				p++;
				for (;;) {
					assert_true(*p != '\0'); /* unterminated quote */
					if (*p == '"' && p[1] == '"') {
						field[len++] = '"';
						p += 2;
					} else if (*p == '"') {
						p++;
						break;
					} else {
						field[len++] = *p++;
					}
				}
				assert_true(*p == ',' || (*p == '\r' && p[1] == '\n'));
			} else {
				while (*p != ',' && *p != '\r' && *p != '\0') {
					assert_true(*p != '"' && *p != '\n'); /* bare quote or LF */
					field[len++] = *p++;
				}
				assert_true(*p == ',' || (*p == '\r' && p[1] == '\n'));
			}
			field[len] = '\0';
			if (d->rows < 64 && nf < NCOLS)
				d->f[d->rows][nf] = field;
			else
				free(field);
			nf++;
			if (*p == ',') {
				p++;
				continue;
			}
			p += 2; /* CRLF */
			break;
		}
		assert_int_equal(nf, NCOLS);
		if (d->rows < 64)
			d->nf[d->rows] = nf;
		d->rows++;
	}
}

static void csv_doc_free(struct csv_doc *d)
{
	for (size_t r = 0; r < 64; r++)
		for (size_t c = 0; c < NCOLS; c++)
			free(d->f[r][c]);
}

/* The column named name, from the header row. */
static size_t col(const struct csv_doc *d, const char *name)
{
	for (size_t c = 0; c < NCOLS; c++)
		if (d->f[0][c] && strcmp(d->f[0][c], name) == 0)
			return c;
	fail_msg("no column %s", name);
	return 0;
}

static const char *cell(const struct csv_doc *d, size_t row, const char *name)
{
	return d->f[row][col(d, name)];
}

/* --- building states -------------------------------------------------- */

static char *run_csv(const struct source_state **v, size_t n, const struct report_opts *o)
{
	static const struct input_stats no_in;
	static const struct engine_stats no_es;
	static const struct report_opts dflt;
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	assert_non_null(f);
	assert_int_equal(report_csv_sources(f, v, n, &no_in, &no_es, o ? o : &dflt), 0);
	assert_int_equal(fclose(f), 0);
	return doc;
}

static const char header[] =
	"src,src_danger_level,src_packets,src_first_seen,src_last_seen,protocols,"
	"scan_types,signatures,os_guess,spoofed,reflected_packets,local,"
	"dst,danger_level,chain,in,out,packets,first_seen,last_seen,"
	"tcp_packets,tcp_ports,tcp_flags,udp_packets,udp_ports,udplite_packets,"
	"udplite_ports,icmp_packets,icmp_types,ip_protocols\r\n";

static char *fmt_time(int64_t sec)
{
	static char buf[4][40];
	static int k;
	struct vtime t = wall(sec);

	k = (k + 1) % 4;
	assert_true(report_format_time(&t, buf[k]) > 0);
	return buf[k];
}

/* --- tests ---------------------------------------------------------------- */

/* A SYN scan of one host, byte for byte; a sweep over two. */
static void test_csv_rows(void **state)
{
	struct source_state *s = source_new("192.0.2.55", 3, 1);
	struct source_state *w = source_new("198.51.100.9", 2, 2);
	struct pair_state *p = source_add_pair(s, "192.0.2.1", 3);
	const struct source_state *v[2] = { s, w };
	char want[2048];
	struct csv_doc d;

	(void)state;
	s->packets = 1002;
	s->first = wall(T0);
	s->last = wall(T0 + 3);
	s->protos[s->n_protos++] = (struct proto_count){ IPPROTO_NUM_TCP, 1002 };
	s->scan_types = 1u << SCAN_SYN;
	p->packets = 1002;
	p->first = s->first;
	p->last = s->last;
	p->tcp.packets = 1002;
	add_ports(&p->tcp.ports, 1000, 1500);
	p->flags[p->n_flags++] = (struct flag_count){ TCPF_SYN, 1002 };
	set_proto_bit(p, IPPROTO_NUM_TCP);

	w->packets = 6;
	w->scan_types = (1u << SCAN_SYN) | (1u << SCAN_PING) | (1u << SCAN_SWEEP);
	for (int i = 0; i < 2; i++) {
		struct pair_state *q = source_add_pair(w, i ? "192.0.2.20" : "192.0.2.10", 2);
		q->packets = 3;
		q->tcp.packets = 2;
		assert_true(portset_add(&q->tcp.ports, 80) >= 0);
		assert_true(portset_add(&q->tcp.ports, 443) >= 0);
		q->flags[q->n_flags++] = (struct flag_count){ TCPF_SYN | TCPF_ACK, 2 };
		q->icmp_packets = 1;
		q->icmp[q->n_icmp++] = (struct icmp_count){ 8, 0, 1 };
		set_proto_bit(q, IPPROTO_NUM_TCP);
		set_proto_bit(q, 1);
	}

	char *doc = run_csv(v, 2, NULL);
	(void)snprintf(want, sizeof(want),
		       "%s"
		       "192.0.2.55,3,1002,%s,%s,tcp,SYN,,,,0,false,"
		       "192.0.2.1,3,INPUT,eth1,,1002,%s,%s,1002,1000-1500,SYN=1002,0,,0,,0,,tcp\r\n",
		       header, fmt_time(T0), fmt_time(T0 + 3), fmt_time(T0), fmt_time(T0 + 3));
	assert_true(strncmp(doc, want, strlen(want)) == 0);
	csv_read(doc, &d);
	assert_int_equal(d.rows, 4); /* header, 1 + 2 pairs */
	assert_string_equal(cell(&d, 2, "src"), "198.51.100.9");
	assert_string_equal(cell(&d, 2, "dst"), "192.0.2.10");
	assert_string_equal(cell(&d, 3, "dst"), "192.0.2.20");
	assert_string_equal(cell(&d, 3, "scan_types"), "SYN PING SWEEP");
	assert_string_equal(cell(&d, 3, "protocols"), "icmp tcp");
	assert_string_equal(cell(&d, 3, "tcp_ports"), "80,443");
	assert_string_equal(cell(&d, 3, "tcp_flags"), "ACK SYN=2");
	assert_string_equal(cell(&d, 3, "icmp_types"), "8/0=1");
	assert_string_equal(cell(&d, 3, "first_seen"), ""); /* no time: empty */
	/* a multi-span port list is quoted (it holds commas), a single span not */
	assert_non_null(strstr(doc, ",\"80,443\","));
	assert_non_null(strstr(doc, ",1000-1500,"));
	csv_doc_free(&d);
	free(doc);
	source_free(s);
	source_free(w);
}

/* Hostile interface names and fingerprint labels: quoted per RFC 4180,
 * and what starts like a formula gets a leading '. */
static void test_csv_hostile(void **state)
{
	struct source_state *s = source_new("192.0.2.66", 2, 3);
	struct pair_state *p = source_add_pair(s, "192.0.2.1", 2);
	struct pair_state *q = source_add_pair(s, "192.0.2.2", 2);
	struct pair_state *r = source_add_pair(s, "192.0.2.3", 2);
	const char *os[] = { "@SUM(1+1), \"x\"", "Linux 2.6" };
	struct source_intel x = { .os = os, .n_os = 2 };
	const struct source_state *v[1] = { s };
	struct csv_doc d;

	(void)state;
	memcpy(p->in, "=1+2,\"a\"", 9);
	memcpy(p->out, "-2+3", 5);
	memcpy(q->in, "+cmd|x", 7);
	memcpy(q->out, "a\"b", 4);
	memcpy(r->in, "\\x0d\\x0a", 9); /* the engine's escape of CR LF */
	memcpy(r->out, "@x", 3);
	s->intel = &x;

	char *doc = run_csv(v, 1, NULL);
	assert_non_null(strstr(doc, ",\"'=1+2,\"\"a\"\"\",'-2+3,"));
	assert_non_null(strstr(doc, ",'+cmd|x,\"a\"\"b\","));
	assert_non_null(strstr(doc, ",\"'@SUM(1+1), \"\"x\"\"; Linux 2.6\","));
	csv_read(doc, &d);
	assert_int_equal(d.rows, 4);
	assert_string_equal(cell(&d, 1, "in"), "'=1+2,\"a\"");
	assert_string_equal(cell(&d, 1, "out"), "'-2+3");
	assert_string_equal(cell(&d, 2, "in"), "'+cmd|x");
	assert_string_equal(cell(&d, 2, "out"), "a\"b");
	assert_string_equal(cell(&d, 3, "in"), "\\x0d\\x0a");
	assert_string_equal(cell(&d, 3, "out"), "'@x");
	assert_string_equal(cell(&d, 3, "os_guess"), "'@SUM(1+1), \"x\"; Linux 2.6");
	/* no field a spreadsheet would evaluate */
	for (size_t row = 1; row < d.rows; row++)
		for (size_t c = 0; c < NCOLS; c++)
			assert_null(strchr("=+-@", d.f[row][c][0] ? d.f[row][c][0] : 'x'));
	csv_doc_free(&d);
	free(doc);
	s->intel = NULL;
	source_free(s);
}

/* A source without destinations (reflected, spoofed) still has its row;
 * its destination columns are empty. */
static void test_csv_no_destination(void **state)
{
	struct source_state *r = source_new("198.51.100.20", 1, 0);
	struct source_state *sp = source_new("127.0.0.1", 0, 0);
	struct source_reflect refl = { .packets = 90, .syn_ack = 90, .sport = 80 };
	uint32_t sigs_ids[] = { 100, 3000007 };
	struct sig_count sigs[2] = { { .msg = "a", .count = 1, .id = sigs_ids[0] },
				     { .msg = "b,c", .count = 1, .id = sigs_ids[1] } };
	struct source_intel x = { .sigs = sigs, .n_sigs = 2 };
	const struct source_state *v[2] = { r, sp };
	struct report_opts o = { 0 };
	struct csv_doc d;

	(void)state;
	portset_init(&refl.dports);
	r->reflected = &refl;
	r->packets = 90;
	sp->spoofed = SPOOF_LOOPBACK;
	sp->packets = 2;
	sp->intel = &x;
	char *doc = run_csv(v, 2, &o);
	csv_read(doc, &d);
	assert_int_equal(d.rows, 3);
	assert_string_equal(cell(&d, 1, "src"), "198.51.100.20");
	assert_string_equal(cell(&d, 1, "reflected_packets"), "90");
	assert_string_equal(cell(&d, 1, "protocols"), "tcp");
	assert_string_equal(cell(&d, 2, "spoofed"), "loopback");
	assert_string_equal(cell(&d, 2, "signatures"), "100 3000007");
	for (size_t row = 1; row < 3; row++)
		for (size_t c = col(&d, "dst"); c < NCOLS; c++)
			assert_string_equal(d.f[row][c], "");
	csv_doc_free(&d);
	free(doc);
	/* --min-dl 1 leaves the DL 0 one out, as the other reports do */
	o.min_dl = 1;
	doc = run_csv(v, 2, &o);
	csv_read(doc, &d);
	assert_int_equal(d.rows, 2);
	assert_string_equal(cell(&d, 1, "src"), "198.51.100.20");
	csv_doc_free(&d);
	free(doc);
	r->reflected = NULL;
	sp->intel = NULL;
	source_free(r);
	source_free(sp);
}

/* --group-v6 names a source by its network; --ip keeps a source by a
 * destination, with all its rows; HOME_NET marks local. */
static void test_csv_group_ip_local(void **state)
{
	struct source_state *s6 = source_new("2001:db8:1:2::", 2, 1);
	struct source_state *s4 = source_new("192.0.2.7", 2, 2);
	const struct source_state *v[2] = { s6, s4 };
	struct net ip, home;
	struct report_opts o = { .group_v6 = 64 };
	struct csv_doc d;

	(void)state;
	source_add_pair(s6, "2001:db8::1", 2);
	source_add_pair(s4, "192.0.2.1", 1);
	source_add_pair(s4, "198.51.100.1", 2);
	assert_int_equal(net_parse(span_make("198.51.100.0/24", 15), &ip), 0);
	assert_int_equal(net_parse(span_make("192.0.2.0/24", 12), &home), 0);
	o.home_net = &home;
	o.n_home_net = 1;
	char *doc = run_csv(v, 2, &o);
	csv_read(doc, &d);
	assert_int_equal(d.rows, 4);
	assert_string_equal(cell(&d, 1, "src"), "2001:db8:1:2::/64");
	assert_string_equal(cell(&d, 1, "local"), "false");
	assert_string_equal(cell(&d, 2, "local"), "true");
	csv_doc_free(&d);
	free(doc);

	o.ips = &ip;
	o.n_ips = 1;
	doc = run_csv(v, 2, &o);
	csv_read(doc, &d);
	assert_int_equal(d.rows, 3); /* 192.0.2.7: both of its pairs */
	assert_string_equal(cell(&d, 1, "dst"), "192.0.2.1");
	assert_string_equal(cell(&d, 2, "dst"), "198.51.100.1");
	csv_doc_free(&d);
	free(doc);
	source_free(s6);
	source_free(s4);
}

/* No source: the header alone. An uptime time ("+12.5s") is a text field
 * that starts with '+': neutralised too. */
static void test_csv_empty_and_uptime(void **state)
{
	struct source_state *s = source_new("192.0.2.8", 1, 0);
	const struct source_state *v[1] = { s };
	struct vtime up = { .sec = 12, .usec = 500000, .kind = VTIME_UPTIME };
	char want[48] = "'";
	struct csv_doc d;

	(void)state;
	char *doc = run_csv(NULL, 0, NULL);
	assert_string_equal(doc, header);
	free(doc);
	s->first = s->last = up;
	assert_true(report_format_time(&up, want + 1) > 0);
	assert_int_equal(want[1], '+');
	doc = run_csv(v, 1, NULL);
	csv_read(doc, &d);
	assert_string_equal(cell(&d, 1, "src_first_seen"), want);
	csv_doc_free(&d);
	free(doc);
	source_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_csv_hostile),
		cmocka_unit_test(test_csv_no_destination),
		cmocka_unit_test(test_csv_group_ip_local),
		cmocka_unit_test(test_csv_empty_and_uptime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
