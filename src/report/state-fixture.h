/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state-fixture.h - hand-built engine states, shared by the report tests.
 *
 * Test-only (included by *-test.c files, after <cmocka.h>, never by vigil
 * itself). Sources and pairs are built field by field (the state structs
 * are public) and freed with source_free(). Not every test uses every
 * helper, hence the unused-function pragma.
 */
#ifndef VIGIL_STATE_FIXTURE_H
#define VIGIL_STATE_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/portset.h"
#include "engine/state.h"
#include "util/addr.h"
#include "util/span.h"

#pragma GCC diagnostic ignored "-Wunused-function"

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static struct vtime wall(int64_t sec)
{
	return (struct vtime){ .sec = sec, .kind = VTIME_WALL };
}

static void set_proto_bit(struct pair_state *p, uint8_t proto)
{
	p->protos[proto >> 3] |= (uint8_t)(1u << (proto & 7));
	p->n_protos++;
}

static void add_ports(struct portset *ps, unsigned lo, unsigned hi)
{
	for (unsigned port = lo; port <= hi; port++)
		assert_true(portset_add(ps, (uint16_t)port) >= 0);
}

/* A pair of chain INPUT, in eth1, no scoring window yet (as the engine
 * makes one). */
static struct pair_state *pair_new(const char *dst, uint8_t dl)
{
	struct pair_state *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->dst = A(dst);
	p->dl = dl;
	p->chain = CHAIN_INPUT;
	memcpy(p->in, "eth1", 5);
	p->win_port_lo = p->win_port_hi = -1;
	portset_init(&p->tcp.ports);
	portset_init(&p->udp.ports);
	portset_init(&p->udplite.ports);
	return p;
}

static void pair_free(struct pair_state *p)
{
	portset_done(&p->tcp.ports);
	portset_done(&p->udp.ports);
	portset_done(&p->udplite.ports);
	free(p);
}

/* A source with room for n_pairs destinations. */
static struct source_state *source_new(const char *src, uint8_t dl, unsigned n_pairs)
{
	struct source_state *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->src = A(src);
	s->dl = dl;
	s->pairs = calloc(n_pairs ? n_pairs : 1, sizeof(*s->pairs));
	assert_non_null(s->pairs);
	s->cap_pairs = n_pairs;
	return s;
}

/* The source, its pairs and protos_more; s->intel is its maker's (tests
 * point it at objects of their own). */
static void source_free(struct source_state *s)
{
	for (uint32_t i = 0; i < s->n_pairs; i++)
		pair_free(s->pairs[i]);
	free(s->pairs);
	free(s->protos_more);
	free(s);
}

/* Protocol number proto counted n times, past the inline ones as the
 * engine does. */
static void source_add_proto(struct source_state *s, uint8_t proto, uint64_t n)
{
	unsigned i = s->n_protos;

	assert_true(i < SOURCE_PROTOS_MAX);
	if (i < SOURCE_PROTOS_INLINE) {
		s->protos[i] = (struct proto_count){ proto, n };
	} else {
		if (!s->protos_more) {
			s->protos_more = calloc(SOURCE_PROTOS_MAX - SOURCE_PROTOS_INLINE,
						sizeof(*s->protos_more));
			assert_non_null(s->protos_more);
		}
		s->protos_more[i - SOURCE_PROTOS_INLINE] = (struct proto_count){ proto, n };
	}
	s->n_protos++;
}

static struct pair_state *source_add_pair(struct source_state *s, const char *dst, uint8_t dl)
{
	struct pair_state *p = pair_new(dst, dl);

	assert_true(s->n_pairs < s->cap_pairs);
	s->pairs[s->n_pairs++] = p;
	return p;
}

static size_t count_str(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = hay; (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

#endif
