#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kmsg-read.py - read /dev/kmsg without loss while a capture runs.

Usage: kmsg-read.py OUTFILE MARKER_TAG MAX_SECONDS STOPFILE READYFILE

Opens /dev/kmsg, seeks to its end (SEEK_END: only records logged from now on),
writes READYFILE, then reads one record per read(2) until STOPFILE exists (and
no record arrived for 0.5 s) or MAX_SECONDS pass. Keeps only
  - netfilter log records: message contains "IN=" and "OUT=", and
  - the capture's own marker records: message starts with MARKER_TAG,
writing each as the kernel gave it, first line only: "PRI,SEQ,USEC,FLAGS;MESSAGE".
Fails loudly (exit 3) if the kernel overwrote records before they were read
(read(2) returns EPIPE) or if the sequence numbers have a gap; exit 4 on timeout.
"""
import errno, os, select, sys, time

def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, tag, max_s, stop_path, ready_path = sys.argv[1:]
    tag = tag.encode()
    deadline = time.monotonic() + float(max_s)
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    os.lseek(fd, 0, os.SEEK_END)
    out = open(out_path, "wb")
    with open(ready_path, "w") as r:
        r.write("ready\n")
    lost = 0
    last_seq = None
    kept = 0
    total = 0
    idle_since = time.monotonic()
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    while True:
        now = time.monotonic()
        if now > deadline:
            print("kmsg-read: timeout after %s s" % max_s, file=sys.stderr)
            return 4
        if os.path.exists(stop_path) and now - idle_since > 0.5:
            break
        try:
            rec = os.read(fd, 8192)
        except OSError as e:
            if e.errno == errno.EAGAIN:
                poll.poll(100)
                continue
            if e.errno == errno.EPIPE:
                lost += 1
                print("kmsg-read: EPIPE: kernel ring buffer overrun, records lost",
                      file=sys.stderr)
                continue
            raise
        idle_since = time.monotonic()
        total += 1
        head, _, body = rec.partition(b";")
        fields = head.split(b",")
        seq = int(fields[1])
        if last_seq is not None and seq != last_seq + 1:
            lost += 1
            print("kmsg-read: sequence gap %d -> %d" % (last_seq, seq), file=sys.stderr)
        last_seq = seq
        msg = body.split(b"\n", 1)[0]
        if (b"IN=" in msg and b"OUT=" in msg) or msg.startswith(tag):
            out.write(head + b";" + msg + b"\n")
            kept += 1
    out.close()
    print("kmsg-read: %d records read, %d kept, last seq %s, lost %d"
          % (total, kept, last_seq, lost), file=sys.stderr)
    return 3 if lost else 0

if __name__ == "__main__":
    sys.exit(main())
