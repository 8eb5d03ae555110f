/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strpool.h - the engine's own copies of names (internal to src/engine).
 *
 * Per-source state names signatures (msg), OS guesses and reputation lists.
 * Pointing into the sets that loaded them would dangle once a reload frees
 * them, and a copy per source would cost a flood of spoofed sources dearly:
 * each distinct string is copied once here and lives as long as the
 * engine, so equal strings are equal pointers. Bounded: at most
 * STRPOOL_MAX strings and STRPOOL_BYTES_MAX bytes (a reload adds the new
 * set's names only as they are first used); past that strpool_intern()
 * says no and the caller counts what it could not keep.
 */
#ifndef VIGIL_STRPOOL_H
#define VIGIL_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#define STRPOOL_MAX 16384
#define STRPOOL_BYTES_MAX (2u << 20)
#define STRPOOL_STR_MAX 1024 /* longer strings are cut (signature msgs are shorter) */

struct strpool;

int strpool_new(struct strpool **ret);
struct strpool *strpool_free(struct strpool *p); /* NULL-safe; returns NULL */
/* The pool's copy of s[0..len) (cut at STRPOOL_STR_MAX), or NULL when the
 * pool is full or out of memory. */
const char *strpool_intern(struct strpool *p, const char *s, size_t len);
/* Heap the pool holds (mem_cost), for MEMORY_LIMIT. */
size_t strpool_bytes(const struct strpool *p);

#endif
