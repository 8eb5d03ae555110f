/* SPDX-License-Identifier: GPL-2.0-or-later */
/* osfp-test.c - p0f and posf loading and matching: psad's sets, vigil's sets,
 * SYNs taken from the real captures in tests/data/capture/ (values copied
 * from the quoted lines), edge cases of every field, hostile input.
 * Run from the repository root (the sets are read by relative path). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event/event.h"
#include "match/osfp.h"
#include "parse/parse.h"

#define PSAD_PF_OS  "tests/data/psad/pf.os"
#define PSAD_POSF   "tests/data/psad/posf"
#define VIGIL_PF_OS "etc/pf.os"
#define VIGIL_POSF  "etc/posf"

/* ---- helpers --------------------------------------------------------------- */

struct diags {
	unsigned n;
	unsigned line[64];
	char msg[64][256];
};

static void collect(const struct config_diag *d, void *data)
{
	struct diags *ds = data;

	assert_int_equal(d->severity, CONFIG_ERROR);
	if (ds->n < 64) {
		ds->line[ds->n] = d->line;
		memcpy(ds->msg[ds->n], d->msg, sizeof(d->msg));
	}
	ds->n++;
}

/* Unexpected diagnostics fail the test with the message. */
static void no_diag(const struct config_diag *d, void *data)
{
	(void)data;
	fail_msg("%s:%u: %s", d->file, d->line, d->msg);
}

/* The options as the log parser decodes them (it stops at EOL). */
static void opts_from_hex(struct event *ev, const char *hex)
{
	int n = parse_opt_hex(span_make(hex, strlen(hex)), ev->tcp_opt_raw, EVENT_OPT_MAX);

	assert_true(n >= 0);
	ev->has_tcp_opts = true;
	ev->tcp_opt_len = (uint8_t)n;
	event_tcp_opts_decode(ev->tcp_opt_raw, ev->tcp_opt_len, &ev->tcp_opts);
}

/* A SYN as nf_log shows it: LEN, TTL (or HOPLIMIT), DF, ID, WINDOW, OPT. */
static struct event syn(bool v6, uint16_t len, uint8_t ttl, bool df, uint16_t id, uint16_t win,
			const char *opt)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.src.family = v6 ? ADDR_V6 : ADDR_V4;
	ev.dst.family = ev.src.family;
	ev.proto = IPPROTO_NUM_TCP;
	ev.tcp_flags = TCPF_SYN;
	ev.ip_len = len;
	ev.ttl = ttl;
	ev.ip_flags = df ? IPF_DF : 0;
	ev.ip_id = id;
	ev.window = win;
	if (opt)
		opts_from_hex(&ev, opt);
	return ev;
}

/* A set file as matchers.c reads it: the whole file, then the parser. */
static void load_file(struct osfp *o, const char *path,
		      int (*load)(struct osfp *, const char *, const char *, size_t,
				  config_diag_fn *, void *))
{
	char *buf;
	size_t len;

	assert_int_equal(config_read_file(path, 1 << 20, no_diag, NULL, &buf, &len), 0);
	assert_int_equal(load(o, path, buf, len, no_diag, NULL), 0);
	free(buf);
}

static struct osfp *load_set(const char *p0f, const char *posf)
{
	struct osfp *o = osfp_new(0);

	assert_non_null(o);
	if (p0f)
		load_file(o, p0f, osfp_load_p0f_buf);
	if (posf)
		load_file(o, posf, osfp_load_posf_buf);
	return o;
}

static struct osfp *load_str(unsigned max_hops, const char *p0f)
{
	struct osfp *o = osfp_new(max_hops);

	assert_non_null(o);
	assert_int_equal(osfp_load_p0f_buf(o, "t", p0f, strlen(p0f), no_diag, NULL), 0);
	return o;
}

static size_t guesses(const struct osfp *o, const struct event *ev, const char **g)
{
	return osfp_match_p0f(o, ev, g, 16);
}

/* Exactly one guess, equal to want (NULL: none). */
static void assert_guess(const struct osfp *o, const struct event *ev, const char *want)
{
	const char *g[16];
	size_t n = guesses(o, ev, g);

	if (!want) {
		if (n)
			fail_msg("unexpected guess '%s'", g[0]);
		return;
	}
	if (n != 1)
		fail_msg("%zu guesses for '%s' (first '%s')", n, want, n ? g[0] : "");
	assert_string_equal(g[0], want);
}

/* Real SYNs from the captures. */
#define NMAP_OPT  "020405B4"
#define LINUX4_OPT "020405B40402080A0DA9BFFA000000000103030A"
#define LINUX6_OPT "020405A00402080A5A1B2C3D000000000103030A"

/* ---- loading ---------------------------------------------------------------- */

