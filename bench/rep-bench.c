/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rep-bench.c - load time and lookup cost of reputation lists by size.
 *
 * Build: cc -O2 -Isrc bench/rep-bench.c src/match/reputation.c \
 *            src/util/addr.c src/util/span.c src/util/escape.c
 * (the whole of src/util with -lz works too; only those three are needed.)
 *
 * For N = 10, 1000, 100000, 1000000 random networks it writes the list as
 * text (DROP style, "NET ; comment"), then measures, as the median of five
 * runs, the time to load it (reputation_new + reputation_add_buf) and the
 * cost of one lookup over 1,000,000 addresses: half drawn from inside listed
 * networks, half uniformly random (mostly misses). The networks look like
 * the big public lists: 90% IPv4 (85% /32, 10% /24, 5% /16-/23), 10% IPv6
 * (50% /128, 25% /64, 25% /32-/63 inside 2000::/4). The last line is
 * ns per lookup at 1M divided by ns at 10: how flat lookups are. "chase ns"
 * is one dependent random read in an array of 40 bytes per entry (about
 * the set's size): the cache or DRAM latency any structure that size pays
 * per memory access it cannot predict.
 *
 * Usage: rep-bench [SEED]. Same seed, same lists and addresses.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/reputation.h"

#define RUNS	5
#define LOOKUPS 1000000u

static uint64_t rng_state;

/* splitmix64 */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void random_net(struct net *n)
{
	uint64_t k = rnd() % 100, hi = rnd(), lo = rnd();

	memset(n, 0, sizeof(*n));
	if (k < 90) {
		n->a.family = ADDR_V4;
		memcpy(n->a.b, &hi, 4);
		k = rnd() % 100;
		n->len = k < 85 ? 32 : k < 95 ? 24 : (uint8_t)(16 + rnd() % 8);
	} else {
		n->a.family = ADDR_V6;
		memcpy(n->a.b, &hi, 8);
		memcpy(n->a.b + 8, &lo, 8);
		n->a.b[0] = (uint8_t)(0x20 | (n->a.b[0] & 0x0f));
		k = rnd() % 100;
		n->len = k < 50 ? 128 : k < 75 ? 64 : (uint8_t)(32 + rnd() % 32);
	}
}

/* An address inside n (random host bits). */
static struct addr inside(const struct net *n)
{
	struct addr a = n->a;
	uint64_t hi = rnd(), lo = rnd();
	unsigned bits = a.family == ADDR_V4 ? 32 : 128;
	uint8_t noise[16];

	memcpy(noise, &hi, 8);
	memcpy(noise + 8, &lo, 8);
	for (unsigned k = n->len; k < bits; k++)
		a.b[k / 8] |= noise[k / 8] & (0x80u >> (k % 8));
	return a;
}

static char *make_text(const struct net *nets, size_t n, size_t *ret_len)
{
	size_t cap = n * 64 + 1, len = 0;
	char *text = malloc(cap), s[ADDR_STR_MAX];

	if (!text)
		abort();
	for (size_t i = 0; i < n; i++) {
		addr_format(&nets[i].a, s); /* host bits too, as lists have them */
		len += (size_t)snprintf(text + len, cap - len, "%s/%u ; SBL%zu\n", s, nets[i].len, i);
	}
	*ret_len = len;
	return text;
}

static struct reputation *load(const char *text, size_t len)
{
	struct reputation *r = reputation_new();

	if (!r || reputation_add_buf(r, "bench", text, len, NULL, NULL) != 0) {
		fprintf(stderr, "rep-bench: load failed\n");
		exit(1);
	}
	return r;
}

/* The floor for a structure of this size: ns per dependent read (a
 * pointer chase over one random cycle, Sattolo's shuffle) in an array of
 * that many bytes. Past the caches this is DRAM latency, TLB miss included. */
static double chase_ns(size_t bytes)
{
	size_t words = bytes / 8 < 512 ? 512 : bytes / 8;
	uint64_t *arr = malloc(words * sizeof(*arr));
	double v[RUNS];
	volatile uint64_t sink;

	if (!arr)
		abort();
	for (size_t i = 0; i < words; i++)
		arr[i] = i;
	for (size_t i = words - 1; i > 0; i--) {
		size_t j = rnd() % i, t = arr[i];
		arr[i] = arr[j];
		arr[j] = t;
	}
	for (int k = 0; k < RUNS; k++) {
		uint64_t p = 0;
		double t = now_sec();
		for (size_t i = 0; i < LOOKUPS; i++)
			p = arr[p];
		v[k] = (now_sec() - t) * 1e9 / LOOKUPS;
		sink = p;
	}
	(void)sink;
	free(arr);
	return median(v, RUNS);
}

static double bench_one(size_t n, const struct addr *probe)
{
	struct net *nets = calloc(n, sizeof(*nets));
	struct reputation *r;
	struct reputation_stats st;
	struct reputation_hit hit;
	double load_t[RUNS], look_t[RUNS], t;
	size_t len, hits = 0;
	char *text;

	if (!nets)
		abort();
	for (size_t i = 0; i < n; i++)
		random_net(&nets[i]);
	text = make_text(nets, n, &len);
	for (int k = 0; k < RUNS; k++) {
		t = now_sec();
		r = load(text, len);
		load_t[k] = now_sec() - t;
		reputation_free(r);
	}
	r = load(text, len);
	reputation_get_stats(r, &st);
	/* even probes: inside a listed network (overwritten per size); odd: random */
	struct addr *mine = malloc(LOOKUPS * sizeof(*mine));
	if (!mine)
		abort();
	for (size_t i = 0; i < LOOKUPS; i++)
		mine[i] = i % 2 ? probe[i] : inside(&nets[rnd() % n]);
	for (int k = 0; k < RUNS; k++) {
		size_t h = 0;
		t = now_sec();
		for (size_t i = 0; i < LOOKUPS; i++)
			h += reputation_lookup(r, &mine[i], &hit);
		look_t[k] = (now_sec() - t) * 1e9 / LOOKUPS;
		hits = h;
	}
	double ns = median(look_t, RUNS);
	printf("%9zu %9" PRIu64 " %8.2f %10.2f %11.1f %10.1f %7.1f%% %9.1f\n", n, st.entries,
	       (double)len / 1e6, median(load_t, RUNS) * 1e3,
	       (double)n / median(load_t, RUNS) / 1e6, ns, 100.0 * (double)hits / LOOKUPS,
	       chase_ns(n * 40));
	reputation_free(r);
	free(mine);
	free(text);
	free(nets);
	return ns;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10, 1000, 100000, 1000000 };
	double ns[4];
	struct addr *probe = malloc(LOOKUPS * sizeof(*probe));

	rng_state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	if (!probe)
		abort();
	/* the random half of the probes, the same for every size */
	for (size_t i = 0; i < LOOKUPS; i++) {
		struct net n;
		random_net(&n);
		n.len = 0;
		probe[i] = inside(&n);
	}
	printf("# reputation: median of %d runs, %u lookups each (50%% inside a listed net)\n",
	       RUNS, LOOKUPS);
	printf("%9s %9s %8s %10s %11s %10s %8s %9s\n", "N", "entries", "text MB", "load ms",
	       "M lines/s", "ns/lookup", "hits", "chase ns");
	for (size_t i = 0; i < 4; i++)
		ns[i] = bench_one(sizes[i], probe);
	printf("ratio ns/lookup(1M) / ns/lookup(10): %.2f\n", ns[3] / ns[0]);
	free(probe);
	return 0;
}
