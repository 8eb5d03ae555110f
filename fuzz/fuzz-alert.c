/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-alert.c - libFuzzer target for what alerts print from hostile text.
 *
 * The input is a reverse DNS answer, a whois answer and a signature msg at
 * once (it comes from whoever controls the address or the rule file), and
 * the first bytes also shape a pair (ports, flag sets, counts). Checks:
 * - sanitize_name() and alert_sig_line() give printable ASCII only, within
 *   their bounds; a name said valid is letters, digits, '-', '_', '.';
 * - sanitize_text() gives printable ASCII lines, each starting with the
 *   indent and ending with '\n', at most SANITIZE_LINES_MAX of them;
 * - alert_scan_line() stays within its buffer and has no control byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alert/format.h"
#include "alert/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *p, size_t n, bool nl_ok)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 || c > 0x7e) && !(nl_ok && c == '\n'))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[SANITIZE_TEXT_MAX];
	char name[SANITIZE_NAME_MAX], line[ALERT_LINE_MAX];
	const char *in = (const char *)data;
	size_t n, lines = 0;

	if (sanitize_name(in, size, name, sizeof(name))) {
		for (const char *p = name; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *p))
				abort();
	}
	if (strlen(name) >= sizeof(name))
		abort();
	printable(name, strlen(name), false);

	n = sanitize_text(in, size, "   ", text, sizeof(text));
	if (n >= sizeof(text) || n != strlen(text))
		abort();
	printable(text, n, true);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || text[i - 1] == '\n') {
			if (strncmp(text + i, "   ", 3) != 0)
				abort();
			lines++;
		}
	}
	if (lines > SANITIZE_LINES_MAX || (n && text[n - 1] != '\n'))
		abort();

	struct alert_sig g = { .sid = 1, .proto = size ? data[0] : 6, .has_port = true };
	struct addr src = { .family = ADDR_V4, .b = { 198, 51, 100, 7 } };
	memcpy(g.msg, in, size < sizeof(g.msg) - 1 ? size : sizeof(g.msg) - 1);
	n = alert_sig_line(&src, &g, line, sizeof(line));
	if (n >= sizeof(line) || n != strlen(line))
		abort();
	printable(line, n, false);

	struct source_state s = { .src = src, .dl = 3 };
	struct pair_state p = { .dst = src, .dl = 3, .chain = CHAIN_INPUT };
	portset_init(&p.tcp.ports);
	portset_init(&p.udp.ports);
	for (size_t i = 0; i + 1 < size && i < 64; i += 2) {
		uint16_t port = (uint16_t)(data[i] << 8 | data[i + 1]);
		(void)portset_add(i & 2 ? &p.udp.ports : &p.tcp.ports, port);
		if (i & 2)
			p.udp.packets++;
		else
			p.tcp.packets++;
		if (p.n_flags < PAIR_FLAGSETS_MAX)
			p.flags[p.n_flags++] = (struct flag_count){ data[i], 1 };
	}
	p.icmp_packets = size > 3 ? data[3] : 0;
	p.other_packets = size > 4 ? data[4] : 0;
	p.scan_types = size > 8 ? (uint32_t)data[5] | (uint32_t)data[6] << 8 : 0;
	struct pair_state *pp = &p;
	s.pairs = &pp;
	s.n_pairs = 1;
	struct alert_scan sc = { .s = &s, .p = &p, .dl = 3, .total_dsts = 1, .types = p.scan_types };
	n = alert_scan_line(&sc, line, size % sizeof(line) + 1);
	if (n > size % sizeof(line) || n != strlen(line))
		abort();
	printable(line, n, false);
	portset_done(&p.tcp.ports);
	portset_done(&p.udp.ports);
	return 0;
}
