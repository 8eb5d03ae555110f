/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-rules.c - libFuzzer target for the data-set parsers.
 *
 * The first byte picks the parser, the rest is the file: a signature set,
 * a p0f (pf.os) or posf fingerprint set, an ICMP type table or a reputation
 * list. Besides memory errors it checks that every diagnostic is printable
 * ASCII (user bytes were escaped), and it exercises what was loaded:
 * signatures and fingerprints against a few fixed packets, the reputation
 * list with addresses taken from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "event/event.h"
#include "match/icmptypes.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diag(const struct config_diag *d, void *data)
{
	(void)data;
	for (const char *p = d->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			abort();
}

static int vars(void *data, struct span name, struct span *ret)
{
	(void)data;
	if (span_eq(name, "HOME_NET", 8) || span_eq(name, "EXTERNAL_NET", 12)) {
		*ret = SPAN_LIT("any");
		return 0;
	}
	if (span_eq(name, "HTTP_PORTS", 10)) {
		*ret = SPAN_LIT("80");
		return 0;
	}
	if (span_eq(name, "LOOP", 4)) { /* a variable naming itself */
		*ret = SPAN_LIT("$LOOP");
		return 0;
	}
	return -ENOENT;
}

/* A few packets of every kind a rule or a fingerprint can test. */
static void packets(struct event ev[4])
{
	memset(ev, 0, 4 * sizeof(*ev));
	for (int i = 0; i < 4; i++) {
		(void)addr_parse(SPAN_LIT("198.18.0.7"), &ev[i].src);
		(void)addr_parse(SPAN_LIT("198.18.0.2"), &ev[i].dst);
		ev[i].ttl = 48;
		ev[i].ip_len = 44;
		ev[i].has_ports = true;
		ev[i].sport = 40000;
		ev[i].dport = (uint16_t)(1433 + i);
	}
	ev[0].proto = IPPROTO_NUM_TCP;
	ev[0].tcp_flags = TCPF_SYN;
	ev[0].window = 1024;
	ev[0].has_tcp_opts = true;
	ev[0].tcp_opts.count = 1;
	ev[0].tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
	ev[0].tcp_opts.has_mss = true;
	ev[0].tcp_opts.mss = 1460;
	ev[0].tcp_opt_len = 4;
	memcpy(ev[0].tcp_opt_raw, "\x02\x04\x05\xB4", 4);
	ev[1].proto = IPPROTO_NUM_UDP;
	ev[1].udp_len = 384;
	ev[2].proto = IPPROTO_NUM_ICMP;
	ev[2].has_ports = false;
	ev[2].has_icmp = true;
	ev[2].icmp_type = 8;
	ev[2].icmp_code = 2;
	(void)addr_parse(SPAN_LIT("2001:db8::7"), &ev[3].src);
	(void)addr_parse(SPAN_LIT("2001:db8::2"), &ev[3].dst);
	ev[3].proto = IPPROTO_NUM_TCP;
	ev[3].tcp_flags = TCPF_SYN;
	ev[3].ip_len = 80;
	ev[3].has_seq = true;
	ev[3].seq = 1;
}

static void fuzz_sigs(const char *in, size_t size, const struct event ev[4])
{
	struct sigset *s = NULL;
	uint32_t idx[16];

	if (sigset_load_buf("fuzz", in, size, vars, NULL, check_diag, NULL, &s) == -ENOMEM)
		return;
	for (int i = 0; i < 4; i++) {
		size_t n = sigset_match(s, &ev[i], i == 0 ? (1u << 3) : 0, idx, 16);
		for (size_t j = 0; j < n && j < 16; j++)
			if (!sigset_match_one(s, idx[j], &ev[i], i == 0 ? (1u << 3) : 0))
				abort(); /* the index and the reference must agree */
	}
	sigset_free(s);
}

static void fuzz_os(const char *in, size_t size, bool posf, const struct event ev[4])
{
	struct osfp *o = osfp_new(20);
	struct posf_obs obs;
	const char *g[8];

	if (!o)
		return;
	if (posf)
		(void)osfp_load_posf_buf(o, "fuzz", in, size, check_diag, NULL);
	else
		(void)osfp_load_p0f_buf(o, "fuzz", in, size, check_diag, NULL);
	(void)osfp_match_p0f(o, &ev[0], g, 8);
	memset(&obs, 0, sizeof(obs));
	for (int i = 0; i < 5; i++) {
		struct event e = ev[3];
		e.has_tcp_opts = false;
		e.ip_id = (uint16_t)(100 + i);
		osfp_posf_observe(&obs, &e);
	}
	(void)osfp_posf_guess(o, &obs);
	osfp_free(o);
}

static void fuzz_rep(const char *in, size_t size)
{
	struct reputation *r = reputation_new();
	struct reputation_hit hit;
	struct addr a;

	if (!r)
		return;
	(void)reputation_add_buf(r, "fuzz", in, size, check_diag, NULL);
	memset(&a, 0, sizeof(a));
	a.family = ADDR_V4;
	memcpy(a.b, in, size < 4 ? size : 4);
	(void)reputation_lookup(r, &a, &hit);
	a.family = ADDR_V6;
	memcpy(a.b, in, size < 16 ? size : 16);
	(void)reputation_lookup(r, &a, &hit);
	reputation_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmp_types *t = NULL;
	struct event ev[4];
	const char *in;

	if (size < 1)
		return 0;
	in = (const char *)data + 1;
	size--;
	packets(ev);
	switch (data[0] % 5) {
	case 0:
		fuzz_sigs(in, size, ev);
		break;
	case 1:
		fuzz_os(in, size, false, ev);
		break;
	case 2:
		fuzz_os(in, size, true, ev);
		break;
	case 3:
		if (icmp_types_load_buf("fuzz", in, size, check_diag, NULL, &t) != -ENOMEM) {
			(void)icmp_types_check(t, 8, 2);
			(void)icmp_types_name(t, 8);
			icmp_types_free(t);
		}
		break;
	default:
		fuzz_rep(in, size);
		break;
	}
	return 0;
}