static void test_psad_sets_load(void **state)
{
	struct osfp_stats st;
	struct osfp *o;

	(void)state;
	o = load_set(PSAD_PF_OS, PSAD_POSF);
	osfp_get_stats(o, &st);
	assert_int_equal(st.p0f_entries, 239); /* every non-comment line, T entries included */
	assert_int_equal(st.posf_entries, 11); /* AIX 4.3 is commented out */
	assert_int_equal(st.errors, 0);
	osfp_free(o);
}

static void test_vigil_sets_load(void **state)
{
	struct osfp_stats st;
	struct osfp *o;

	(void)state;
	o = load_set(VIGIL_PF_OS, VIGIL_POSF);
	osfp_get_stats(o, &st);
	assert_true(st.p0f_entries >= 50);
	assert_int_equal(st.posf_entries, 6);
	assert_int_equal(st.errors, 0);
	assert_null(osfp_free(o));
	assert_null(osfp_free(NULL));
}

/* ---- fixture SYNs: vigil's set vs psad's ----------------------------------- */

/* ipt4-scans.rfc3164, nmap -sS from 198.18.0.3:
 * LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=61410 PROTO=TCP ... WINDOW=1024 RES=0x00 SYN
 * URGP=0 OPT (020405B4), and the same with TTL=37 ID=29650. */
static void test_nmap_syn_v4(void **state)
{
	struct osfp *v = load_set(VIGIL_PF_OS, NULL), *p = load_set(PSAD_PF_OS, NULL);
	struct event ev = syn(false, 44, 52, false, 61410, 1024, NMAP_OPT);
	struct event low = syn(false, 44, 37, false, 29650, 1024, NMAP_OPT);
	/* fwd-forward.kmsg: TTL=36 after one router hop */
	struct event fwd = syn(false, 44, 36, false, 1, 1024, NMAP_OPT);

	(void)state;
	assert_guess(v, &ev, "NMAP:syn scan");
	assert_guess(v, &low, "NMAP:syn scan");
	assert_guess(v, &fwd, "NMAP:syn scan");
	/* every TTL nmap picks (37..59), for every window it uses */
	for (unsigned w = 1024; w <= 4096; w += 1024)
		for (unsigned t = 37; t <= 59; t++) {
			struct event e = syn(false, 44, (uint8_t)t, false, 7, (uint16_t)w, NMAP_OPT);
			assert_guess(v, &e, "NMAP:syn scan");
		}
	/* psad's set: its nmap entries are length 40 without options; window
	 * 1024 with MSS only matches nothing */
	assert_guess(p, &ev, NULL);
	assert_guess(p, &low, NULL);
	/* with window 4096 (nmap's other choice) psad says SunOS, as its
	 * behaviour notes record; vigil still says nmap */
	ev.window = 4096;
	assert_guess(p, &ev, "SunOS:4.1");
	assert_guess(v, &ev, "NMAP:syn scan");
	osfp_free(v);
	osfp_free(p);
}

/* ip6-scans.rfc3339, nmap -6 -sS from 2001:db8:0:1::3:
 * LEN=64 TC=0 HOPLIMIT=255 FLOWLBL=0 ... WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4) */
static void test_nmap_syn_v6(void **state)
{
	struct osfp *v = load_set(VIGIL_PF_OS, NULL), *p = load_set(PSAD_PF_OS, NULL);
	struct event ev = syn(true, 64, 255, false, 0, 1024, NMAP_OPT);

	(void)state;
	assert_guess(v, &ev, "NMAP:syn scan");
	assert_guess(p, &ev, NULL);
	osfp_free(v);
	osfp_free(p);
}

/* ipt4-scans.rfc3164, nmap -sT (the kernel's connect()) from 198.18.0.2:
 * LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=9970 DF PROTO=TCP ... WINDOW=64240 RES=0x00 SYN
 * URGP=0 OPT (020405B40402080A0DA9BFFA000000000103030A)
 * ip6-scans.rfc3339, connect() from 2001:db8:0:1::2: LEN=80 HOPLIMIT=64 WINDOW=64800,
 * OPT (020405A00402080A........000000000103030A) */
