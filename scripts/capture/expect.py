#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""expect.py CAPTURE_DIR EXPECTED_DIR - write tests/data/expected/<fixture>.json.

The expected values come from the PLAN below: what capture.sh sent (source,
destinations, ports, flags, one probe per port with nmap --max-retries 0) and
psad's danger-level rules (psad-behaviour.md 2.2; the reasoning is spelled out
in tests/data/README.md). The fixture itself is read only
  - as an independent check: for every planned scan the records in the fixture
    must be exactly the planned ones (same destinations, ports, flags, one
    record per probe); any difference aborts, so a bad capture cannot silently
    become an expectation;
  - for what nmap decides itself (which discovery probes -sn sends): counted
    from the records, and named "measured" in the README;
  - for first_seen/last_seen: the earliest and the latest time (in real time,
    by UTC when the lines give an offset) among the source's lines as the
    wrapper wrote them (seconds, the log's own zone, and its UTC offset as
    "+HH:MM" when the line has one).
"""
import calendar, json, os, re, sys, time

MON = {m: i for i, m in enumerate(calendar.month_abbr) if m}
CAPTURE_YEAR = time.gmtime().tm_year  # the capture and this script run together


def norm6(addr):
    """kernel's full IPv6 form -> RFC 5952"""
    if ":" not in addr:
        return addr
    import ipaddress
    return str(ipaddress.IPv6Address(addr))


def ladder(n, steps):
    dl = 0
    for s in steps:
        if n >= s:
            dl += 1
    return dl


def pkt_dl(n):
    return ladder(n, (5, 15, 150, 1500, 10000))


def sweep_dl(d):
    return ladder(d, (10, 20, 50, 100, 500))


# ---------------------------------------------------------------- line parsing
TIME_RES = [
    # RFC 3339 / RFC 5424 / journal short-iso(-precise): offset "Z", "+00:00", "+0000"
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "iso"),
    # dmesg -T
    (re.compile(r"^\[\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})\]"), "ctime"),
    # RFC 3164 / journal short(-precise)
    (re.compile(r"^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)"), "bsd"),
]


def line_time(line, wrapper):
    if wrapper in ("kmsg", "dmesg", "dmesg-r"):
        return None
    for rx, kind in TIME_RES:
        m = rx.search(line)
        if not m:
            continue
        g = m.groups()
        if kind == "iso":
            t = "%s-%s-%sT%s:%s:%s" % g[:6]
            if g[6]:    # vigil writes the offset as +HH:MM, UTC as +00:00
                off = "+00:00" if g[6] == "Z" else g[6].replace(":", "")
                t += off if g[6] == "Z" else "%s:%s" % (off[:3], off[3:])
            return t
        if kind == "ctime":
            return "%s-%02d-%02dT%s:%s:%s" % (g[5], MON[g[0]], int(g[1]), g[2], g[3], g[4])
        return "%d-%02d-%02dT%s:%s:%s" % (CAPTURE_YEAR, MON[g[0]], int(g[1]), g[2], g[3], g[4])
    raise SystemExit("expect.py: no time in %r" % line[:80])


def real_time(t):
    """sort key: UTC seconds of a time, its offset taken off when it has one"""
    m = re.match(r"(\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:([+-])(\d\d):(\d\d))?$", t)
    g = m.groups()
    sec = calendar.timegm(tuple(int(x) for x in g[:6]))
    if g[6]:
        sec -= (1 if g[6] == "+" else -1) * (int(g[7]) * 3600 + int(g[8]) * 60)
    return sec


def span(ts):
    """the earliest and the latest of the times, in real time"""
    return min(ts, key=real_time), max(ts, key=real_time)


# IANA protocol keywords (protocol-numbers registry) of the numbers the plan
# sends, as vigil names them in "protocols"
IANA = {0: "hopopt", 1: "icmp", 2: "igmp", 3: "ggp", 4: "ipv4", 5: "st", 6: "tcp", 7: "cbt",
        8: "egp", 9: "igp", 10: "bbn-rcc-mon", 11: "nvp-ii", 12: "pup", 13: "argus",
        14: "emcon", 15: "xnet", 16: "chaos", 17: "udp", 18: "mux", 19: "dcn-meas", 20: "hmp",
        21: "prm", 22: "xns-idp", 23: "trunk-1", 24: "trunk-2", 25: "leaf-1", 26: "leaf-2",
        27: "rdp", 28: "irtp", 29: "iso-tp4", 30: "netblt", 41: "ipv6", 47: "gre", 50: "esp",
        51: "ah", 58: "ipv6-icmp", 132: "sctp", 136: "udplite"}


FIELD = re.compile(r"(?<![A-Z])(IN|OUT|SRC|DST|PROTO|DPT|TYPE|CODE)=(\S*)")


def parse(line, wrapper):
    body = line[line.index("IN="):]
    f = {}
    for k, v in FIELD.findall(body):
        if k in f:          # ICMP errors embed a second header; keep the first
            continue
        f[k] = v
    rec = {"in": f.get("IN", ""), "out": f.get("OUT", ""), "src": norm6(f["SRC"]),
           "dst": norm6(f["DST"]), "proto": f.get("PROTO", "?"), "time": line_time(line, wrapper),
           "line": line}
    if rec["proto"] in ("TCP", "UDP") and "DPT" in f:
        rec["dpt"] = int(f["DPT"])
    if rec["proto"] == "TCP" and "DPT" in f:
        m = re.search(r"WINDOW=\d+ (?:RES=0x[0-9a-f]+ )?(.*?) ?URGP=", body)
        rec["flags"] = (m.group(1) if m else "").strip() or "NULL"
        m = re.search(r"URGP=\d+ OPT \(([0-9A-F]*)\)", body)
        # ulogd's PRINTPKT never prints TCP options: nothing to check there
        rec["tcpopt"] = None if wrapper == "ulogd" else (m.group(1) if m else "")
    if rec["proto"] in ("ICMP", "ICMPv6"):
        rec["icmp"] = "%s/%s" % (f.get("TYPE"), f.get("CODE"))
    m = re.search(r"OPT \(([0-9A-F]*)\) PROTO=", body)       # IPv4 options (--log-ip-options)
    rec["ipopt"] = m.group(1) if m else ""
    rec["ext_opts"] = len(re.findall(r"OPT \( \)", body))    # IPv6 extension headers
    return rec


