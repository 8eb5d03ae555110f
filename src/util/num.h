/* num.h - decimal formatting without printf, for reports that write
 * millions of numbers (JSON port lists, counters). */
#ifndef VIGIL_NUM_H
#define VIGIL_NUM_H

#include <stddef.h>
#include <stdint.h>

#define NUM_U64_MAX 21 /* 20 digits + NUL */

/* Writes v in decimal, NUL-terminated; returns the number of digits. */
static inline size_t num_u64(char buf[NUM_U64_MAX], uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

#endif
