/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nflog.c - NFLOG netlink ("nflog:GROUP"): packets the kernel logged with
 * `-j NFLOG --nflog-group N` / nftables `log group N`, decoded from their
 * binary headers (packet.c) into the event the LOG-text parser makes.
 *
 * Netlink through libmnl, the messages read with libnetfilter_log's
 * nflog_nlmsg_parse() (which validates every attribute). The group is bound
 * with a copy range of NFLOG_COPY_RANGE bytes, enough for the IP header with
 * options, IPv6 extension headers and the TCP header with options (the
 * payload is never needed), and with NFULNL_CFG_F_SEQ: the kernel numbers
 * the packets of the group, so a gap counts exactly the packets lost.
 * The instance's queue threshold is 1 (each packet is sent at once: an
 * alert must not wait for a batch to fill or for its 1 s flush timer).
 *
 * Loss: the socket's receive buffer (SO_RCVBUFFORCE, opts.rcvbuf, default
 * NFLOG_RCVBUF_DEFAULT) absorbs bursts; when it overflows the kernel drops
 * messages and recv() says ENOBUFS (NETLINK_NO_ENOBUFS is kept off so it
 * does): counted as a loss event, and the sequence gap that follows gives
 * the number of packets lost (so `lost` is exact once the next packet
 * arrives; a kernel without NFULA_SEQ would leave it at the event count).
 *
 * read() takes up to NFLOG_BATCH datagrams per recvmmsg(); the budget is
 * checked between datagrams (a datagram holds one packet at threshold 1).
 * Interface names come from indexes through a small cache (if_indextoname
 * is an ioctl: too slow per packet), refreshed after NFLOG_IFNAME_TTL_US.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnetfilter_log/libnetfilter_log.h>

#include "event/event.h"
#include "source/packet.h"
#include "source/source.h"

#define NFLOG_COPY_RANGE 256
#define NFLOG_RCVBUF_DEFAULT (8u << 20)
#define NFLOG_BATCH 64           /* datagrams per recvmmsg() */
#define NFLOG_DGRAM_MAX 8192     /* a datagram at threshold 1: one packet's message */
#define NFLOG_IFCACHE 64         /* interface names cached, direct-mapped by index */
#define NFLOG_IFNAME_TTL_US (5 * 1000000LL)

struct ifname {
	uint32_t index; /* 0: empty */
	uint8_t len;
	char name[IF_NAMESIZE];
	int64_t at_us; /* CLOCK_MONOTONIC when looked up */
};

struct nflog_source {
	struct source s;
	uint16_t group;
	struct mnl_socket *nl;
	int fd;
	bool opened_once;
	bool have_seq;
	uint32_t next_seq;       /* the sequence number expected next */
	bool enobufs;            /* a loss was seen; its gap not yet counted */
	int64_t now_mono_us, now_real_us; /* of the current batch */
	struct event ev;
	struct packet_text txt;
	char names[4][IF_NAMESIZE]; /* the event's in, out, physin, physout */
	struct ifname ifs[NFLOG_IFCACHE];
	/* the current read(): callback, budget */
	source_record_fn *cb;
	void *cb_data;
	size_t handed;
	uint8_t (*bufs)[NFLOG_DGRAM_MAX];
};

static struct nflog_source *ns_of(struct source *s)
{
	return (struct nflog_source *)s;
}

static int64_t now_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int fcntl_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static void ns_error(struct nflog_source *ns, const char *what, int r)
{
	snprintf(ns->s.error, sizeof(ns->s.error), "nflog group %u: %s: %s", ns->group, what,
		 strerror(r < 0 ? -r : r));
	ns->s.n.errors++;
}

static void ns_close(struct source *s)
{
	struct nflog_source *ns = ns_of(s);

	/* closing the socket unbinds the group (the kernel drops the
	 * instance of a closed netlink port) */
	if (ns->nl)
		mnl_socket_close(ns->nl);
	ns->nl = NULL;
	ns->fd = -1;
	ns->have_seq = false;
}

/* Send one config message and wait for its ack (open() only: the kernel
 * answers at once). 0 or -errno from the kernel (-EBUSY: the group is
 * bound by another socket; -EPERM: no CAP_NET_ADMIN). */
