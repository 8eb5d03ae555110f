/* SPDX-License-Identifier: GPL-2.0-or-later */
/* num.h - decimal formatting without printf, for reports that write
 * millions of numbers (JSON port lists, counters). */
#ifndef VIGIL_NUM_H
#define VIGIL_NUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NUM_U64_MAX 21 /* 20 digits + NUL */

/* Writes v in decimal, NUL-terminated; returns the number of digits.
 * Two digits per division, from a table of "00".."99". */
static inline size_t num_u64(char buf[NUM_U64_MAX], uint64_t v)
{
	static const char pairs[201] = "00010203040506070809"
				       "10111213141516171819"
				       "20212223242526272829"
				       "30313233343536373839"
				       "40414243444546474849"
				       "50515253545556575859"
				       "60616263646566676869"
				       "70717273747576777879"
				       "80818283848586878889"
				       "90919293949596979899";
	char tmp[20];
	size_t i = sizeof(tmp), n;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		tmp[--i] = pairs[d + 1];
		tmp[--i] = pairs[d];
	}
	if (v >= 10) {
		tmp[--i] = pairs[v * 2 + 1];
		tmp[--i] = pairs[v * 2];
	} else {
		tmp[--i] = (char)('0' + v);
	}
	n = sizeof(tmp) - i;
	memcpy(buf, tmp + i, n);
	buf[n] = '\0';
	return n;
}

#define NUM_GROUPED_MAX 27 /* "18,446,744,073,709,551,615" + NUL */

/* v for a person, thousands grouped: "1,234,567". Returns the length. */
static inline size_t num_u64_grouped(char buf[NUM_GROUPED_MAX], uint64_t v)
{
	char d[NUM_U64_MAX];
	size_t n = num_u64(d, v), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = d[i];
	}
	buf[k] = '\0';
	return k;
}

#endif