def read_fixture(path):
    wrapper = path.rsplit(".", 1)[1]
    with open(path) as fh:
        lines = fh.read().splitlines()
    return lines, [parse(l, wrapper) for l in lines]


# ---------------------------------------------------------------- the plan
# Each scan: what one source sent. ports: the destination ports, one probe each
# (nmap --max-retries 0 / hping3 -c N -p ++P); flags: the kernel's flag string;
# types/nmap: the vigil labels the scan implies (cli.md vocabulary); sig: psad's
# shipped-signature DL that the packets match (every shipped rule is psad_dl:2).
# sigs: {sid: count} of psad's shipped rules the packets certainly match (psad's
# ids: the sid, or the psad_id of rules without one; vigil's default set keeps
# them), written as "signatures": [{"sid", "count"}]. Rules whose match is
# doubtful (psad's dead SCAN NULL 623, SCAN XMAS 625 on ACK packets psad drops)
# are not listed: the comparison ignores unlisted sids.
SIGNATURES = True


def rng(a, b):
    return list(range(a, b + 1))


V4T = "198.18.0.1"
V6T = "2001:db8:0:1::1"
SWEEP_DSTS = ["198.18.0.%d" % i for i in range(10, 30)]

S = dict  # readability

IPT4 = [
    S(src="198.18.0.2", dsts=[V4T], proto="tcp", ports=rng(1, 160), flags="SYN", opts="kernel",
      types=["CONNECT"], nmap=["-sT"], sig=2, sigs={100040: 1}),   # Infector, tcp/146 from port >= 1000
    S(src="198.18.0.3", dsts=[V4T], proto="tcp", ports=rng(1000, 1200), flags="SYN", opts="mss",
      types=["SYN"], nmap=["-sS"], sig=2, sigs={1985: 1}),      # Doly 1.5, tcp/1015
    S(src="198.18.0.4", dsts=[V4T], proto="tcp", ports=rng(2000, 2019), flags="FIN",
      types=["FIN"], nmap=["-sF"], sig=2, sigs={621: 20}),
    S(src="198.18.0.5", dsts=[V4T], proto="tcp", ports=rng(2000, 2019), flags="NULL",
      types=["NULL"], nmap=["-sN"], sig=0),
    S(src="198.18.0.6", dsts=[V4T], proto="tcp", ports=rng(2000, 2019), flags="URG PSH FIN",
      types=["XMAS"], nmap=["-sX"], sig=2, sigs={1228: 20}),
    S(src="198.18.0.7", dsts=[V4T], proto="udp", ports=rng(1, 50),
      types=["UDP"], nmap=["-sU"], sig=0),
    S(src="198.18.0.8", dsts=[V4T], proto="ip", protocols=rng(2, 5) + rng(7, 16) + rng(18, 30),
      types=["PROTO"], nmap=["-sO"], sig=0),
    S(src="198.18.0.9", dsts=SWEEP_DSTS, proto="pingsweep", sig=2, sigs="icmp"),  # 384/453 counted
]

NFT4 = [
    S(src="198.18.0.3", dsts=[V4T], proto="tcp", ports=rng(3000, 3019), flags="ACK",
      types=["ACK"], nmap=["-sA"], sig=0),
    S(src="198.18.0.4", dsts=[V4T], proto="tcp", ports=rng(3000, 3019), flags="ACK FIN",
      types=["MAIMON"], nmap=["-sM"], sig=0),
    S(src="198.18.0.5", dsts=[V4T], proto="tcp", ports=rng(3000, 3019), flags="SYN FIN", opts="mss",
      types=["SYNFIN"], nmap=["--scanflags SYNFIN"], sig=2, sigs={624: 20}),
    S(src="198.18.0.6", dsts=[V4T], proto="tcp", ports=rng(4000, 4019), flags="URG ACK PSH RST SYN FIN",
      opts="none", types=["OTHER"], nmap=[], sig=0),
    S(src="198.18.0.7", dsts=[V4T], proto="tcp", ports=rng(5000, 5009), flags="CWR ECE SYN", opts="none",
      types=["SYN"], nmap=["-sS"], sig=0),
    S(src="198.18.0.8", dsts=["198.18.0.%d" % i for i in range(10, 22)], proto="tcp", ports=[1083],
      flags="SYN", opts="mss", types=["SYN", "SWEEP"], nmap=["-sS"], sig=0),
    # 198.18.0.9: hping3 -f fragments, not planned here (no ports in the records;
    # only "malformed": 0 is expected of them)
    S(src="198.18.0.2", dsts=[V4T], proto="udp", ports=rng(7000, 7004), extra={"47": 3},
      types=["UDP"], nmap=["-sU"], sig=0),
]

IP6 = [
    S(src="2001:db8:0:1::2", dsts=[V6T], proto="tcp", ports=rng(1, 30), flags="SYN", opts="kernel",
      types=["CONNECT"], nmap=["-sT"], sig=0),
    S(src="2001:db8:0:1::3", dsts=[V6T], proto="tcp", ports=rng(1000, 1100), flags="SYN", opts="mss",
      types=["SYN"], nmap=["-sS"], sig=2, sigs={1985: 1}),      # port-only rule: fires on IPv6 too
    S(src="2001:db8:0:1::4", dsts=[V6T], proto="udp", ports=rng(1, 20),
      types=["UDP"], nmap=["-sU"], sig=0),
]

BENIGN = [
    S(src="198.18.0.3", dsts=[V4T], proto="tcp", ports=[23, 23], flags="SYN", opts="none",
      types=["SYN"], nmap=["-sS"], sig=0),
    S(src="198.18.0.5", dsts=[V4T], proto="tcp", ports=[443], flags="ACK", opts="none",
      types=["ACK"], nmap=["-sA"], sig=0),
    S(src="198.18.0.4", dsts=[V4T], proto="icmp", count=2, icmp="8/0",
      types=["PING"], nmap=["-sn"], sig=2, sigs={384: 2}),
]

