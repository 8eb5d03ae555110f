/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control.h - the daemon's control socket (CONTROL_SOCKET): `vigil status`.
 *
 * A unix stream socket served from the event loop. Wire protocol, one
 * request per connection:
 *
 *   client -> "status --json --ip 198.18.0.0/16 --min-dl 2 --summary\n"
 *   server -> "OK\n" + the answer, then closes;  or  "ERR <reason>\n", closes
 *
 * The request is one line of printable ASCII of at most CONTROL_REQUEST_MAX
 * bytes (with its '\n'); longer, or with other bytes, is answered ERR.
 * Who may ask: the socket is created 0600 (umask around bind), so only its
 * owner (root) can connect, and every peer's SO_PEERCRED is checked too:
 * uid 0 or the daemon's own uid, plus a group when control_allow_group()
 * opened the socket to it (0660, that group).
 *
 * No client can stall the loop: every fd is non-blocking; a client is served
 * only as its bytes arrive or its socket drains (EPOLLOUT); each has a
 * deadline (CONTROL_TIMEOUT_US from accept to the last byte sent) after which
 * it is dropped; at most CONTROL_CLIENTS_MAX at once (more are answered
 * "ERR busy" and closed); an answer is built in memory under a ceiling
 * (CONTROL_RESPONSE_MAX, "ERR ... too large" past it) and the answers held
 * for slow readers are bounded together (CONTROL_MEMORY_MAX).
 */
#ifndef VIGIL_CONTROL_H
#define VIGIL_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/addr.h"

struct loop;
struct outbuf;

#define CONTROL_SOCKET_DEFAULT "/run/vigil/control.sock"
#define CONTROL_REQUEST_MAX 1024              /* bytes of a request line, '\n' included */
#define CONTROL_CLIENTS_MAX 16
#define CONTROL_TIMEOUT_US (5 * INT64_C(1000000))
#define CONTROL_RESPONSE_MAX ((size_t)8 << 20)  /* one answer */
#define CONTROL_MEMORY_MAX ((size_t)32 << 20)   /* answers waiting for slow readers */
#define CONTROL_TOP_DEFAULT 50                  /* status: sources listed */
#define CONTROL_TOP_MAX 100000

enum control_command {
	CONTROL_STATUS,
	_CONTROL_COMMAND_MAX,
};

struct control_request {
	enum control_command cmd;
	bool json;          /* --json: one JSON object (cli.md); else text */
	bool summary;       /* --summary: counts and top lists, no source objects */
	bool has_ip;        /* --ip ADDR[/LEN] */
	struct net ip;
	unsigned min_dl;    /* --min-dl 0-5 */
	unsigned top;       /* --top N: sources listed at most (default CONTROL_TOP_DEFAULT) */
	uid_t uid;          /* the peer (SO_PEERCRED); set by the server */
	pid_t pid;
};

/* Parse one request line (without its '\n'). 0, or -EINVAL with a static
 * reason, or -E2BIG for a line over CONTROL_REQUEST_MAX - 1 bytes. */
int control_request_parse(const char *line, size_t len, struct control_request *ret,
			  const char **reterr_why);
/* The line a client sends for req (without '\n'). Returns the length, or
 * -ENOBUFS when len is too small (CONTROL_REQUEST_MAX always suffices). */
int control_request_format(const struct control_request *req, char *buf, size_t len);
void control_request_init(struct control_request *req); /* status, text, top 50 */

/* Writes the answer's body (the server adds "OK\n"). Runs in the loop: must
 * not block. Whatever passes CONTROL_RESPONSE_MAX is answered ERR instead. */
typedef void control_handler_fn(const struct control_request *req, struct outbuf *resp,
				void *data);

struct control_stats {
	uint64_t accepted;      /* connections taken */
	uint64_t served;        /* answers sent to the end */
	uint64_t refused_busy;  /* over CONTROL_CLIENTS_MAX or CONTROL_MEMORY_MAX */
	uint64_t refused_peer;  /* SO_PEERCRED not allowed */
	uint64_t bad_requests;  /* unparsable, overlong, or closed before a full line */
	uint64_t timed_out;     /* dropped at their deadline */
	uint64_t too_large;     /* answers over CONTROL_RESPONSE_MAX */
	uint64_t errors;        /* accept/recv/send failures */
};

struct control;

/* Bind path (replacing a stale socket file, never another kind of file;
 * -EADDRINUSE when a daemon answers on it; its directory is created 0755 if
 * missing) and serve it on l. path must fit sun_path (-ENAMETOOLONG). */
int control_new(struct loop *l, const char *path, control_handler_fn *fn, void *data,
		struct control **ret);
/* Closes every client and the socket, and unlinks the socket file. */
struct control *control_free(struct control *c);

/* Let group gid in too: the socket file becomes root:gid 0660 and peers whose
 * gid or supplementary groups include gid pass the check. */
int control_allow_group(struct control *c, gid_t gid);
/* The same by name (CONTROL_SOCKET_GROUP); "" or "NONE" does nothing.
 * -ENOENT for a group that does not exist. Looks the name up (NSS): call
 * it at start, not from a callback. */
int control_allow_group_name(struct control *c, const char *name);
/* Tests: a shorter deadline and a smaller client cap. */
void control_set_limits(struct control *c, size_t max_clients, int64_t timeout_us);
void control_get_stats(const struct control *c, struct control_stats *ret);
size_t control_clients(const struct control *c); /* connected now */

#endif