static void test_linux_connect(void **state)
{
	struct osfp *v = load_set(VIGIL_PF_OS, NULL), *p = load_set(PSAD_PF_OS, NULL);
	struct event v4 = syn(false, 60, 64, true, 9970, 64240, LINUX4_OPT);
	struct event v6 = syn(true, 80, 64, false, 0, 64800, LINUX6_OPT);

	(void)state;
	assert_int_equal(v4.tcp_opts.wscale, 10);
	assert_int_equal(v6.tcp_opts.mss, 1440);
	assert_guess(v, &v4, "Linux:4.19 and newer");
	assert_guess(v, &v6, "Linux:4.19 and newer");
	/* psad's newest Linux entries want scale 0..7 and S2..S22 windows */
	assert_guess(p, &v4, NULL);
	assert_guess(p, &v6, NULL);
	/* a few hops away, and on loopback (MSS 65495, window 65495) */
	v4.ttl = 50;
	assert_guess(v, &v4, "Linux:4.19 and newer");
	v4.ttl = 64;
	v4.tcp_opts.mss = 65495;
	v4.window = 65495;
	assert_guess(v, &v4, "Linux:4.19 and newer");
	/* an older kernel: 20 x MSS, scale 7 */
	v4.tcp_opts.mss = 1460;
	v4.window = 29200;
	v4.tcp_opts.wscale = 7;
	assert_guess(v, &v4, "Linux:3.x-4.18");
	/* psad knows the 2.4/2.6 flavour: 4 x MSS, scale 0 */
	v4.window = 5840;
	v4.tcp_opts.wscale = 0;
	{
		const char *g[16];
		size_t n = guesses(p, &v4, g);
		assert_int_equal(n, 2); /* "Linux:2.4" twice in the file, reported once */
		assert_string_equal(g[0], "Linux:2.4");
		assert_string_equal(g[1], "Linux:2.6");
	}
	osfp_free(v);
	osfp_free(p);
}

/* nft4-scans.kmsg, hping3 from 198.18.0.7: LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=140
 * PROTO=TCP ... WINDOW=512 RES=0x00 CWR ECE SYN URGP=0 (no OPT). */
static void test_hping3_without_options(void **state)
{
	struct osfp *v = load_set(VIGIL_PF_OS, NULL), *p = load_set(PSAD_PF_OS, NULL);
	struct event ev = syn(false, 40, 64, false, 140, 512, NULL);

	(void)state;
	ev.tcp_flags |= TCPF_CWR | TCPF_ECE; /* ECN bits are allowed */
	assert_guess(v, &ev, "hping3:default");
	assert_guess(p, &ev, NULL);
	/* LEN 60 without OPT: options exist but were not logged: no guess */
	ev.ip_len = 60;
	assert_guess(v, &ev, NULL);
	/* psad's own option-less nmap entries: window 1024, TTL 64 */
	ev.ip_len = 40;
	ev.window = 1024;
	assert_guess(p, &ev, "NMAP:syn scan");
	osfp_free(v);
	osfp_free(p);
}

static void test_other_stacks(void **state)
{
	struct osfp *v = load_set(VIGIL_PF_OS, NULL);
	/* Windows 10: M1460,N,W8,N,N,S */
	struct event win = syn(false, 52, 120, true, 1, 64240, "020405B40103030801010402");
	/* macOS: M1460,N,W6,N,N,T,S,E,E */
	struct event mac = syn(false, 64, 64, true, 1, 65535,
			       "020405B4010303060101080A1122334400000000" "04020000");
	/* FreeBSD: M1460,N,W6,S,T */
	struct event fbsd = syn(false, 60, 64, true, 1, 65535, "020405B40103030604020" "80A1122334400000000");
	/* OpenBSD: M,N,N,S,N,W6,N,N,T */
	struct event obsd = syn(false, 64, 64, true, 1, 16384,
				"020405B401010402010303060101080A1122334400000000");
	/* nmap -O probe 1: W10,N,M1460,T(FFFFFFFF),S, window 1 */
	struct event seq1 = syn(false, 60, 45, false, 1, 1, "03030A01020405B4080AFFFFFFFF000000000402");
	const char *g[16];
	size_t n;

	(void)state;
	n = guesses(v, &win, g);
	assert_int_equal(n, 2);
	assert_string_equal(g[0], "Windows:10 or 11");
	assert_string_equal(g[1], "@Windows");
	assert_true(g[1][0] == '@'); /* generic, kept marked */
	assert_false(g[0][0] == '@');
	assert_guess(v, &mac, "macOS:10.x and newer");
	assert_guess(v, &fbsd, "FreeBSD:9 and newer");
	assert_guess(v, &obsd, "OpenBSD:4.9 and newer");
	assert_guess(v, &seq1, "NMAP:OS detection");
	osfp_free(v);
}

/* ---- field semantics ---------------------------------------------------------- */

static void test_ttl_window(void **state)
{
	struct osfp *o = load_str(0, "1024:64:0:44:M*:A:x::\n"
				     "1024:32:0:44:M*:B:y::\n");
	struct osfp *o10 = load_str(10, "1024:64:0:44:M*:A:x::\n");
	struct event ev = syn(false, 44, 64, false, 1, 1024, NMAP_OPT);

	(void)state;
	assert_guess(o, &ev, "A:x"); /* sig TTL itself */
	ev.ttl = 65;                 /* above the initial TTL */
	assert_guess(o, &ev, NULL);
	ev.ttl = 45;                 /* 64 - 20 < 45 */
	assert_guess(o, &ev, "A:x");
	ev.ttl = 44;                 /* just outside (44, 64] */
	assert_guess(o, &ev, NULL);
	ev.ttl = 32;                 /* B's own TTL */
	assert_guess(o, &ev, "B:y");
	ev.ttl = 13;                 /* sig below MAX_HOPS: (12, 32] */
	assert_guess(o, &ev, "B:y");
	ev.ttl = 12;
	assert_guess(o, &ev, NULL);
	ev.ttl = 55; /* MAX_HOPS 10: (54, 64] */
	assert_guess(o10, &ev, "A:x");
	ev.ttl = 54;
	assert_guess(o10, &ev, NULL);
	osfp_free(o);
	osfp_free(o10);
}