MIXED = [
    S(src="198.18.0.3", dsts=[V4T], proto="tcp", ports=rng(2000, 2029), flags="SYN", opts="mss",
      types=["SYN"], nmap=["-sS"], sig=0),
    S(src="198.18.0.4", dsts=[V4T], proto="udp", ports=rng(3000, 3014),
      types=["UDP"], nmap=["-sU"], sig=0),
    S(src="198.18.0.5", dsts=[V4T], proto="tcp", ports=rng(4000, 4007), flags="ACK FIN",
      types=["MAIMON"], nmap=["-sM"], sig=0),
    S(src="2001:db8:0:1::3", dsts=[V6T], proto="tcp", ports=rng(5000, 5019), flags="SYN", opts="mss",
      types=["SYN"], nmap=["-sS"], sig=0),
]

FWD = [
    S(src="198.18.1.2", dsts=["198.18.2.2"], proto="tcp", ports=rng(20, 99), flags="SYN", opts="mss",
      types=["SYN"], nmap=["-sS"], sig=0, chain="FORWARD", iface=("eth0", "eth1")),
]

# ---------------------------------------------------------------- crafted
# capture.sh phase "crafted": one source per scenario. recs: the records each
# source must produce, exactly: (dst, proto, key, count) with key = destination
# port for UDP, (port, flags) for TCP, "type/code" for ICMP/ICMPv6. measured:
# what nmap -O / -sT send is nmap's choice: only the destinations are fixed,
# everything else is counted from the records. sigs: {sid: count} psad's
# shipped rules certainly match; invalid: ICMP/ICMPv6 with a type or code psad's
# tables (icmp_types, icmp6_types) and IANA do not have; ipopts: IPv4 options
# carried (count per kind); scanners: the labels vigil must give.
V4M = "198.18.0.%d"
MIRAI_DSTS = [V4T, "198.18.0.10", "198.18.0.11"]


def tcp1(port, flags="SYN", n=1, dst=V4T):
    return (dst, "TCP", (port, flags), n)


CRAFTED = [
    # 1. signatures
    S(src=V4M % 100, recs=[tcp1(1433)], sigs={100205: 1}, what="hping3 -S -p 1433 (MS SQL)"),
    S(src=V4M % 101, recs=[tcp1(1015)], sigs={1985: 1}, what="hping3 -S -p 1015 (Doly 1.5)"),
    S(src=V4M % 102, recs=[tcp1(27374)], sigs={100207: 1}, what="hping3 -S -p 27374 (SubSeven)"),
    S(src=V4M % 103, recs=[tcp1(12345)], sigs={100028: 1}, what="hping3 -S -p 12345 (NetBus)"),
    S(src=V4M % 104, recs=[(V4T, "UDP", 31337, 1)], what="hping3 --udp -p 31337 (Back Orifice; no psad rule)"),
    S(src=V4M % 105, recs=[(V4T, "UDP", 62201, 1)], sigs={100210: 1}, what="hping3 --udp -d 200 -p 62201 (fwknop)"),
    S(src=V4M % 106, recs=[(V4T, "UDP", 1434, 1)], sigs={100208: 1}, what="hping3 --udp -d 376 -p 1434 (Slammer, LEN=404)"),
    S(src=V4M % 107, recs=[tcp1(p, "FIN") for p in rng(5000, 5004)], sigs={621: 5},
      types=["FIN"], nmap=["-sF"], what="hping3 -F -p ++5000 -c 5"),
    S(src=V4M % 108, recs=[tcp1(p, "URG PSH FIN") for p in rng(5000, 5004)], sigs={1228: 5},
      types=["XMAS"], nmap=["-sX"], what="hping3 -F -P -U -p ++5000 -c 5"),
    # SCAN NULL (623) is dead in psad; whether vigil matches it decides the
    # source level (1 or 2): only the pair's level (1) is asserted
    S(src=V4M % 109, recs=[tcp1(p, "NULL") for p in rng(5000, 5004)], src_dl=None,
      types=["NULL"], nmap=["-sN"], what="hping3 (no flags) -p ++5000 -c 5"),
    S(src=V4M % 110, recs=[tcp1(p, "SYN FIN") for p in rng(5000, 5004)], sigs={624: 5},
      types=["SYNFIN"], nmap=["--scanflags SYNFIN"], what="hping3 -S -F -p ++5000 -c 5"),
    S(src=V4M % 111, recs=[(V4T, "ICMP", "8/0", 2)], sigs={384: 2}, what="hping3 --icmp -d 56 -c 2 (echo)"),
    S(src=V4M % 112, recs=[(V4T, "ICMP", "13/0", 1)], sigs={453: 1}, what="hping3 --icmp-ts (timestamp request)"),
    S(src=V4M % 113, recs=[(V4T, "ICMP", "17/0", 1)], sigs={388: 1}, what="hping3 --icmp-addr (address mask request)"),
    S(src=V4M % 114, recs=[(V4T, "ICMP", "15/0", 1)], sigs={417: 1}, what="craft.py icmp4 15 0 (information request)"),
    # 2. invalid ICMP
    S(src=V4M % 115, recs=[(V4T, "ICMP", "8/2", 1)], sigs={365: 1}, invalid=1, what="hping3 --icmp -K 2 (echo, code 2)"),
    S(src=V4M % 116, recs=[(V4T, "ICMP", "99/0", 1)], invalid=1, what="craft.py icmp4 99 0 (unassigned type)"),
    S(src="2001:db8:0:1::100", recs=[(V6T, "ICMPv6", "135/22", 1)], invalid=1,
      what="craft.py icmp6 135 22 (neighbour solicitation, code 22)"),
    S(src="2001:db8:0:1::101", recs=[(V6T, "ICMPv6", "199/0", 1)], invalid=1,
      what="craft.py icmp6 199 0 (unassigned type)"),
    # 3. IP options, sameip
    S(src=V4M % 117, recs=[(V4T, "UDP", 33434, 2)], ipopts={"rr": 2}, what="craft.py rr: UDP + Record Route"),
    S(src=V4M % 118, recs=[(V4T, "UDP", 33434, 2)], ipopts={"lsrr": 2}, sigs={500: 2},
      what="craft.py lsrr: UDP + Loose Source Route"),
    S(src=V4M % 119, recs=[(V4T, "UDP", 33434, 2)], ipopts={"ssrr": 2}, sigs={502: 2},
      what="craft.py ssrr: UDP + Strict Source Route"),
    S(src=V4M % 120, recs=[(V4T, "UDP", 33434, 2)], ipopts={"ts": 2}, what="craft.py ts: UDP + Timestamp"),
    # the source is the target's own address (the destination of its INPUT
    # records): vigil reports it spoofed, at DL 0 (issue 8, section 2); psad: DL 2
    S(src=V4T, recs=[(V4T, "UDP", 33434, 2)], sigs={527: 2}, spoofed="own",
      what="craft.py udp4, source = destination (sameip)"),
    # 4. Mirai
    S(src=V4M % 121, recs=[tcp1(23, n=10), tcp1(2323)], scanners=["Mirai"], types=["SYN"], nmap=["-sS"],
      what="hping3 -S: 10 x tcp/23, then tcp/2323"),
    S(src=V4M % 122, dsts=MIRAI_DSTS, recs=[tcp1(23, dst=d) for d in MIRAI_DSTS], scanners=["Mirai"],
      seq_is_dst=True, what="hping3 -S -p 23 -M <dst as integer>, 3 destinations"),
    # 5. Topera
    S(src="2001:db8:0:1::102", recs=[(V6T, "TCP", (p, "SYN"), 1) for p in rng(80, 84)], ext_opts=8,
      scanners=["Topera"], types=["SYN"], nmap=["-sS"], src_dl=None,
      what="craft.py topera: 8 empty Destination Options + SYN"),
    # (psad also matches 207 "data in TCP SYN packet" here: its payload estimate
    # LEN - 84 counts the IPv6 header and the 64 bytes of options as data, so the
    # source level, 1 by counts, is 2 in psad: not asserted)
    # 6. Masscan: one nmap SYN with MSS, then masscan (or its emulation) on 40-70
    S(src=V4M % 123, recs=[tcp1(p) for p in rng(39, 70)], scanners=["Masscan"], types=["SYN"], nmap=["-sS"],
      masscan=rng(40, 70), what="nmap -sS -p 39, then masscan -p40-70 --rate 100"),
    # 7. OS detection and a Linux connect() scan
    S(src=V4M % 124, measured=True, what="nmap -O --max-os-tries 1 -p 80,81 (target answers)"),
    S(src="2001:db8:0:1::103", dsts=[V6T], measured=True, what="nmap -6 -O --max-os-tries 1 -p 80,81 (target answers)"),
    S(src=V4M % 125, recs=[tcp1(p) for p in rng(1, 20)], opts="kernel", types=["CONNECT"], nmap=["-sT"],
      what="nmap -sT -p 1-20 (Linux connect())"),
]


