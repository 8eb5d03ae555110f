# SPDX-License-Identifier: GPL-2.0-or-later
# pf.os - vigil's passive OS fingerprints for TCP SYN packets (p0f v1 format,
# the format psad reads from /etc/psad/pf.os; psad's own file loads as is).
#
# Origin: written for vigil from documented stack defaults (kernel and OS
# documentation, nmap's "TCP/IP Fingerprinting Methods" chapter) and from the
# real captures in this repository (tests/data/capture/: nmap 7.93, hping3,
# Linux 6.x connect()). Not copied or derived from p0f's or psad's files.
# Licence: the same as vigil's.
#
# Format, one signature per line (see src/match/osfp.h for the details):
#
#   window:ttl:df:len:options:OS:version:subtype:details
#
#   window   exact, '*', '%n' (multiple of n), 'Snn' (nn x MSS), 'Tnn' (nn x MTU)
#   ttl      initial TTL; a SYN matches when ttl - MAX_HOPS < TTL <= ttl
#            (MAX_HOPS is 20 unless configured; the entries below assume 20)
#   df       0, 1 or '*' (IPv6 has no DF: any value matches)
#   len      IP length of an IPv4 SYN ('*', '%n' or exact); an IPv6 SYN is
#            compared with its LEN - 20 (nf_log counts the 40-byte header)
#   options  '.' for none, else in packet order: N (NOP), E (EOL, what
#            follows is padding), S (SACK permitted), T (timestamp), T0
#            (timestamp 0), Mnnn / M* / M%n (MSS), Wn / W* / W%n (scale)
#   OS       a leading '@' marks a generic guess (less precise)
#
# The guess reported is "OS:version". All matching lines are reported.
#

# ----------------- Linux -------------------
#
# connect() SYN: MSS, SACK permitted, timestamp, NOP, window scale (the scale
# follows the receive buffer, so it is wildcarded). Since the tcp_rmem default
# of 131072 (Linux 4.19/4.20) the SYN offers the largest multiple of the MSS
# below 65536: 64240 = 44 x 1460 (Ethernet IPv4, seen in this repository's
# captures), 64800 = 45 x 1440 (Ethernet IPv6, seen too), 45 x 1452 (PPPoE),
# 46..48 x MSS (tunnels, MSS 1340..1424), 7 x 8960 (jumbo frames) and
# 1 x 65495 / 65476 (loopback).

S44:64:1:60:M*,S,T,N,W*:	Linux:4.19 and newer:mss1460:Linux 4.19-6.x (MSS 1460)
S45:64:1:60:M*,S,T,N,W*:	Linux:4.19 and newer:mss1440:Linux 4.19-6.x (IPv6 or PPPoE)
S46:64:1:60:M*,S,T,N,W*:	Linux:4.19 and newer:tunnel:Linux 4.19-6.x (MSS 1400-1424)
S47:64:1:60:M*,S,T,N,W*:	Linux:4.19 and newer:tunnel:Linux 4.19-6.x (MSS 1380-1394)
S48:64:1:60:M*,S,T,N,W*:	Linux:4.19 and newer:tunnel:Linux 4.19-6.x (MSS 1340-1365)
S7:64:1:60:M*,S,T,N,W*:		Linux:4.19 and newer:jumbo:Linux 4.19-6.x (MTU 9000)
S1:64:1:60:M*,S,T,N,W*:		Linux:4.19 and newer:lo:Linux 4.19-6.x (loopback)

# Before that (tcp_rmem default 87380): 20 x MSS, 10 x MSS with a small buffer.
S20:64:1:60:M*,S,T,N,W*:	Linux:3.x-4.18::Linux 3.x-4.18
S10:64:1:60:M*,S,T,N,W*:	Linux:3.x-4.18:small:Linux 3.x-4.18 (small buffers)

# net.ipv4.tcp_timestamps = 0: NOP, NOP replace the timestamp.
S44:64:1:52:M*,N,N,S,N,W*:	Linux:4.19 and newer:nots:Linux 4.19-6.x without timestamps
S45:64:1:52:M*,N,N,S,N,W*:	Linux:4.19 and newer:nots:Linux 4.19-6.x without timestamps
S20:64:1:52:M*,N,N,S,N,W*:	Linux:3.x-4.18:nots:Linux 3.x-4.18 without timestamps

# ----------------- Android ------------------
#
# Android runs Linux: most devices look like the Linux lines above. Vendor
# receive-buffer settings make some offer 65535, which stock Linux does not.

65535:64:1:60:M*,S,T,N,W*:	Android:vendor rmem::Android (65535 window)

# ----------------- Windows ------------------
#
# Windows 10/11 and Server 2016-2025: MSS, NOP, scale 8, NOP, NOP, SACK
# permitted, no timestamp (disabled by default), TTL 128, window 64240 or
# 65535 (autotuning off). IPv6: the same rounding gives 45 x 1440.

64240:128:1:52:M*,N,W8,N,N,S:	Windows:10 or 11::Windows 10/11, Server 2016 and newer
65535:128:1:52:M*,N,W8,N,N,S:	Windows:10 or 11:65535:Windows 10/11, Server 2016 and newer
S45:128:1:52:M*,N,W8,N,N,S:	Windows:10 or 11:ipv6:Windows 10/11 (IPv6)

# Windows 7/8 and Server 2008-2012: window 8192, scale 2 or 8.
8192:128:1:52:M*,N,W*,N,N,S:	Windows:7 or 8::Windows 7/8, Server 2008-2012

# Any other Windows-like layout with TTL 128.
*:128:1:52:M*,N,W*,N,N,S:	@Windows:::Windows (generic)
*:128:1:64:M*,N,W*,N,N,T,N,N,S:	@Windows:::Windows with timestamps (generic)

