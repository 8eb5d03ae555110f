#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""craft.py - send hand-made frames for capture.sh's "crafted" phase.

Usage: craft.py IFACE SRCMAC DSTMAC KIND SRC DST COUNT [ARG...]

Writes COUNT complete Ethernet frames on IFACE with an AF_PACKET socket (so
the sending kernel cannot refuse or rewrite them), 50 ms apart. Checksums
(IPv4 header, UDP/TCP/ICMPv6 with the pseudo-header) are computed here.
KIND:
  udp4 DPORT                  IPv4 UDP, 8 bytes of payload (sameip: SRC = DST)
  rr|lsrr|ssrr|ts DPORT       IPv4 UDP carrying one IP option:
                                rr   Record Route (7), 2 empty slots
                                lsrr Loose Source Route (131), one hop (DST),
                                     pointer past the end (route completed)
                                ssrr Strict Source Route (137), likewise
                                ts   Timestamp (68), flag 0, 2 empty slots
  icmp4 TYPE CODE             IPv4 ICMP message of any type/code, 8-byte header
                              only (hping3 refuses types it does not know)
  icmp6 TYPE CODE             ICMPv6 message of any type/code (16 bytes body)
  topera DPORT [NOPTS]        IPv6 TCP SYN (no TCP options, window 8192)
                              behind NOPTS (default 8) empty Destination
                              Options headers, as the Topera scanner sends;
                              one frame per port from DPORT upwards
  winsyn DPORT [WINDOW]       IPv4 TCP SYN shaped as Windows 10/11 sends one
                              from connect(): TTL 128, DF, window 64240
                              (default) or 65535, options MSS 1460, NOP,
                              WS 8, NOP, NOP, SACK-permitted (IP LEN 52);
                              one frame per port from DPORT upwards
Only 198.18.0.0/15 and 2001:db8::/32 addresses are accepted.
"""
import ipaddress, socket, struct, sys, time

NET4 = ipaddress.ip_network("198.18.0.0/15")
NET6 = ipaddress.ip_network("2001:db8::/32")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ipv4(src, dst, proto, payload, opts=b"", ident=0x1234, ttl=64, df=False):
    while len(opts) % 4:
        opts += b"\0"           # EOL padding
    ihl = 5 + len(opts) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload), ident,
                      0x4000 if df else 0, ttl, proto, 0, src.packed, dst.packed) + opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(src, dst, sport, dport, data):
    length = 8 + len(data)
    if src.version == 4:
        pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = src.packed + dst.packed + struct.pack("!IxxxB", length, 17)
    seg = struct.pack("!HHHH", sport, dport, length, 0) + data
    c = csum(pseudo + seg) or 0xffff
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp_syn6(src, dst, sport, dport, seq):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 8192, 0, 0)
    pseudo = src.packed + dst.packed + struct.pack("!IxxxB", len(seg), 6)
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def tcp_syn4(src, dst, sport, dport, seq, window, opts):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, (5 + len(opts) // 4) << 4, 0x02,
                      window, 0, 0) + opts
    pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, 6, len(seg))
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


# Windows' connect() SYN options: MSS 1460, NOP, WS 8, NOP, NOP, SACK-permitted
WIN_SYN_OPTS = bytes([2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2])


def ipv6(src, dst, nxt, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, hlim, src.packed, dst.packed) + payload


def main():
    if len(sys.argv) < 8:
        print(__doc__, file=sys.stderr)
        return 2
    iface, smac, dmac, kind, src, dst, count = sys.argv[1:8]
    args = sys.argv[8:]
    src, dst, count = ipaddress.ip_address(src), ipaddress.ip_address(dst), int(count)
    for a in (src, dst):
        if a not in NET4 and a not in NET6:
            raise SystemExit("craft.py: %s is outside 198.18.0.0/15 and 2001:db8::/32" % a)
    if not 1 <= count <= 50:
        raise SystemExit("craft.py: COUNT must be 1..50")
    frames = []
    for i in range(count):
        if kind in ("udp4", "rr", "lsrr", "ssrr", "ts"):
            dport = int(args[0])
            opts = {
                "udp4": b"",
                "rr": bytes([7, 11, 4]) + bytes(8),
                "lsrr": bytes([131, 7, 8]) + dst.packed,
                "ssrr": bytes([137, 7, 8]) + dst.packed,
                "ts": bytes([68, 12, 5, 0]) + bytes(8),
            }[kind]
            pl = udp(src, dst, 40000 + i, dport, b"vigil-%02d" % i)
            frames.append((ipv4(src, dst, 17, pl, opts, 0x1234 + i), 0x0800))
        elif kind == "icmp4":
            typ, code = int(args[0]), int(args[1])
            body = struct.pack("!BBHHH", typ, code, 0, 0x5647, i)
            body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
            frames.append((ipv4(src, dst, 1, body, b"", 1000), 0x0800))
        elif kind == "icmp6":
            typ, code = int(args[0]), int(args[1])
            body = struct.pack("!BBHI", typ, code, 0, 0) + (dst.packed if typ == 135 else bytes(16))
            pseudo = src.packed + dst.packed + struct.pack("!IxxxB", len(body), 58)
            c = csum(pseudo + body)
            body = body[:2] + struct.pack("!H", c) + body[4:]
            frames.append((ipv6(src, dst, 58, body, 255), 0x86dd))
        elif kind == "topera":
            dport = int(args[0]) + i
            nopts = int(args[1]) if len(args) > 1 else 8
            pl = tcp_syn6(src, dst, 50000 + i, dport, 0x10000000 + i)
            nxt = 6
            for _ in range(nopts):   # innermost first: each header names the next one
                pl = struct.pack("!BB", nxt, 0) + bytes([1, 4, 0, 0, 0, 0]) + pl   # PadN, 4 bytes
                nxt = 60
            frames.append((ipv6(src, dst, nxt, pl), 0x86dd))
        elif kind == "winsyn":
            dport = int(args[0]) + i
            window = int(args[1]) if len(args) > 1 else 64240
            pl = tcp_syn4(src, dst, 49700 + i, dport, 0x5a000000 + i, window, WIN_SYN_OPTS)
            frames.append((ipv4(src, dst, 6, pl, b"", 0x2000 + i, 128, True), 0x0800))
        else:
            raise SystemExit("craft.py: unknown KIND %s" % kind)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for pkt, etype in frames:
        s.send(mac(dmac) + mac(smac) + struct.pack("!H", etype) + pkt)
        time.sleep(0.05)
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