# ---------------------------------------------------------------- ufw, firewalld
# capture.sh phases "ufw" and "firewalld": the tools' default logging, without
# TCP options. fields: values every record of the source must show (the SYN's
# shape: LEN, TTL, WINDOW). An ordinary Linux or Windows SYN is DL 0 (no
# signature: its header length is unknown, so no payload is assumed); real
# nmap scans still score. ufw logs at most 3 records a minute after a burst
# of 10 ("LOGLEVEL low"): how many of nmap's SYNs it logged is measured
# (syn_ports: every record a SYN to one of them; at least min_recs).
UFW = [
    S(src=V4M % 130, recs=[tcp1(443)], opts="none", fields={"LEN": "60", "TTL": "64"},
      what="Linux connect() SYN to tcp/443 (options MSS SACKOK TS NOP WS, unlogged)"),
    S(src=V4M % 131, recs=[tcp1(443)], opts="none",
      fields={"LEN": "52", "TTL": "128", "WINDOW": "64240"},
      what="craft.py winsyn: Windows' connect() SYN (MSS NOP WS NOP NOP SACKOK), tcp/443"),
    S(src=V4M % 132, measured=True, syn_ports=rng(40000, 40099), min_recs=5, types=["SYN"],
      nmap=["-sS"], what="nmap -sS -p 40000-40099 through ufw's rate limit"),
]

FIREWALLD = [
    S(src=V4M % 134, recs=[tcp1(443)], opts="none", fields={"LEN": "60", "TTL": "64"},
      what="Linux connect() SYN to tcp/443"),
    S(src=V4M % 135, recs=[tcp1(443)], opts="none",
      fields={"LEN": "52", "TTL": "128", "WINDOW": "65535"},
      what="craft.py winsyn (window 65535), tcp/443"),
    S(src=V4M % 136, recs=[tcp1(p) for p in rng(40000, 40049)], opts="none", fields={"LEN": "44"},
      types=["SYN"], nmap=["-sS"], what="nmap -sS -p 40000-40049 (MSS alone: LEN 44, a raw SYN)"),
    # Linux connect() SYNs without logged options: LEN 60 leaves room for a
    # connect()'s options or a raw SYN's data, which vigil says it cannot tell
    S(src=V4M % 137, recs=[tcp1(p) for p in rng(40000, 40029)], opts="none", fields={"LEN": "60"},
      types=["SYN_OR_CONNECT"], nmap=["-sS or -sT"], what="nmap -sT -p 40000-40029"),
]


def ip_to_int(a):
    import ipaddress
    return int(ipaddress.IPv4Address(a))


def ipopt_kinds(hexopt):
    """IPv4 option kinds in an OPT (...) string: rr, lsrr, ssrr, ts"""
    names = {7: "rr", 131: "lsrr", 137: "ssrr", 68: "ts"}
    b, i, out = bytes.fromhex(hexopt), 0, []
    while i < len(b):
        if b[i] == 0:
            break
        if b[i] == 1:
            i += 1
            continue
        if b[i] in names:
            out.append(names[b[i]])
        i += max(b[i + 1], 2) if i + 1 < len(b) else len(b)
    return out


