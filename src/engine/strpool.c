/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strpool.c - interned strings (see strpool.h): an open-addressed index
 * (linear probing, load <= 1/2) of individually allocated copies. */
#include "engine/strpool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mem.h"

struct strpool {
	char **slot;   /* size entries, NULL = empty */
	uint32_t size; /* a power of two */
	uint32_t count;
	size_t bytes;
};

#define STRPOOL_SIZE_MIN 64

static uint32_t str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h ^ h >> 15;
}

int strpool_new(struct strpool **ret)
{
	struct strpool *p = calloc(1, sizeof(*p));

	if (!p || !(p->slot = calloc(STRPOOL_SIZE_MIN, sizeof(*p->slot)))) {
		free(p);
		return -ENOMEM;
	}
	p->size = STRPOOL_SIZE_MIN;
	p->bytes = mem_cost(sizeof(*p)) + mem_cost(STRPOOL_SIZE_MIN * sizeof(*p->slot));
	*ret = p;
	return 0;
}

struct strpool *strpool_free(struct strpool *p)
{
	if (!p)
		return NULL;
	for (uint32_t i = 0; i < p->size; i++)
		free(p->slot[i]);
	free(p->slot);
	free(p);
	return NULL;
}

static uint32_t slot_for(char *const *slot, uint32_t size, const char *s, size_t len)
{
	uint32_t i = str_hash(s, len) & (size - 1);

	while (slot[i] && (strncmp(slot[i], s, len) != 0 || slot[i][len] != '\0'))
		i = (i + 1) & (size - 1);
	return i;
}

static int strpool_grow(struct strpool *p)
{
	uint32_t size = 2 * p->size;
	char **slot = calloc(size, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (uint32_t i = 0; i < p->size; i++)
		if (p->slot[i])
			slot[slot_for(slot, size, p->slot[i], strlen(p->slot[i]))] = p->slot[i];
	free(p->slot);
	p->bytes += mem_cost(size * sizeof(*slot)) - mem_cost(p->size * sizeof(*slot));
	p->slot = slot;
	p->size = size;
	return 0;
}

const char *strpool_intern(struct strpool *p, const char *s, size_t len)
{
	uint32_t i;
	char *c;

	if (!p || !s)
		return NULL;
	if (len > STRPOOL_STR_MAX)
		len = STRPOOL_STR_MAX;
	if (memchr(s, '\0', len)) /* a C string's copy ends at its NUL */
		len = strlen(s);
	i = slot_for(p->slot, p->size, s, len);
	if (p->slot[i])
		return p->slot[i];
	if (p->count >= STRPOOL_MAX || p->bytes + mem_cost(len + 1) > STRPOOL_BYTES_MAX)
		return NULL;
	if (2 * (p->count + 1) > p->size) {
		if (strpool_grow(p) < 0)
			return NULL;
		i = slot_for(p->slot, p->size, s, len);
	}
	if (!(c = malloc(len + 1)))
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	p->slot[i] = c;
	p->count++;
	p->bytes += mem_cost(len + 1);
	return c;
}

size_t strpool_bytes(const struct strpool *p)
{
	return p ? p->bytes : 0;
}