static void test_window_forms(void **state)
{
	struct osfp *o = load_str(0, "%512:64:*:44:M*:Mod:512::\n"
				     "S4:64:*:44:M*:Ess:4::\n"
				     "T4:64:*:44:M*:Tee:4::\n"
				     "*:64:*:44:M%100:Any:mss%100::\n"
				     "0:64:*:44:M*:Zero:0::\n");
	struct event ev = syn(false, 44, 64, false, 1, 5840, NMAP_OPT); /* MSS 1460 */
	const char *g[16];

	(void)state;
	assert_guess(o, &ev, "Ess:4");   /* 4 x 1460 */
	ev.window = 6000;                /* 4 x (1460 + 40) */
	assert_guess(o, &ev, "Tee:4");
	ev.window = 1536;                /* 3 x 512 */
	assert_guess(o, &ev, "Mod:512");
	ev.window = 0;                   /* 0 is a multiple of 512 too */
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "Mod:512");
	assert_string_equal(g[1], "Zero:0");
	ev.window = 5841;
	assert_guess(o, &ev, NULL);
	ev.tcp_opts.mss = 1400; /* M%100 */
	assert_guess(o, &ev, "Any:mss%100");
	/* IPv6: T is MSS + 60, S unchanged, LEN - 20 */
	ev = syn(true, 64, 64, false, 0, 4 * 1520, NMAP_OPT);
	assert_guess(o, &ev, "Tee:4");
	ev.window = 4 * 1460;
	assert_guess(o, &ev, "Ess:4");
	ev.ip_len = 44; /* would be 24 bytes in IPv4 terms */
	assert_guess(o, &ev, NULL);
	osfp_free(o);
}

static void test_option_forms(void **state)
{
	struct osfp *o = load_str(0, "S44:64:1:60:M1460,S,T,N,W10:Exact:ts::\n"
				     "S44:64:1:60:M1460,S,T0,N,W10:Exact:ts0::\n"
				     "S44:64:0:60:M*,S,T,N,W%5:NoDF:w%5::\n"
				     "S44:64:*:*:M*,S,T,N,W*:Star:any::\n"
				     "%4:64:*:%4:M* S T N W7:Spaces:w7::\n");
	struct event ev = syn(false, 60, 64, true, 1, 64240, LINUX4_OPT);
	const char *g[16];

	(void)state;
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "Exact:ts");
	assert_string_equal(g[1], "Star:any");
	ev.ip_flags = 0; /* no DF: W10 is a multiple of 5 */
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "NoDF:w%5");
	assert_string_equal(g[1], "Star:any");
	ev.tcp_opts.tsval = 0; /* T0 */
	ev.ip_flags = IPF_DF; /* and T (TSval != 0) no longer matches */
	assert_guess(o, &ev, "Exact:ts0");
	/* IPv6 has no DF: both DF entries match */
	ev = syn(true, 80, 64, false, 0, 64240, LINUX4_OPT);
	assert_int_equal(guesses(o, &ev, g), 3);
	ev.tcp_opts.wscale = 7;
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "Star:any");
	assert_string_equal(g[1], "Spaces:w7");
	/* another layout: nothing */
	ev = syn(false, 44, 64, true, 1, 64240, NMAP_OPT);
	assert_guess(o, &ev, NULL);
	/* max bounds the output */
	ev = syn(false, 60, 64, true, 1, 64240, LINUX4_OPT);
	assert_int_equal(osfp_match_p0f(o, &ev, g, 1), 1);
	assert_int_equal(osfp_match_p0f(o, &ev, g, 0), 0);
	osfp_free(o);
}