def reckey(r):
    if r["proto"] == "TCP":
        return (r["dst"], "TCP", (r["dpt"], r["flags"]))
    if r["proto"] == "UDP":
        return (r["dst"], "UDP", r["dpt"])
    return (r["dst"], r["proto"], r.get("icmp"))


def expect_crafted(fixture, sc, recs, with_times):
    src = sc["src"]
    mine = [r for r in recs if r["src"] == src]
    if not mine:
        die(fixture, "no records from %s" % src)
    dsts = sc.get("dsts", [V4T if ":" not in src else V6T])
    for r in mine:
        if (r["in"], r["out"]) != ("eth0", "") or r["dst"] not in dsts:
            die(fixture, "%s: record to %s IN=%s OUT=%s" % (src, r["dst"], r["in"], r["out"]))
    if not sc.get("measured"):
        want = sorted((d, p, k) for d, p, k, n in sc["recs"] for _ in range(n))
        got = sorted((reckey(r) for r in mine), key=str)
        if sorted(want, key=str) != got:
            die(fixture, "%s: records %s, planned %s" % (src, got, sorted(want, key=str)))
        if "opts" in sc:
            ok = {opt_kind(r["tcpopt"]) for r in mine}
            if ok != {sc["opts"]}:
                die(fixture, "%s: TCP options %s, planned %s" % (src, ok, sc["opts"]))
    for k, v in sc.get("fields", {}).items():
        for r in mine:
            m = re.search(r" %s=(\S+)" % k, r["line"][r["line"].index("IN="):])
            if not m or m.group(1) != v:
                die(fixture, "%s: %s=%s planned, got %s" % (src, k, v, r["line"][-160:]))
    if "syn_ports" in sc:
        for r in mine:
            if r["proto"] != "TCP" or r.get("flags") != "SYN" or r.get("dpt") not in sc["syn_ports"]:
                die(fixture, "%s: not a SYN to the scanned ports: %s" % (src, r["line"][-120:]))
        if len(mine) < sc.get("min_recs", 1):
            die(fixture, "%s: %d records, want at least %d" % (src, len(mine), sc["min_recs"]))
    if sc.get("seq_is_dst"):
        for r in mine:
            m = re.search(r" SEQ=(\d+) ", r["line"])
            if not m or int(m.group(1)) != ip_to_int(r["dst"]):
                die(fixture, "%s: SEQ is not the destination address: %s" % (src, r["line"][-120:]))
    if "masscan" in sc:
        # masscan's SYNs: no TCP options, window 1024, IP ID = (dst ^ dport ^ seq) & 0xffff
        for r in mine:
            if r["dpt"] in sc["masscan"]:
                m = re.search(r" ID=(\d+) .* SEQ=(\d+) .*WINDOW=(\d+) ", r["line"])
                if (r["tcpopt"] or int(m.group(3)) != 1024 or
                        int(m.group(1)) != (ip_to_int(r["dst"]) ^ r["dpt"] ^ int(m.group(2))) & 0xffff):
                    die(fixture, "%s: not masscan's fingerprint: %s" % (src, r["line"][-160:]))
            elif opt_kind(r["tcpopt"]) != "mss":
                die(fixture, "%s: the first SYN has no MSS option" % src)
    if sc.get("ext_opts") and any(r["ext_opts"] != sc["ext_opts"] for r in mine):
        die(fixture, "%s: not %d extension headers" % (src, sc["ext_opts"]))
    kinds = {}
    for r in mine:
        for k in ipopt_kinds(r["ipopt"]):
            kinds[k] = kinds.get(k, 0) + 1
    if kinds != sc.get("ipopts", {}):
        die(fixture, "%s: IP options %s, planned %s" % (src, kinds, sc.get("ipopts", {})))

    sigs = dict(sc.get("sigs", {}))
    invalid = sc.get("invalid", 0)
    if sc.get("measured"):
        # only what is certain: echo requests with a code (ICMP 8/x, ICMPv6
        # 128/x, x > 0) are invalid everywhere; psad's flag and ICMP rules
        for r in mine:
            t = r.get("icmp")
            if t in ("8/0",) and r["proto"] == "ICMP":
                sigs[384] = sigs.get(384, 0) + 1
            elif t and t.split("/")[0] in ("8", "128") and t.split("/")[1] != "0":
                invalid += 1
                if r["proto"] == "ICMP":
                    sigs[365] = sigs.get(365, 0) + 1
            if r.get("flags") == "URG PSH FIN":
                sigs[1228] = sigs.get(1228, 0) + 1

    out = {"src": src}
    dests, protos = [], {}
    pairs = []
    for dst in dsts:
        pr = [r for r in mine if r["dst"] == dst]
        d = {"dst": dst}
        ports = [r["dpt"] for r in pr if "dpt" in r]
        plist = sorted({r["proto"] for r in pr})
        absnum = len(pr)
        rng_ = (max(ports) - min(ports)) if ports else absnum
        dl = pair_dl(absnum, rng_, len(plist), len(dsts))
        pairs.append(dl)
        d["danger_level"] = dl
        for key in ("TCP", "UDP"):
            pp = [r for r in pr if r["proto"] == key]
            if pp:
                fl = {r["flags"] for r in pp} if key == "TCP" else {None}
                o = portobj([r["dpt"] for r in pp], fl.pop() if len(fl) == 1 else None)
                if len(fl) > 0 or sc.get("measured"):
                    o.pop("flags", None)
                d[key.lower()] = o
                protos[key.lower()] = protos.get(key.lower(), 0) + len(pp)
        ic = [r for r in pr if r["proto"] == "ICMP"]
        if ic:
            types = {}
            for r in ic:
                types[r["icmp"]] = types.get(r["icmp"], 0) + 1
            d["icmp"] = {"packets": len(ic), "types": types}
            protos["icmp"] = protos.get("icmp", 0) + len(ic)
        ic6 = [r for r in pr if r["proto"] == "ICMPv6"]
        if ic6:
            protos["ipv6-icmp"] = protos.get("ipv6-icmp", 0) + len(ic6)
        dests.append(d)
    pairs_max = max(pairs)
    src_dl = max([pairs_max] + ([2] if sigs else []) + ([2] if invalid else []))
    if sc.get("spoofed"):
        src_dl = 0
        out["spoofed"] = sc["spoofed"]
    if sc.get("src_dl", 0) is not None:
        out["danger_level"] = src_dl
    out["packets"] = len(mine)
    out["protocols"] = protos
    if "types" in sc or (pairs_max == 0 and not sc.get("measured")):
        out["scan_types"] = sorted(sc.get("types", [])) if pairs_max >= 1 else []
        out["nmap"] = sorted(sc.get("nmap", [])) if pairs_max >= 1 else []
    if sigs:
        out["signatures"] = [{"sid": k, "count": v} for k, v in sorted(sigs.items())]
    out["invalid_icmp"] = invalid
    if ":" not in src and any(r["ipopt"] for r in mine):
        out["ip_options"] = dict(kinds)     # only the kinds present (vigil omits zero counts)
        out["source_routed"] = kinds.get("lsrr", 0) + kinds.get("ssrr", 0)
    if "scanners" in sc:
        out["scanners"] = sc["scanners"]
    if with_times:
        ts = [r["time"] for r in mine]
        out["first_seen"], out["last_seen"] = span(ts)
    for d in dests:
        # the source's level is above the pair's count level (signatures, invalid
        # ICMP) or not pinned down: whether vigil's pair level includes the
        # signature level is not pinned down either
        if sc.get("src_dl", 0) is None or d["danger_level"] < src_dl:
            del d["danger_level"]
    out["destinations"] = dests
    return out


