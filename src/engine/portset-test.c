/* SPDX-License-Identifier: GPL-2.0-or-later */
/* portset-test.c - the port set against a plain bool[65536] model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/portset.h"

/* Deterministic LCG so failures reproduce. */
static uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* The set must equal the model: count, min, max, has() and the iterated
 * spans (ascending, disjoint, non-adjacent, covering exactly the model). */
static void check_model(const struct portset *ps, const bool *model)
{
	struct portset_iter it;
	struct port_span sp;
	uint32_t count = 0, next = 0, iter_count = 0;
	int32_t min = -1, max = -1, prev_hi = -2;

	for (uint32_t p = 0; p < 65536; p++) {
		if (!model[p])
			continue;
		count++;
		if (min < 0)
			min = (int32_t)p;
		max = (int32_t)p;
	}
	assert_int_equal(ps->count, count);
	if (count) {
		assert_int_equal(ps->min, min);
		assert_int_equal(ps->max, max);
	}
	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp)) {
		assert_true(sp.lo <= sp.hi);
		assert_true((int32_t)sp.lo > prev_hi + 1); /* disjoint and not adjacent */
		for (uint32_t p = next; p < sp.lo; p++)
			assert_false(model[p]);
		for (uint32_t p = sp.lo; p <= sp.hi; p++)
			assert_true(model[p]);
		iter_count += (uint32_t)(sp.hi - sp.lo) + 1;
		prev_hi = sp.hi;
		next = (uint32_t)sp.hi + 1;
	}
	for (uint32_t p = next; p < 65536; p++)
		assert_false(model[p]);
	assert_int_equal(iter_count, count);
	for (uint32_t p = 0; p < 65536; p += 97)
		assert_int_equal(portset_has(ps, (uint16_t)p), model[p]);
}

static void check_span(const struct portset *ps, uint16_t lo, uint16_t hi)
{
	struct portset_iter it;
	struct port_span sp;

	portset_iter_init(&it, ps);
	assert_true(portset_iter_next(&it, &sp));
	assert_int_equal(sp.lo, lo);
	assert_int_equal(sp.hi, hi);
	assert_false(portset_iter_next(&it, &sp));
	assert_int_equal(ps->count, (uint32_t)(hi - lo) + 1);
	assert_int_equal(ps->min, lo);
	assert_int_equal(ps->max, hi);
}

static void test_empty(void **state)
{
	struct portset ps;
	struct portset_iter it;
	struct port_span sp;

	(void)state;
	portset_init(&ps);
	assert_int_equal(ps.count, 0);
	assert_false(portset_has(&ps, 0));
	assert_false(portset_has(&ps, 65535));
	portset_iter_init(&it, &ps);
	assert_false(portset_iter_next(&it, &sp));
	portset_done(&ps);
	portset_done(NULL); /* NULL-safe */
}

/* One-span form at the edges of the port space. */
static void test_span_edges(void **state)
{
	struct portset ps;

	(void)state;
	portset_init(&ps);
	assert_int_equal(portset_add(&ps, 0), 1);
	check_span(&ps, 0, 0);
	assert_int_equal(portset_add(&ps, 1), 1);
	check_span(&ps, 0, 1);
	portset_done(&ps);
	assert_int_equal(portset_add(&ps, 65535), 1);
	assert_int_equal(portset_add(&ps, 65534), 1);
	assert_int_equal(portset_add(&ps, 65535), 0);
	check_span(&ps, 65534, 65535);
	assert_null(ps.ranges);
	portset_done(&ps);
}

static void test_add_merge(void **state)
{
	struct portset ps;
	struct portset_iter it;
	struct port_span sp;

	(void)state;
	portset_init(&ps);
	assert_int_equal(portset_add(&ps, 80), 1);
	assert_int_equal(portset_add(&ps, 80), 0);
	assert_int_equal(portset_add(&ps, 22), 1);
	assert_int_equal(portset_add(&ps, 21), 1); /* extends 22 down */
	assert_int_equal(portset_add(&ps, 24), 1);
	assert_int_equal(portset_add(&ps, 23), 1); /* closes the gap: 21-24 */
	assert_int_equal(portset_add(&ps, 81), 1); /* extends 80 up */
	assert_int_equal(portset_add(&ps, 0), 1);
	assert_int_equal(portset_add(&ps, 65535), 1);
	assert_int_equal(portset_add(&ps, 65534), 1);
	assert_int_equal(ps.count, 9);
	assert_int_equal(ps.min, 0);
	assert_int_equal(ps.max, 65535);
	assert_int_equal(ps.n_ranges, 4);

	static const struct port_span want[] = {{0, 0}, {21, 24}, {80, 81}, {65534, 65535}};
	size_t k = 0;
	portset_iter_init(&it, &ps);
	while (portset_iter_next(&it, &sp)) {
		assert_true(k < 4);
		assert_int_equal(sp.lo, want[k].lo);
		assert_int_equal(sp.hi, want[k].hi);
		k++;
	}
	assert_int_equal(k, 4);
	assert_true(portset_has(&ps, 23));
	assert_false(portset_has(&ps, 25));
	assert_false(portset_has(&ps, 79));
	portset_done(&ps);
	assert_int_equal(ps.count, 0); /* done leaves an empty, reusable set */
	assert_int_equal(portset_add(&ps, 7), 1);
	portset_done(&ps);
}

