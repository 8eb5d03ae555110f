/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udpflood.c - paced UDP sender for bench/daemon.sh: empty datagrams to one
 * address, ports cycling through a range, at a fixed packet rate for a fixed
 * time, in sendmmsg batches. Run only inside the benchmark's own network
 * namespace (the destination is the target namespace's 198.18.x.y or
 * 2001:db8:: address). Prints "sent N packets in S s (R/s), E errors".
 *
 *   udpflood -d ADDR -r PPS -t SECONDS [-p FIRST_PORT] [-n PORTS]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: udpflood -d ADDR -r PPS -t SECONDS [-p FIRST_PORT] [-n PORTS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dst = NULL;
	double rate = 0, secs = 0;
	long first = 1, nports = 1000;
	int c;

	while ((c = getopt(argc, argv, "d:r:t:p:n:")) != -1) {
		switch (c) {
		case 'd': dst = optarg; break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'p': first = strtol(optarg, NULL, 10); break;
		case 'n': nports = strtol(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!dst || rate <= 0 || secs <= 0 || secs > 600 || first < 1 || nports < 1 ||
	    first + nports - 1 > 65535)
		usage();

	struct sockaddr_storage ss[BATCH];
	socklen_t sl;
	int fam;
	memset(ss, 0, sizeof(ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss[0];
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss[0];
	if (inet_pton(AF_INET, dst, &s4->sin_addr) == 1) {
		fam = AF_INET;
		s4->sin_family = AF_INET;
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, dst, &s6->sin6_addr) == 1) {
		fam = AF_INET6;
		s6->sin6_family = AF_INET6;
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "udpflood: bad address '%s'\n", dst);
		return 2;
	}
	for (int i = 1; i < BATCH; i++)
		ss[i] = ss[0];
	int fd = socket(fam, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpflood: socket");
		return 1;
	}
	int sndbuf = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));

	struct mmsghdr m[BATCH];
	struct iovec iov = { .iov_base = (void *)"", .iov_len = 0 };
	memset(m, 0, sizeof(m));
	for (int i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_name = &ss[i];
		m[i].msg_hdr.msg_namelen = sl;
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}

	uint64_t sent = 0, errors = 0;
	long port = 0;
	double t0 = now_s(), t = t0;
	while ((t = now_s()) - t0 < secs) {
		uint64_t due = (uint64_t)((t - t0) * rate);
		if (sent >= due) {
			struct timespec nap = { 0, 20000 };
			nanosleep(&nap, NULL);
			continue;
		}
		unsigned n = due - sent > BATCH ? BATCH : (unsigned)(due - sent);
		for (unsigned i = 0; i < n; i++) {
			uint16_t p = htons((uint16_t)(first + port));
			port = (port + 1) % nports;
			if (fam == AF_INET)
				((struct sockaddr_in *)&ss[i])->sin_port = p;
			else
				((struct sockaddr_in6 *)&ss[i])->sin6_port = p;
		}
		int r = sendmmsg(fd, m, n, 0);
		if (r < 0) {
			if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
				perror("udpflood: sendmmsg");
				return 1;
			}
			errors++;
			continue;
		}
		sent += (uint64_t)r;
	}
	double el = now_s() - t0;
	printf("sent %llu packets in %.3f s (%.0f/s), %llu errors\n", (unsigned long long)sent, el,
	       (double)sent / el, (unsigned long long)errors);
	close(fd);
	return 0;
}