# fixture -> (plan, fixture-wide extra checks)
FIXTURES = {
    "ipt4-scans.rfc3164": IPT4,
    "nft4-scans.kmsg": NFT4,
    "ip6-scans.rfc3339": IP6,
    "benign.rfc3164": BENIGN,
    "fwd-forward.kmsg": FWD,
}
for w in ("kmsg", "rfc3164", "rfc3339", "rfc5424", "dmesg", "dmesg-T", "dmesg-r",
          "journal-short", "journal-short-iso", "journal-short-precise", "journal-short-iso-precise",
          "ulogd"):
    FIXTURES["mixed." + w] = MIXED
FIXTURES["crafted.rfc3164"] = CRAFTED
FIXTURES["ufw-default.rfc3164"] = UFW
FIXTURES["firewalld-default.rfc3339"] = FIREWALLD
FIXTURES["crafted.kmsg"] = CRAFTED


# ---------------------------------------------------------------- blame
# capture.sh phase "blame": a whole-fixture plan (a function), see there.
# Backscatter from 198.18.3.2 (hping3: 30 x SYN-ACK, RST, RST-ACK from port
# 80, one per port from 40000, 41000, 42000) is reflected traffic at DL 1;
# nmap -sA / -sM (198.18.0.3 / .4, ports 1-100) stay ACK / Maimon scans;
# the HTTP exchange with 198.18.3.3:443 is measured from the records: its
# SYN-ACKs are reflected (DL 0), its ACK / PSH ACK / FIN ACK are "reply",
# the target's own packets on OUTPUT are "output"; the three SYNs to tcp/22
# logged "[UFW ALLOW]" are "accepted".
SPT = re.compile(r" SPT=(\d+) ")


def expect_blame(fixture, lines, recs, with_times):
    def pick(pred):
        return [r for r in recs if pred(r)]
    known = set()

    def take(rs, what):
        if not rs:
            die(fixture, "no records for %s" % what)
        known.update(id(r) for r in rs)
        return rs
    bs = take(pick(lambda r: r["src"] == "198.18.3.2"), "backscatter")
    want = sorted([(p, "ACK SYN") for p in rng(40000, 40029)] + [(p, "RST") for p in rng(41000, 41029)] +
                  [(p, "ACK RST") for p in rng(42000, 42029)])
    got = sorted((r["dpt"], r["flags"]) for r in bs)
    if got != want or any(SPT.search(r["line"]).group(1) != "80" or r["in"] != "eth1" for r in bs):
        die(fixture, "198.18.3.2: backscatter records differ from the plan")
    if any("[UFW ALLOW] " in r["line"] for r in recs if r["src"] != "198.18.0.5"):
        die(fixture, "a record other than 198.18.0.5's was logged [UFW ALLOW]")
    scans = []
    for src, flags, types, nm in (("198.18.0.3", "ACK", "ACK", "-sA"), ("198.18.0.4", "ACK FIN", "MAIMON", "-sM")):
        rs = take(pick(lambda r, s=src: r["src"] == s), src)
        if sorted((r["dst"], r["dpt"], r["flags"]) for r in rs) != [(V4T, p, flags) for p in rng(1, 100)]:
            die(fixture, "%s: records differ from nmap %s -p 1-100" % (src, nm))
        d = {"dst": V4T, "danger_level": pair_dl(100, 99, 1, 1), "tcp": portobj(rng(1, 100), flags)}
        scans.append({"src": src, "danger_level": pair_dl(100, 99, 1, 1), "packets": 100,
                      "scan_types": [types], "nmap": [nm], "destinations": [d]})
    srv = take(pick(lambda r: r["src"] == "198.18.3.3"), "the HTTPS server's answers")
    if any(SPT.search(r["line"]).group(1) != "443" or "LOG-ALL " not in r["line"] or r["dpt"] < 32768
           for r in srv):
        die(fixture, "198.18.3.3: not all answers are from 443 to an ephemeral port, logged LOG-ALL")
    synack = [r for r in srv if r["flags"] == "ACK SYN"]
    replies = [r for r in srv if r["flags"] != "ACK SYN"]
    if len(synack) != 3 or any("ACK" not in r["flags"].split() or "RST" in r["flags"] for r in replies):
        die(fixture, "198.18.3.3: expected 3 SYN-ACKs (3 connections) and ACK-flagged answers")
    out = take(pick(lambda r: r["in"] == "" and r["out"] == "eth1"), "OUTPUT")
    if any(r["src"] != "198.18.3.1" or r["dst"] != "198.18.3.3" or r["dpt"] != 443 for r in out):
        die(fixture, "OUTPUT records other than the target's to 198.18.3.3:443")
    acc = take(pick(lambda r: r["src"] == "198.18.0.5"), "[UFW ALLOW]")
    if [(r["dpt"], r["flags"]) for r in acc] != [(22, "SYN")] * 3 or \
            any("[UFW ALLOW] " not in r["line"] for r in acc):
        die(fixture, "198.18.0.5: expected 3 SYNs to tcp/22 logged [UFW ALLOW]")
    stray = [r for r in recs if id(r) not in known]
    if stray:
        die(fixture, "unplanned records, e.g. %r" % stray[0]["line"][:120])
    sources = [
        {"src": "198.18.3.2", "danger_level": 1, "reflected": True, "packets": 90,
         "reflection": {"packets": 90, "flags": {"SYN ACK": 30, "RST": 30, "RST ACK": 30},
                        "service_port": 80, "port_count": 90,
                        "ports": "40000-40029,41000-41029,42000-42029"},
         "scan_types": [], "destinations": []},
        {"src": "198.18.3.3", "danger_level": 0, "reflected": True, "packets": 3,
         "reflection": {"packets": 3, "flags": {"SYN ACK": 3}, "service_port": 443},
         "scan_types": [], "destinations": []},
    ] + scans
    if with_times:
        for so in sources:
            ts = [r["time"] for r in recs if r["src"] == so["src"]]
            so["first_seen"], so["last_seen"] = span(ts)
    return {"input": {"lines": len(lines), "malformed": 0,
                      "ignored_by": {"accepted": 3, "output": len(out), "reply": len(replies)}},
            "blame": {"reflected_sources": 2, "reflected_packets": 93, "spoofed_sources": 0},
            "sources": sources}


