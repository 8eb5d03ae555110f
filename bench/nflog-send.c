/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nflog-send.c - send COUNT TCP SYNs from a raw socket, paced at RATE
 * packets/s (0: as fast as sendmmsg goes), for bench/nflog-rate.sh. Run
 * inside the sending namespace only (198.18.0.0/15 addresses).
 *
 *   nflog-send SRC DST COUNT RATE
 *
 * Prints "sent N seconds S". Destination ports cycle 1-65535 so a detector
 * sees a scan; the TCP checksum is left 0 (the INPUT hook logs before TCP
 * checks it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 64
#define PKT_LEN 44 /* IPv4 20 + TCP 20 + MSS option 4 */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	uint8_t pkts[BATCH][PKT_LEN];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &src) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: nflog-send SRC DST COUNT RATE\n");
		return 2;
	}
	unsigned long long count = strtoull(argv[3], NULL, 10);
	double rate = strtod(argv[4], NULL);
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("nflog-send: raw socket");
		return 1;
	}
	int sndbuf = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	for (int i = 0; i < BATCH; i++) {
		uint8_t *p = pkts[i];
		memset(p, 0, PKT_LEN);
		p[0] = 0x45;
		p[3] = PKT_LEN;
		p[8] = 64;
		p[9] = 6;
		memcpy(p + 12, &src, 4);
		memcpy(p + 16, &dst.sin_addr, 4);
		p[20] = 0x9c; /* sport 40000 */
		p[21] = 0x40;
		p[32] = 6 << 4; /* data offset 24 */
		p[33] = 0x02;   /* SYN */
		p[34] = 0x04;   /* window 1024 */
		p[40] = 2;      /* MSS 1460 */
		p[41] = 4;
		p[42] = 0x05;
		p[43] = 0xb4;
		iov[i] = (struct iovec){ p, PKT_LEN };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &dst, .msg_namelen = sizeof(dst),
							 .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	unsigned long long sent = 0;
	uint16_t port = 1;
	int64_t t0 = now_ns();
	while (sent < count) {
		unsigned n = count - sent < BATCH ? (unsigned)(count - sent) : BATCH;
		for (unsigned i = 0; i < n; i++) {
			pkts[i][4] = (uint8_t)((sent + i) >> 8); /* IP ID */
			pkts[i][5] = (uint8_t)(sent + i);
			pkts[i][22] = (uint8_t)(port >> 8);
			pkts[i][23] = (uint8_t)port;
			port = port == 65535 ? 1 : port + 1;
		}
		if (rate > 0) { /* pace: batch k leaves at t0 + k * BATCH / rate */
			int64_t due = t0 + (int64_t)((double)sent / rate * 1e9);
			while (now_ns() < due) {
			}
		}
		int r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			perror("nflog-send: sendmmsg");
			return 1;
		}
		sent += (unsigned)r;
	}
	printf("sent %llu seconds %.6f\n", sent, (double)(now_ns() - t0) / 1e9);
	return 0;
}