static void test_quirks_and_eol(void **state)
{
	struct osfp *o = load_str(0, "1024:64:0:44:M*:Z:Zed:ZeroID::\n"
				     "1024:64:0:44:M*:.:Clean:none::\n"
				     "1024:64:0:44:M*:Plain:nine fields::\n"
				     "1024:64:0:48:M*,E,E,N:P:Past:EOL::\n"
				     "1024:64:0:48:M*,E:.:Eol:clean::\n");
	struct event ev = syn(false, 44, 64, false, 0, 1024, NMAP_OPT);
	const char *g[16];

	(void)state;
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "Zed:ZeroID");
	assert_string_equal(g[1], "Plain:nine fields");
	ev.ip_id = 5;
	assert_int_equal(guesses(o, &ev, g), 2);
	assert_string_equal(g[0], "Clean:none");
	ev.has_seq = true; /* ACK number on a SYN: quirk A, matches no quirk entry */
	ev.ack = 77;
	assert_guess(o, &ev, "Plain:nine fields");
	/* E,E,N in a signature is E: padding after EOL is not compared */
	ev = syn(false, 48, 64, false, 5, 1024, "020405B400000000");
	assert_guess(o, &ev, "Eol:clean");
	ev = syn(false, 48, 64, false, 5, 1024, "020405B400000100");
	assert_guess(o, &ev, "Past:EOL");
	osfp_free(o);
}

static void test_not_fingerprinted(void **state)
{
	struct osfp *o = load_set(VIGIL_PF_OS, NULL);
	struct event ev = syn(false, 44, 52, false, 1, 1024, NMAP_OPT);

	(void)state;
	assert_guess(o, &ev, "NMAP:syn scan");
	ev.tcp_flags = TCPF_SYN | TCPF_ACK;
	assert_guess(o, &ev, NULL);
	ev.tcp_flags = TCPF_SYN | TCPF_FIN;
	assert_guess(o, &ev, NULL);
	ev.tcp_flags = TCPF_SYN;
	ev.proto = IPPROTO_NUM_UDP;
	assert_guess(o, &ev, NULL);
	ev = syn(false, 44, 52, false, 1, 1024, "0204"); /* length runs past the end */
	assert_true(ev.tcp_opts.truncated);
	assert_guess(o, &ev, NULL);
	osfp_free(o);
}

static void test_psad_generic_and_dedupe(void **state)
{
	struct osfp *p = load_set(PSAD_PF_OS, NULL);
	/* Windows XP SP1: window 65535, M1460,N,N,S, TTL 128, DF, 48 bytes */
	struct event ev = syn(false, 48, 120, true, 1, 65535, "020405B401010402");
	const char *g[16];
	size_t n;

	(void)state;
	n = guesses(p, &ev, g);
	assert_int_equal(n, 4);
	assert_string_equal(g[0], "Windows:2000");
	assert_string_equal(g[1], "Windows:XP");
	assert_string_equal(g[2], "@Windows:XP");
	assert_string_equal(g[3], "@Windows:2000");
	for (size_t i = 0; i < n; i++)
		assert_int_equal(g[i][0] == '@', i >= 2);
	osfp_free(p);
}

/* psad skips its 'T' (MTU multiple) entries; vigil matches them. */
static void test_psad_mtu_entry(void **state)
{
	struct osfp *p = load_set(PSAD_PF_OS, NULL);
	/* T4:64:1:60:M1412,S,T,N,W0: Linux:2.4 (late, uncommon): 4 x (1412 + 40) */
	struct event ev = syn(false, 60, 60, true, 1, 5808,
			      "02040584" "0402" "080A1122334400000000" "01" "030300");

	(void)state;
	assert_guess(p, &ev, "Linux:2.4");
	ev.window = 5809; /* neither 4 x 1452 nor 4 x 1412 */
	assert_guess(p, &ev, NULL);
	osfp_free(p);
}

/* ---- posf ---------------------------------------------------------------------- */

static void feed(struct posf_obs *obs, bool v6, uint16_t len, uint8_t ttl, uint16_t id,
		 uint16_t win)
{
	struct event ev = syn(v6, len, ttl, false, id, win, NULL);

	osfp_posf_observe(obs, &ev);
}

static void test_posf_psad(void **state)
{
	struct osfp *o = load_set(NULL, PSAD_POSF);
	struct posf_obs inc = { 0 }, rnd = { 0 };

	(void)state;
	/* FreeBSD 4.5: LEN 60, TTL 64, WINDOW 65535, SMALLINCR, 3 packets */
	feed(&inc, false, 60, 60, 65500, 65535);
	feed(&inc, false, 60, 60, 65534, 65535);
	assert_null(osfp_posf_guess(o, &inc)); /* NUMPKTS 3 */
	feed(&inc, false, 60, 58, 3, 65535);    /* wraps: +5 */
	assert_string_equal(osfp_posf_guess(o, &inc), "FreeBSD 4.5");
	/* same but random IDs: Linux 2.x are RANDOM but want other windows */
	feed(&rnd, false, 60, 60, 100, 65535);
	feed(&rnd, false, 60, 60, 9000, 65535);
	feed(&rnd, false, 60, 60, 9100, 65535);
	assert_null(osfp_posf_guess(o, &rnd));
	rnd.win[0] = 5840; /* as if the window had been 5840 */
	assert_string_equal(osfp_posf_guess(o, &rnd), "Linux (2.4.x kernel)");
	/* TTL spread: one SYN at 44 is outside (44, 64] */
	feed(&inc, false, 60, 44, 10, 65535);
	assert_null(osfp_posf_guess(o, &inc));
	osfp_free(o);
}