# ----------------- Apple --------------------
#
# macOS and iOS: MSS, NOP, scale (5 or 6), NOP, NOP, timestamp, SACK
# permitted, EOL, EOL (24 option bytes); window 65535.

65535:64:1:64:M*,N,W*,N,N,T,S,E,E:	macOS:10.x and newer::macOS, iOS, iPadOS

# ----------------- BSD ----------------------
#
# FreeBSD 9 and newer: MSS, NOP, scale 6, SACK permitted, timestamp.
65535:64:1:60:M*,N,W*,S,T:	FreeBSD:9 and newer::FreeBSD 9-14

# OpenBSD 4.9 and newer: MSS, NOP, NOP, SACK permitted, NOP, scale, NOP,
# NOP, timestamp; window 16384.
16384:64:1:64:M*,N,N,S,N,W*,N,N,T:	OpenBSD:4.9 and newer::OpenBSD 4.9-7.x

#############
# Scanners  #
#############

# ---- nmap -sS (raw SYN, IPv4) ----
#
# nmap builds the SYN itself: window 1024, 2048, 3072 or 4096, MSS 1460 only,
# no DF, length 44, and a random TTL of 37..59 per packet. Two TTL bands
# cover it with MAX_HOPS 20: (39, 59] and (19, 39].

1024:59:0:44:M1460:	NMAP:syn scan:1:nmap -sS (window 1024)
2048:59:0:44:M1460:	NMAP:syn scan:2:nmap -sS (window 2048)
3072:59:0:44:M1460:	NMAP:syn scan:3:nmap -sS (window 3072)
4096:59:0:44:M1460:	NMAP:syn scan:4:nmap -sS (window 4096)
1024:39:0:44:M1460:	NMAP:syn scan:1:nmap -sS (window 1024, low TTL)
2048:39:0:44:M1460:	NMAP:syn scan:2:nmap -sS (window 2048, low TTL)
3072:39:0:44:M1460:	NMAP:syn scan:3:nmap -sS (window 3072, low TTL)
4096:39:0:44:M1460:	NMAP:syn scan:4:nmap -sS (window 4096, low TTL)

# ---- nmap -6 -sS: the same SYN with hop limit 255 (seen in this repository's
# IPv6 capture). An IPv4 SYN like this one, TTL 236..255, is nmap-like too.

1024:255:0:44:M1460:	NMAP:syn scan:1:nmap -sS (window 1024, IPv6)
2048:255:0:44:M1460:	NMAP:syn scan:2:nmap -sS (window 2048, IPv6)
3072:255:0:44:M1460:	NMAP:syn scan:3:nmap -sS (window 3072, IPv6)
4096:255:0:44:M1460:	NMAP:syn scan:4:nmap -sS (window 4096, IPv6)

# ---- nmap -O: the SYN probes of OS detection, as documented by nmap
# (SEQ probes 1-6, ECN, T5). Timestamps carry TSval 0xFFFFFFFF (T).

1:59:*:60:W10,N,M1460,T,S:		NMAP:OS detection:SEQ1:nmap -O probe 1
63:59:*:60:M1400,W0,S,T,E:		NMAP:OS detection:SEQ2:nmap -O probe 2
4:59:*:60:T,N,N,W5,N,M640:		NMAP:OS detection:SEQ3:nmap -O probe 3
4:59:*:56:S,T,W10,E:			NMAP:OS detection:SEQ4:nmap -O probe 4
16:59:*:60:M536,S,T,W10,E:		NMAP:OS detection:SEQ5:nmap -O probe 5
512:59:*:56:M265,S,T:			NMAP:OS detection:SEQ6:nmap -O probe 6
3:59:*:52:W10,N,M1460,S,N,N:		NMAP:OS detection:ECN:nmap -O ECN probe
31337:59:*:60:W10,N,M265,T,S:		NMAP:OS detection:T5:nmap -O T5 probe
1:39:*:60:W10,N,M1460,T,S:		NMAP:OS detection:SEQ1:nmap -O probe 1 (low TTL)
63:39:*:60:M1400,W0,S,T,E:		NMAP:OS detection:SEQ2:nmap -O probe 2 (low TTL)
4:39:*:60:T,N,N,W5,N,M640:		NMAP:OS detection:SEQ3:nmap -O probe 3 (low TTL)
4:39:*:56:S,T,W10,E:			NMAP:OS detection:SEQ4:nmap -O probe 4 (low TTL)
16:39:*:60:M536,S,T,W10,E:		NMAP:OS detection:SEQ5:nmap -O probe 5 (low TTL)
512:39:*:56:M265,S,T:			NMAP:OS detection:SEQ6:nmap -O probe 6 (low TTL)
3:39:*:52:W10,N,M1460,S,N,N:		NMAP:OS detection:ECN:nmap -O ECN probe (low TTL)
31337:39:*:60:W10,N,M265,T,S:		NMAP:OS detection:T5:nmap -O T5 probe (low TTL)

# ---- Option-less SYNs (length 40) ----
#
# These match only when the log proves the SYN has no options (LEN=40, IPv6
# LEN=60); psad uses posf for such SYNs, and so does vigil for the guesses
# that need several packets (etc/posf has the same tools).
# masscan: window 1024, TTL 255. zmap (default probe of versions without
# TCP options): window 65535, TTL 255. hping3 -S: window 512, TTL 64 (seen
# in this repository's captures, with and without ECN flags).

1024:255:0:40:.:	masscan:default::masscan SYN scan
65535:255:0:40:.:	zmap:default::zmap TCP SYN probe without options
512:64:0:40:.:		hping3:default::hping3 -S with default window and TTL