static void test_sequential_one_span(void **state)
{
	struct portset ps;

	(void)state;
	portset_init(&ps);
	for (uint32_t p = 1000; p <= 1500; p++)
		assert_int_equal(portset_add(&ps, (uint16_t)p), 1);
	assert_int_equal(ps.count, 501);
	/* one run of ports: no allocation at all */
	assert_null(ps.ranges);
	assert_null(ps.bitmap);
	check_span(&ps, 1000, 1500);
	assert_int_equal(portset_add(&ps, 999), 1); /* extends down */
	assert_int_equal(portset_add(&ps, 1200), 0);
	assert_null(ps.ranges);
	check_span(&ps, 999, 1500);
	assert_false(portset_has(&ps, 998));
	assert_false(portset_has(&ps, 1501));
	assert_true(portset_has(&ps, 1234));
	/* a gap spills the span into an array */
	assert_int_equal(portset_add(&ps, 80), 1);
	assert_non_null(ps.ranges);
	assert_int_equal(ps.n_ranges, 2);
	assert_int_equal(ps.count, 503);
	assert_int_equal(ps.min, 80);
	assert_true(portset_has(&ps, 80));
	assert_false(portset_has(&ps, 81));
	portset_done(&ps);
}

/* Every other port: one span each, so past PORTSET_RANGES_MAX spans the set
 * must become a bitmap and still iterate the same spans. */
static void test_switch_to_bitmap(void **state)
{
	struct portset ps;
	bool *model = calloc(65536, sizeof(*model));
	uint32_t p;

	(void)state;
	assert_non_null(model);
	portset_init(&ps);
	for (p = 0; p < 2u * PORTSET_RANGES_MAX; p += 2) {
		assert_int_equal(portset_add(&ps, (uint16_t)p), 1);
		model[p] = true;
	}
	assert_null(ps.bitmap);
	assert_int_equal(ps.n_ranges, PORTSET_RANGES_MAX);
	check_model(&ps, model);
	assert_int_equal(portset_add(&ps, (uint16_t)p), 1); /* span 1025 */
	model[p] = true;
	assert_non_null(ps.bitmap);
	assert_null(ps.ranges);
	check_model(&ps, model);
	/* merging still works in bitmap form */
	assert_int_equal(portset_add(&ps, 1), 1);
	model[1] = true;
	assert_int_equal(portset_add(&ps, 1), 0);
	assert_int_equal(portset_add(&ps, 65535), 1);
	model[65535] = true;
	check_model(&ps, model);
	portset_done(&ps);
	free(model);
}

/* All 65536 ports in random order: ends as one span 0-65535. */
static void test_random_all_ports(void **state)
{
	uint16_t *order = malloc(65536 * sizeof(*order));
	bool *model = calloc(65536, sizeof(*model));
	struct portset ps;
	uint32_t seed = 12345;

	(void)state;
	assert_non_null(order);
	assert_non_null(model);
	for (uint32_t i = 0; i < 65536; i++)
		order[i] = (uint16_t)i;
	for (uint32_t i = 65535; i > 0; i--) {
		uint32_t j = lcg_next(&seed) % (i + 1);
		uint16_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	portset_init(&ps);
	for (uint32_t i = 0; i < 65536; i++) {
		assert_int_equal(portset_add(&ps, order[i]), 1);
		model[order[i]] = true;
		if (i == 100 || i == 1500 || i == 30000)
			check_model(&ps, model);
	}
	assert_int_equal(portset_add(&ps, order[42]), 0);
	check_model(&ps, model);
	assert_int_equal(ps.count, 65536);
	assert_int_equal(ps.min, 0);
	assert_int_equal(ps.max, 65535);
	portset_done(&ps);
	free(order);
	free(model);
}

/* Random ports in a small window stay in range form: differential check. */
static void test_random_ranges(void **state)
{
	bool *model = calloc(65536, sizeof(*model));
	struct portset ps;
	uint32_t seed = 777;

	(void)state;
	assert_non_null(model);
	portset_init(&ps);
	for (int i = 0; i < 3000; i++) {
		uint16_t p = (uint16_t)(20000 + lcg_next(&seed) % 1500);
		assert_int_equal(portset_add(&ps, p), model[p] ? 0 : 1);
		model[p] = true;
	}
	assert_null(ps.bitmap);
	check_model(&ps, model);
	portset_done(&ps);
	free(model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_span_edges),
	    cmocka_unit_test(test_add_merge),
	    cmocka_unit_test(test_sequential_one_span),
	    cmocka_unit_test(test_switch_to_bitmap),
	    cmocka_unit_test(test_random_all_ports),
	    cmocka_unit_test(test_random_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