/* nft4-scans.kmsg, hping3 from 198.18.0.7: LEN=40 TTL=64 WINDOW=512, IDs 140, 42641,
 * 58817, 3294, ... */
static void test_posf_vigil(void **state)
{
	static const uint16_t ids[] = { 140, 42641, 58817, 3294, 1071, 61545, 21578 };
	struct osfp *o = load_set(NULL, VIGIL_POSF);
	struct posf_obs obs = { 0 }, inc = { 0 }, v6 = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		feed(&obs, false, 40, 64, ids[i], 512);
		if (i < 2)
			assert_null(osfp_posf_guess(o, &obs));
		else
			assert_string_equal(osfp_posf_guess(o, &obs), "hping3:default");
	}
	assert_int_equal(obs.pkts, 7);
	assert_true(obs.id_not_smallincr);
	/* the same SYNs with a counter for ID: hping3 is RANDOM, no guess */
	for (uint16_t i = 0; i < 5; i++)
		feed(&inc, false, 40, 64, (uint16_t)(100 + 7 * i), 512);
	assert_false(inc.id_not_smallincr);
	assert_null(osfp_posf_guess(o, &inc));
	/* Windows counts its IDs: SMALLINCR */
	inc = (struct posf_obs){ 0 };
	for (uint16_t i = 0; i < 3; i++)
		feed(&inc, false, 52, 125, (uint16_t)(2000 + 999 * i), 64240);
	assert_string_equal(osfp_posf_guess(o, &inc), "Windows:10 or 11");
	feed(&inc, false, 52, 125, 2000 + 999 * 2 + 1000, 64240); /* +1000 is not small */
	assert_null(osfp_posf_guess(o, &inc));
	/* IPv6: LEN - 20, no ID test */
	for (uint16_t i = 0; i < 3; i++)
		feed(&v6, true, 80, 64, 0, 64240);
	assert_string_equal(osfp_posf_guess(o, &v6), "Linux:4.19 and newer");
	feed(&v6, false, 60, 64, 1, 512); /* another family: ignored */
	assert_int_equal(v6.pkts, 3);
	osfp_free(o);
}

static void test_posf_observe_filters(void **state)
{
	struct posf_obs obs = { 0 };
	struct event ev = syn(false, 40, 64, false, 1, 512, NULL);
	struct event opt = syn(false, 44, 50, false, 1, 1024, NMAP_OPT);

	(void)state;
	osfp_posf_observe(&obs, &opt); /* logged options: p0f's job */
	ev.tcp_flags = TCPF_SYN | TCPF_ACK;
	osfp_posf_observe(&obs, &ev);
	assert_int_equal(obs.pkts, 0);
	ev.tcp_flags = TCPF_SYN;
	for (unsigned i = 0; i < 250; i++) {
		ev.window = (uint16_t)i;
		ev.ip_id = (uint16_t)(i * 3);
		osfp_posf_observe(&obs, &ev);
	}
	assert_int_equal(obs.pkts, POSF_OBS_PKTS_MAX);
	assert_int_equal(obs.n_win, POSF_OBS_VALUES);
	assert_int_equal(obs.n_len, 1);
	assert_false(obs.id_not_smallincr);
	assert_int_equal(obs.last_id, 99 * 3);
}

/* ---- hostile and malformed input ----------------------------------------------- */