FIXTURES["blame.rfc3164"] = expect_blame


# ---------------------------------------------------------------- checks
def die(fixture, msg):
    raise SystemExit("expect.py: %s: %s (the capture does not match the plan)" % (fixture, msg))


def opt_kind(hexopt):
    """'mss' (only MSS), 'none', or 'kernel' (timestamps/SACK/window scale)"""
    if not hexopt:
        return "none"
    i, kinds = 0, []
    b = bytes.fromhex(hexopt)
    while i < len(b):
        k = b[i]
        if k in (0, 1):
            i += 1
            continue
        kinds.append(k)
        i += b[i + 1] if i + 1 < len(b) and b[i + 1] >= 2 else len(b)
    return "mss" if kinds == [2] else ("none" if not kinds else "kernel")


def ports_str(ports):
    ps = sorted(set(ports))
    out, i = [], 0
    while i < len(ps):
        j = i
        while j + 1 < len(ps) and ps[j + 1] == ps[j] + 1:
            j += 1
        out.append(str(ps[i]) if i == j else "%d-%d" % (ps[i], ps[j]))
        i = j + 1
    return ",".join(out)


def portobj(ports, flags=None):
    o = {"packets": len(ports), "ports": ports_str(ports), "port_min": min(ports),
         "port_max": max(ports), "port_count": len(set(ports))}
    if flags is not None:
        o["flags"] = {flags: len(ports)}
    return o


def pair_dl(absnum, rng_, nprotos, tot_dsts):
    """psad-behaviour.md 2.2, one pair, packet ladder and sweep ladder"""
    if absnum < 5 and tot_dsts < 10:
        return 0
    if not (rng_ >= 1 or nprotos >= 5 or tot_dsts >= 10):
        return 0
    dl = pkt_dl(absnum)
    if tot_dsts >= 10:
        dl = max(dl, 1)
    return max(dl, sweep_dl(tot_dsts))