static int cfg_send(struct nflog_source *ns, struct nlmsghdr *nlh)
{
	char buf[NFLOG_DGRAM_MAX];
	unsigned portid = mnl_socket_get_portid(ns->nl);
	uint32_t seq = (uint32_t)time(NULL);
	ssize_t n;
	int r;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(ns->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (int i = 0; i < 16; i++) { /* bounded: packets may come before the ack */
		n = mnl_socket_recvfrom(ns->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
		if (r < 0)
			return errno ? -errno : -EPROTO;
		if (r == MNL_CB_STOP)
			return 0;
	}
	return -ETIMEDOUT;
}

static int ns_configure(struct nflog_source *ns)
{
	char buf[NFLOG_DGRAM_MAX];
	struct nlmsghdr *nlh;
	int r;

	nlh = nflog_nlmsg_put_header(buf, NFULNL_MSG_CONFIG, AF_UNSPEC, ns->group);
	if (nflog_attr_put_cfg_cmd(nlh, NFULNL_CFG_CMD_BIND) < 0)
		return -EINVAL;
	if ((r = cfg_send(ns, nlh)) < 0)
		return r;
	nlh = nflog_nlmsg_put_header(buf, NFULNL_MSG_CONFIG, AF_UNSPEC, ns->group);
	if (nflog_attr_put_cfg_mode(nlh, NFULNL_COPY_PACKET, NFLOG_COPY_RANGE) < 0)
		return -EINVAL;
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	return cfg_send(ns, nlh);
}

static int ns_open(struct source *s)
{
	struct nflog_source *ns = ns_of(s);
	int off = 0, r, size;

	if (ns->nl)
		return 0;
	if (ns->opened_once)
		s->n.reopened++;
	ns->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!ns->nl) {
		r = -errno;
		ns_error(ns, "netlink socket", r);
		return r;
	}
	if (mnl_socket_bind(ns->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		ns_error(ns, "bind", r);
		goto fail;
	}
	ns->fd = mnl_socket_get_fd(ns->nl);
	size = (int)(s->opts.rcvbuf ? s->opts.rcvbuf : NFLOG_RCVBUF_DEFAULT);
	/* FORCE passes net.core.rmem_max (CAP_NET_ADMIN, which NFLOG needs anyway) */
	if (setsockopt(ns->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(ns->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* ENOBUFS must be seen: it is how the kernel says it dropped */
	(void)mnl_socket_setsockopt(ns->nl, NETLINK_NO_ENOBUFS, &off, sizeof(off));
	if ((r = ns_configure(ns)) < 0) {
		ns_error(ns, r == -EBUSY ? "bind group (bound by another process?)" : "bind group",
			 r);
		goto fail;
	}
	if ((r = fcntl_nonblock(ns->fd)) < 0) {
		ns_error(ns, "O_NONBLOCK", r);
		goto fail;
	}
	ns->opened_once = true;
	/* a new instance numbers its packets from 0 */
	ns->have_seq = true;
	ns->next_seq = 0;
	return 0;
fail:
	ns_close(s);
	return r;
}

static int ns_fd(const struct source *s)
{
	return ((const struct nflog_source *)s)->fd;
}

/* The name of interface index into out, "" for 0; an index with no
 * interface (gone since) is shown as its number. */
static struct span ifname_of(struct nflog_source *ns, uint32_t index, char out[IF_NAMESIZE])
{
	struct ifname *c = &ns->ifs[index % NFLOG_IFCACHE];

	if (!index)
		return span_make(NULL, 0);
	if (c->index != index || ns->now_mono_us - c->at_us > NFLOG_IFNAME_TTL_US) {
		char name[IF_NAMESIZE];
		if (if_indextoname(index, name))
			c->len = (uint8_t)strnlen(name, sizeof(c->name));
		else
			c->len = (uint8_t)snprintf(name, sizeof(name), "%u", index);
		memcpy(c->name, name, c->len);
		c->index = index;
		c->at_us = ns->now_mono_us;
	}
	memcpy(out, c->name, c->len);
	return span_make(out, c->len);
}

static uint32_t attr_be32(const struct nlattr *a)
{
	return ntohl(mnl_attr_get_u32(a));
}

/* A sequence number: count the packets missing before it. */
static void seq_check(struct nflog_source *ns, uint32_t seq)
{
	if (ns->have_seq && seq != ns->next_seq) {
		uint32_t gap = seq - ns->next_seq; /* wraps at 2^32 like the kernel's */
		if (gap < (1u << 31)) {            /* else: reordered or restarted, not a loss */
			ns->s.n.lost += gap;
			if (!ns->enobufs)
				ns->s.n.lost_events++;
		}
	}
	ns->enobufs = false;
	ns->have_seq = true;
	ns->next_seq = seq + 1;
}

static void trim(struct span *s)
{
	while (s->len && (s->p[0] == ' ' || s->p[0] == '\t'))
		span_skip(s, 1);
	while (s->len && (s->p[s->len - 1] == ' ' || s->p[s->len - 1] == '\t'))
		s->len--;
}

/* Metadata -> ev (everything but the packet's own headers). */
static void fill_meta(struct nflog_source *ns, struct nlattr **a, struct event *ev)
{
	if (a[NFULA_PREFIX]) {
		const char *p = mnl_attr_get_str(a[NFULA_PREFIX]);
		/* NUL-terminated inside the attribute (validated) */
		ev->prefix = span_make(p, strnlen(p, mnl_attr_get_payload_len(a[NFULA_PREFIX])));
		trim(&ev->prefix);
	}
	static const uint16_t idx[4] = { NFULA_IFINDEX_INDEV, NFULA_IFINDEX_OUTDEV,
					 NFULA_IFINDEX_PHYSINDEV, NFULA_IFINDEX_PHYSOUTDEV };
	struct span *dst[4] = { &ev->in, &ev->out, &ev->physin, &ev->physout };
	for (int i = 0; i < 4; i++)
		if (a[idx[i]])
			*dst[i] = ifname_of(ns, attr_be32(a[idx[i]]), ns->names[i]);
	if (a[NFULA_HWHEADER])
		ev->mac = packet_format_mac(mnl_attr_get_payload(a[NFULA_HWHEADER]),
					    mnl_attr_get_payload_len(a[NFULA_HWHEADER]), &ns->txt);
	if (a[NFULA_UID] && a[NFULA_GID]) {
		ev->has_uid = true;
		ev->uid = attr_be32(a[NFULA_UID]);
		ev->gid = attr_be32(a[NFULA_GID]);
	}
	if (a[NFULA_MARK]) {
		ev->mark = attr_be32(a[NFULA_MARK]);
		ev->has_mark = ev->mark != 0; /* as LOG: MARK= only when set */
	}
	if (ev->in.len && ev->out.len)
		ev->chain = CHAIN_FORWARD;
	else if (ev->in.len)
		ev->chain = CHAIN_INPUT;
	else if (ev->out.len)
		ev->chain = CHAIN_OUTPUT;
}

/* One NFULNL_MSG_PACKET. */
static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nflog_source *ns = data;
	struct nlattr *a[NFULA_MAX + 1] = { 0 };
	struct source_record rec = { .kind = SOURCE_EVENT, .facility = -1 };
	struct event *ev = &ns->ev;
	uint16_t hw = 0;

	if (nlh->nlmsg_type != (NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET))
		return MNL_CB_OK;
	if (nflog_nlmsg_parse(nlh, a) < 0) {
		ns->s.n.rejected++;
		return MNL_CB_OK;
	}
	if (a[NFULA_SEQ])
		seq_check(ns, attr_be32(a[NFULA_SEQ]));
	if (!a[NFULA_PAYLOAD]) {
		ns->s.n.rejected++;
		return MNL_CB_OK;
	}
	if (a[NFULA_PACKET_HDR] &&
	    mnl_attr_get_payload_len(a[NFULA_PACKET_HDR]) >= sizeof(struct nfulnl_msg_packet_hdr)) {
		const struct nfulnl_msg_packet_hdr *h = mnl_attr_get_payload(a[NFULA_PACKET_HDR]);
		hw = ntohs(h->hw_protocol);
	}
	memset(ev, 0, sizeof(*ev));
	const uint8_t *pkt = mnl_attr_get_payload(a[NFULA_PAYLOAD]);
	size_t len = mnl_attr_get_payload_len(a[NFULA_PAYLOAD]);
	ns->s.n.bytes += len;
	if (packet_decode(pkt, len, hw, ev, &ns->txt) < 0) {
		ns->s.n.rejected++; /* not IP (ARP on a bridge), or no IP header */
		return MNL_CB_OK;
	}
	fill_meta(ns, a, ev);
	rec.ev = ev;
	rec.when_us = ns->now_real_us;
	if (a[NFULA_TIMESTAMP] && mnl_attr_get_payload_len(a[NFULA_TIMESTAMP]) >=
					  sizeof(struct nfulnl_msg_packet_timestamp)) {
		struct nfulnl_msg_packet_timestamp t;
		memcpy(&t, mnl_attr_get_payload(a[NFULA_TIMESTAMP]), sizeof(t));
		uint64_t sec = be64toh(t.sec), usec = be64toh(t.usec);
		if (sec < (1ull << 40) && usec < 1000000) {
			rec.when_us = (int64_t)(sec * 1000000 + usec);
			rec.time_trusted = true;
		}
	}
	ev->time.kind = VTIME_WALL;
	ev->time.sec = rec.when_us / 1000000;
	ev->time.usec = (uint32_t)(rec.when_us % 1000000);
	ev->time.has_tz = true; /* UTC */
	ns->s.n.records++;
	ns->handed++;
	ns->cb(&rec, ns->cb_data);
	return MNL_CB_OK;
}

static int ns_read(struct source *s, size_t budget, source_record_fn *cb, void *data)
{
	struct nflog_source *ns = ns_of(s);
	struct mmsghdr msgs[NFLOG_BATCH];
	struct iovec iov[NFLOG_BATCH];

	if (!ns->nl)
		return -EBADF;
	ns->cb = cb;
	ns->cb_data = data;
	ns->handed = 0;
	while (ns->handed < budget) {
		unsigned want = budget - ns->handed < NFLOG_BATCH ? (unsigned)(budget - ns->handed)
								 : NFLOG_BATCH;
		for (unsigned i = 0; i < want; i++) {
			iov[i] = (struct iovec){ ns->bufs[i], NFLOG_DGRAM_MAX };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int n = recvmmsg(ns->fd, msgs, want, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno == ENOBUFS) { /* the kernel dropped: the seq gap says how much */
				s->n.lost_events++;
				ns->enobufs = true;
				continue;
			}
			int r = -errno;
			ns_error(ns, "recv", r);
			return r;
		}
		ns->now_mono_us = now_us(CLOCK_MONOTONIC_COARSE);
		ns->now_real_us = now_us(CLOCK_REALTIME);
		for (int i = 0; i < n; i++) {
			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
				s->n.rejected++;
				continue;
			}
			if (mnl_cb_run(ns->bufs[i], msgs[i].msg_len, 0, 0, on_msg, ns) < 0)
				s->n.rejected++; /* an error message or a damaged one */
		}
		if ((unsigned)n < want)
			break;
	}
	return (int)ns->handed;
}

static int ns_tick(struct source *s, int64_t now_mono_us, source_record_fn *cb, void *data)
{
	return 0;
}

static size_t ns_save(const struct source *s, char *buf, size_t len)
{
	return 0; /* packets are not kept by the kernel: nothing to resume */
}

static int ns_restore(struct source *s, const char *pos, size_t len)
{
	return len ? -EINVAL : 0;
}

static void ns_free(struct source *s)
{
	ns_close(s);
	free(ns_of(s)->bufs);
	free(s);
}

static const struct source_ops nflog_ops = {
	.kind = "nflog",
	.open = ns_open,
	.fd = ns_fd,
	.read = ns_read,
	.tick = ns_tick,
	.save = ns_save,
	.restore = ns_restore,
	.close = ns_close,
	.free = ns_free,
};

int source_nflog_new(const char *group, const struct source_opts *o, struct source **ret)
{
	struct nflog_source *ns;
	uint32_t g;

	if (!group || span_to_u32(span_make(group, strlen(group)), &g) < 0 || g > 65535)
		return -EINVAL;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->bufs = malloc(sizeof(*ns->bufs) * NFLOG_BATCH);
	if (!ns->bufs) {
		free(ns);
		return -ENOMEM;
	}
	ns->s.ops = &nflog_ops;
	snprintf(ns->s.spec, sizeof(ns->s.spec), "nflog:%u", g);
	if (o)
		ns->s.opts = *o;
	ns->group = (uint16_t)g;
	ns->fd = -1;
	*ret = &ns->s;
	return 0;
}