static void test_p0f_malformed(void **state)
{
	static const char bad[] =
		"# comment\n"                                 /* 1 */
		"1024:64:0:44:M*:Good:one::\n"                /* 2 */
		"1024:64:0\n"                                 /* 3 too few fields */
		"1024:999:0:44:M*:Huge:ttl::\n"               /* 4 */
		"99999999999999999999999:64:0:44:M*:H:w::\n"  /* 5 */
		"1024:64:0:44:M*:Nul\0:x::\n"                 /* 6 */
		"1024:64:0:44:Q9:Bad:opt::\n"                 /* 7 */
		"1024:64:0:44:M*:A:b:c:d:e:f\n"               /* 8 too many fields */
		"%0:64:0:44:M*:Mod:zero::\n"                  /* 9 */
		"1024:64:0:44:M*:*::x:y\n"                    /* 10 empty OS */
		"1024:64:2:44:M*:Df:two::\n"                  /* 11 */
		"1024:64:0:44:M*,M1460:Two:mss::\n"           /* 12 */
		"1024:64:0:44:M*,,S:Empty:opt::\n"            /* 13 */
		"1024:64:0:44::Empty:opts::\n"                /* 14 */
		"1024:64:0:44:M*:Ctl\x01:x::\n"               /* 15 */
		"1024:64:0:44:W256:Big:ws::\n"                /* 16 */
		"1024:64:0:-1:M*:Neg:len::\n"                 /* 17 */
		"S0:64:0:44:M*:S:zero::\n"                    /* 18 */
		"512:64:0:44:M*:Good:two::";                  /* 19, no newline */
	static const unsigned want_lines[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
					       17, 18 };
	struct diags ds = { 0 };
	struct osfp *o = osfp_new(0);
	struct osfp_stats st;
	struct event ev = syn(false, 44, 64, false, 1, 512, NMAP_OPT);

	(void)state;
	assert_int_equal(osfp_load_p0f_buf(o, "bad.os", bad, sizeof(bad) - 1, collect, &ds),
			 -EINVAL);
	assert_int_equal(ds.n, sizeof(want_lines) / sizeof(want_lines[0]));
	for (unsigned i = 0; i < ds.n; i++)
		assert_int_equal(ds.line[i], want_lines[i]);
	assert_string_equal(ds.msg[0], "expected 9 ':'-separated fields (10 with quirks), got 3");
	assert_string_equal(ds.msg[1], "out of range TTL '999'");
	assert_string_equal(ds.msg[2], "out of range window '99999999999999999999999'");
	assert_string_equal(ds.msg[3], "NUL byte in line");
	assert_string_equal(ds.msg[4], "invalid option 'Q9'");
	assert_string_equal(ds.msg[5],
			    "expected 9 ':'-separated fields (10 with quirks), got more than 10");
	assert_string_equal(ds.msg[6], "out of range window '%0'");
	assert_string_equal(ds.msg[7], "empty OS name");
	assert_string_equal(ds.msg[8], "invalid DF '2' (0, 1 or *)");
	assert_string_equal(ds.msg[9], "more than one M option");
	assert_string_equal(ds.msg[10], "empty option before 'S'");
	assert_string_equal(ds.msg[11], "empty options field (use '.' for none)");
	assert_string_equal(ds.msg[12], "control character in line");
	assert_string_equal(ds.msg[13], "out of range option 'W256'");
	assert_string_equal(ds.msg[14], "invalid length '-1'");
	assert_string_equal(ds.msg[15], "out of range window 'S0'");
	osfp_get_stats(o, &st);
	assert_int_equal(st.p0f_entries, 2);
	assert_int_equal(st.errors, ds.n);
	assert_guess(o, &ev, "Good:two"); /* good lines around bad ones still load */
	osfp_free(o);
}

static void test_p0f_overlong_and_many(void **state)
{
	size_t cap = (OSFP_ENTRIES_MAX + 2) * 40 + 4 * OSFP_LINE_MAX;
	char *buf = malloc(cap);
	struct diags ds = { 0 };
	struct osfp *o = osfp_new(0);
	struct osfp_stats st;
	size_t len = 0;
	const char *g[4];
	struct event ev;

	(void)state;
	assert_non_null(buf);
	/* line 1: overlong, with a valid entry at its start */
	len += (size_t)snprintf(buf, cap, "1:64:0:44:M*:Long:line::");
	memset(buf + len, 'x', 2 * OSFP_LINE_MAX);
	len += 2 * OSFP_LINE_MAX;
	buf[len++] = '\n';
	/* then OSFP_ENTRIES_MAX + 1 entries of distinct layouts and windows */
	for (unsigned i = 0; i <= OSFP_ENTRIES_MAX; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%u:64:0:*:M*%s:E%u:v::\n", i,
					i % 2 ? ",N" : "", i);
	assert_int_equal(osfp_load_p0f_buf(o, "many", buf, len, collect, &ds), -EINVAL);
	assert_int_equal(ds.n, 2);
	assert_int_equal(ds.line[0], 1);
	assert_string_equal(ds.msg[0], "line longer than 1024 bytes");
	assert_int_equal(ds.line[1], OSFP_ENTRIES_MAX + 2);
	assert_string_equal(ds.msg[1], "more than 4096 p0f entries");
	osfp_get_stats(o, &st);
	assert_int_equal(st.p0f_entries, OSFP_ENTRIES_MAX);
	ev = syn(false, 44, 64, false, 1, 4094, NMAP_OPT);
	assert_int_equal(osfp_match_p0f(o, &ev, g, 4), 1);
	assert_string_equal(g[0], "E4094:v");
	ev = syn(false, 45, 64, false, 1, 4095, "020405B401");
	assert_int_equal(osfp_match_p0f(o, &ev, g, 4), 1);
	assert_string_equal(g[0], "E4095:v");
	osfp_free(o);
	free(buf);
}