def expect_scan(fixture, sc, recs, with_times):
    src = sc["src"]
    mine = [r for r in recs if r["src"] == src]
    if not mine:
        die(fixture, "no records from %s" % src)
    chain = sc.get("chain", "INPUT")
    iif, oif = sc.get("iface", ("eth0", ""))
    for r in mine:
        if (r["in"], r["out"]) != (iif, oif):
            die(fixture, "%s: IN=%s OUT=%s" % (src, r["in"], r["out"]))
    dsts_seen = sorted({r["dst"] for r in mine})
    if dsts_seen != sorted(sc["dsts"]):
        die(fixture, "%s: destinations %s, planned %s" % (src, dsts_seen, sc["dsts"]))
    tot_dsts = len(sc["dsts"])
    out = {"src": src}
    dests = []
    types, nmap = set(), set()
    total = 0
    protos = {}
    for dst in sc["dsts"]:
        pr = [r for r in mine if r["dst"] == dst]
        d = {"dst": dst, "chain": chain, "in": iif, "out": oif}
        if sc["proto"] in ("tcp", "udp"):
            key = sc["proto"].upper()
            main = [r for r in pr if r["proto"] == key]
            got_ports = sorted(r["dpt"] for r in main)
            if got_ports != sorted(sc["ports"]):
                die(fixture, "%s -> %s: %s ports %s, planned %s" % (
                    src, dst, key, ports_str(got_ports), ports_str(sc["ports"])))
            if key == "TCP":
                fl = {r["flags"] for r in main}
                if fl != {sc["flags"]}:
                    die(fixture, "%s: flags %s, planned %s" % (src, fl, sc["flags"]))
                ok = {opt_kind(r["tcpopt"]) for r in main if r["tcpopt"] is not None}
                if "opts" in sc and ok and ok != {sc["opts"]}:
                    die(fixture, "%s: TCP options %s, planned %s" % (src, ok, sc["opts"]))
            extra = sc.get("extra", {})
            others = [r for r in pr if r["proto"] != key]
            if sorted(r["proto"] for r in others) != sorted(p for p, n in extra.items() for _ in range(n)):
                die(fixture, "%s: unplanned records %s" % (src, [r["proto"] for r in others]))
            d[sc["proto"]] = portobj(sc["ports"], sc.get("flags"))
            absnum = len(sc["ports"]) + sum(extra.values())
            nprotos = 1 + len(extra)
            rng_ = max(sc["ports"]) - min(sc["ports"])
            protos[sc["proto"]] = protos.get(sc["proto"], 0) + len(sc["ports"])
            for p, n in extra.items():
                protos[IANA[int(p)]] = protos.get(IANA[int(p)], 0) + n
            d["ip_protocols"] = sorted({6 if key == "TCP" else 17} | {int(p) for p in extra})
        elif sc["proto"] == "ip":
            got = sorted(int(r["proto"]) for r in pr)
            if got != sorted(sc["protocols"]):
                die(fixture, "%s: protocols %s, planned %s" % (src, got, sc["protocols"]))
            absnum = len(got)
            nprotos = len(set(got))
            rng_ = absnum          # no ports: psad uses the packet count as the range
            for p in got:
                protos[IANA[p]] = protos.get(IANA[p], 0) + 1
            d["ip_protocols"] = sorted(set(got))
        elif sc["proto"] == "icmp":
            got = [r.get("icmp") for r in pr]
            if got != [sc["icmp"]] * sc["count"]:
                die(fixture, "%s: icmp %s, planned %d x %s" % (src, got, sc["count"], sc["icmp"]))
            absnum, nprotos, rng_ = len(got), 1, len(got)
            d["icmp"] = {"packets": len(got), "types": {sc["icmp"]: len(got)}}
            protos["icmp"] = protos.get("icmp", 0) + len(got)
        elif sc["proto"] == "pingsweep":
            # nmap -sn --send-ip: echo (8/0), SYN to 443, ACK to 80, timestamp (13/0);
            # how many of them nmap sends per host is measured here.
            ok = all((r["proto"] == "ICMP" and r["icmp"] in ("8/0", "13/0")) or
                     (r["proto"] == "TCP" and (r["dpt"], r["flags"]) in ((443, "SYN"), (80, "ACK")))
                     for r in pr)
            if not ok or not any(r.get("icmp") == "8/0" for r in pr):
                die(fixture, "%s -> %s: unexpected -sn probes" % (src, dst))
            icmp = [r for r in pr if r["proto"] == "ICMP"]
            tcp = [r for r in pr if r["proto"] == "TCP"]
            d["icmp"] = {"packets": len(icmp)}
            types.add("PING"); nmap.add("-sn")
            for r in tcp:
                if r["flags"] == "SYN":
                    types.add("SYN"); nmap.add("-sS")
                else:
                    types.add("ACK"); nmap.add("-sA")
            protos["icmp"] = protos.get("icmp", 0) + len(icmp)
            if tcp:
                protos["tcp"] = protos.get("tcp", 0) + len(tcp)
                d["tcp"] = {"packets": len(tcp)}
            absnum = len(pr)
            nprotos = 1 + (1 if tcp else 0)
            ports = [r["dpt"] for r in tcp]
            rng_ = (max(ports) - min(ports)) if ports else absnum
        total += absnum
        d["danger_level"] = pair_dl(absnum, rng_, nprotos, tot_dsts)
        dests.append(d)
    if len(mine) != total:
        die(fixture, "%s: %d records, planned %d" % (src, len(mine), total))
    pairs_max = max(d["danger_level"] for d in dests)
    src_dl = max(pairs_max, sc.get("sig", 0) if SIGNATURES else 0)
    if sc["proto"] != "pingsweep":
        if pairs_max >= 1:
            types |= set(sc["types"]); nmap |= set(sc["nmap"])
    if tot_dsts >= 10 and pairs_max >= 1:
        types.add("SWEEP")
    if SIGNATURES and pairs_max < 1 and sc.get("sig", 0) > pairs_max:
        # the DL comes only from a signature: the pair itself stays at 0 in psad,
        # how vigil reports the destination level is not pinned down here
        for d in dests:
            del d["danger_level"]
    out.update({"danger_level": src_dl, "packets": total,
                "scan_types": sorted(types), "nmap": sorted(nmap)})
    sigs = sc.get("sigs")
    if sigs == "icmp":      # measured: ICMP PING (8/0) and Timestamp Request (13/0)
        sigs = {384: sum(1 for r in mine if r.get("icmp") == "8/0"),
                453: sum(1 for r in mine if r.get("icmp") == "13/0")}
    if SIGNATURES and sigs:
        out["signatures"] = [{"sid": k, "count": v} for k, v in sorted(sigs.items()) if v]
    if protos:
        out["protocols"] = protos
    if with_times:
        ts = [r["time"] for r in mine]
        # earliest and latest time, not first and last line: the kernel can
        # number a record after one that carries a later timestamp
        out["first_seen"], out["last_seen"] = span(ts)
    out["destinations"] = dests
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    cap, exp = sys.argv[1:]
    for fixture, plan in sorted(FIXTURES.items()):
        path = os.path.join(cap, fixture)
        if not os.path.exists(path):
            print("expect.py: %s: no fixture, skipped" % fixture, file=sys.stderr)
            continue
        lines, recs = read_fixture(path)
        with_times = recs[0]["time"] is not None
        if callable(plan):      # a whole-fixture plan (blame)
            doc = plan(fixture, lines, recs, with_times)
            with open(os.path.join(exp, fixture + ".json"), "w") as fh:
                json.dump(doc, fh, indent=1)
                fh.write("\n")
            print("expect.py: %s: %d lines, %d sources" % (fixture, len(lines), len(doc["sources"])),
                  file=sys.stderr)
            continue
        planned = {sc["src"] for sc in plan}
        stray = sorted({r["src"] for r in recs} - planned - {"198.18.0.9"} if fixture.startswith("nft4")
                       else {r["src"] for r in recs} - planned)
        if stray:
            die(fixture, "records from unplanned sources %s" % stray)
        doc = {"input": {"lines": len(lines), "malformed": 0},
               "sources": [(expect_crafted if plan in (CRAFTED, UFW, FIREWALLD) else expect_scan)(
                   fixture, sc, recs, with_times)
                           for sc in plan]}
        with open(os.path.join(exp, fixture + ".json"), "w") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        print("expect.py: %s: %d lines, %d sources: %s" % (
            fixture, len(lines), len(plan),
            ", ".join("%s DL%s" % (s["src"], s.get("danger_level", "?")) for s in doc["sources"])),
            file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