static void test_posf_malformed(void **state)
{
	static const char bad[] = "NUMPKTS 3;\n"            /* 1 before OS */
				  "OS Good;\n"              /* 2 */
				  "NUMPKTS 3; comment\n"    /* 3 */
				  "LEN 40\n"                /* 4 */
				  "TTL 64;\n"               /* 5 */
				  "ID SMALLINCR;\n"         /* 6 */
				  "WINDOW 512;\n"           /* 7 */
				  "OS NoWindow;\n"          /* 8 */
				  "NUMPKTS 3;\n"            /* 9 */
				  "LEN 40;\n"               /* 10 */
				  "TTL 64;\n"               /* 11 */
				  "ID RANDOM;\n"            /* 12 */
				  "OS Broken;\n"            /* 13 */
				  "NUMPKTS 101;\n"          /* 14 */
				  "ID SOMETIMES;\n"         /* 15 */
				  "TTL 64;\n"               /* 16 */
				  "TTL 65;\n"               /* 17 twice */
				  "COLOUR blue;\n"          /* 18 */
				  "OS Nul\0;\n"             /* 19 */
				  "TOS 0x100;\n"            /* 20 */
				  "OS;\n"                   /* 21 */
				  "OS Last;\n"              /* 22 */
				  "NUMPKTS 1;LEN 44;\n"     /* 23: the rest is a comment */
				  "LEN 44;\n"               /* 24 */
				  "TTL 128;\n"              /* 25 */
				  "ID RANDOM;\n"            /* 26 */
				  "WINDOW 8192";            /* 27 */
	struct diags ds = { 0 };
	struct osfp *o = osfp_new(0);
	struct osfp_stats st;
	struct posf_obs obs = { 0 };

	(void)state;
	assert_int_equal(osfp_load_posf_buf(o, "bad.posf", bad, sizeof(bad) - 1, collect, &ds),
			 -EINVAL);
	assert_int_equal(ds.n, 9);
	assert_int_equal(ds.line[0], 1);
	assert_string_equal(ds.msg[0], "NUMPKTS before the first OS line");
	assert_int_equal(ds.line[1], 8);
	assert_string_equal(ds.msg[1], "posf entry 'NoWindow' has no WINDOW");
	assert_int_equal(ds.line[2], 14);
	assert_string_equal(ds.msg[2], "out of range NUMPKTS '101'");
	assert_int_equal(ds.line[3], 15);
	assert_string_equal(ds.msg[3], "invalid ID 'SOMETIMES'");
	assert_int_equal(ds.line[4], 17);
	assert_string_equal(ds.msg[4], "TTL given twice in one entry");
	assert_int_equal(ds.line[5], 18);
	assert_string_equal(ds.msg[5], "unknown posf key 'COLOUR'");
	assert_int_equal(ds.line[6], 19);
	assert_string_equal(ds.msg[6], "NUL byte in line");
	assert_int_equal(ds.line[7], 20);
	assert_string_equal(ds.msg[7], "out of range TOS '0x100'");
	assert_int_equal(ds.line[8], 21);
	assert_string_equal(ds.msg[8], "empty OS name");
	osfp_get_stats(o, &st);
	assert_int_equal(st.posf_entries, 2); /* Good and Last */
	feed(&obs, false, 44, 128, 1, 8192);
	assert_string_equal(osfp_posf_guess(o, &obs), "Last");
	osfp_free(o);
}

/* psad's set matched against every SYN shape in the captures never crashes
 * and gives the guesses recorded in the report. */
static void test_psad_on_fixture_shapes(void **state)
{
	struct osfp *p = load_set(PSAD_PF_OS, PSAD_POSF);
	struct posf_obs hping = { 0 };
	static const uint16_t ids[] = { 140, 42641, 58817, 3294 };

	(void)state;
	/* posf: hping3 (window 512, LEN 40): no psad entry */
	for (size_t i = 0; i < 4; i++)
		feed(&hping, false, 40, 64, ids[i], 512);
	assert_null(osfp_posf_guess(p, &hping));
	osfp_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_psad_sets_load),
	    cmocka_unit_test(test_vigil_sets_load),
	    cmocka_unit_test(test_nmap_syn_v4),
	    cmocka_unit_test(test_nmap_syn_v6),
	    cmocka_unit_test(test_linux_connect),
	    cmocka_unit_test(test_hping3_without_options),
	    cmocka_unit_test(test_other_stacks),
	    cmocka_unit_test(test_ttl_window),
	    cmocka_unit_test(test_window_forms),
	    cmocka_unit_test(test_option_forms),
	    cmocka_unit_test(test_quirks_and_eol),
	    cmocka_unit_test(test_not_fingerprinted),
	    cmocka_unit_test(test_psad_generic_and_dedupe),
	    cmocka_unit_test(test_psad_mtu_entry),
	    cmocka_unit_test(test_posf_psad),
	    cmocka_unit_test(test_posf_vigil),
	    cmocka_unit_test(test_posf_observe_filters),
	    cmocka_unit_test(test_p0f_malformed),
	    cmocka_unit_test(test_p0f_overlong_and_many),
	    cmocka_unit_test(test_posf_malformed),
	    cmocka_unit_test(test_psad_on_fixture_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
