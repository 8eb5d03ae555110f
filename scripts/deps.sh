#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh [TARGET] - install the Debian packages a make target needs, only
# those that are missing. Needs root when something is missing.
#
#   build    compiler, make, pkg-config, the libraries vigil links
#            (zlib, liblzma, libbz2, libzstd, libsystemd, libmnl,
#            libnetfilter_log)
#   demo     build + jq                                    (`make demo`)
#   check    build + the test tools: cmocka, clang and its libFuzzer runtime,
#            the compressors, iproute2, iptables, nftables, nmap, hping3, jq,
#            python3, psad for the second opinion, systemd-journal-remote
#            (writes the journal source's private journal), and for the
#            daemon's end-to-end tests a private rsyslogd, logrotate, journald
#            (systemd) and setpriv (util-linux)     (`make check`, default);
#            and if it can be installed, chromium (headless: tests/html.sh
#            renders the HTML report in it, and skips that without it)
#   bench    build + gzip, GNU time, psad for the comparison, iproute2,
#            iptables and taskset for the NFLOG rate (`make bench`)
#   fuzz     build + clang and its libFuzzer runtime     (`make fuzz-long`)
#   capture  check + what scripts/capture.sh drives (a private rsyslogd,
#            journald and ulogd2 write the fixtures' wrapper formats)
#   --list TARGET   print the packages of TARGET, install nothing
#   psad-off        disable and stop the psad service (see below)
#
# psad is installed only to compare with (psad -A on a file); on what may be
# a firewall its daemon must not run nor start at boot. policy-rc.d keeps the
# package from starting it during the install; afterwards its systemd unit
# and its init script links are disabled (they stay so on upgrades) and a
# running psad of that install is stopped. A psad that was installed before
# deps.sh ran is the host's own and left alone; `deps.sh psad-off` disables
# it on request.
set -eu

BUILD="gcc libc6-dev make pkg-config zlib1g-dev liblzma-dev libbz2-dev libzstd-dev
       libsystemd-dev libmnl-dev libnetfilter-log-dev"
TEST_TOOLS="libcmocka-dev clang libclang-rt-14-dev gzip xz-utils bzip2 zstd
            iproute2 iptables nftables nmap hping3 jq python3 psad procps time
            systemd-journal-remote rsyslog logrotate systemd util-linux groff-base"

# Wanted but not needed: a failed install is said, not fatal.
optional() {
	case $1 in
	check) echo "chromium" ;;
	esac
}

packages() {
	case $1 in
	build) echo "$BUILD" ;;
	demo) echo "$BUILD jq" ;;
	check) echo "$BUILD $TEST_TOOLS" ;;
	bench) echo "$BUILD gzip python3 procps time psad iproute2 iptables util-linux" ;;
	fuzz) echo "$BUILD clang libclang-rt-14-dev" ;;
	capture) echo "$BUILD $TEST_TOOLS rsyslog systemd ulogd2 util-linux ufw" ;;
	*) return 1 ;;
	esac
}

# Disable psad's boot start under every init system, then stop it.
psad_off() {
	if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
		systemctl disable --now psad.service >/dev/null 2>&1 || true
	else
		# no running systemd: the unit's wants link (deb-systemd-helper
		# records the state, so upgrades keep it off) and the SysV links
		if command -v deb-systemd-helper >/dev/null 2>&1; then
			deb-systemd-helper disable psad.service >/dev/null 2>&1 || true
		elif command -v systemctl >/dev/null 2>&1; then
			systemctl disable psad.service >/dev/null 2>&1 || true
		fi
		if [ -e /etc/init.d/psad ] && command -v update-rc.d >/dev/null 2>&1; then
			update-rc.d psad disable >/dev/null 2>&1 || true
		fi
		if [ -s /run/psad/psad.pid ] && [ -x /etc/init.d/psad ]; then
			/etc/init.d/psad stop >/dev/null 2>&1 || true
		fi
	fi
	left=""
	for l in /etc/rc[2345].d/S*psad /etc/systemd/system/*.wants/psad.service; do
		if [ -e "$l" ] || [ -L "$l" ]; then left="$left $l"; fi
	done
	if [ -n "$left" ]; then
		echo "deps.sh: psad still starts at boot through:$left" >&2
		return 1
	fi
	echo "deps.sh: psad (for comparison only) is disabled at boot and not running"
}

target=${1:-check}
case $target in
--list)
	packages "${2:-check}" || { echo "deps.sh: unknown target '${2:-}'" >&2; exit 2; }
	optional "${2:-check}"
	exit 0
	;;
psad-off)
	[ "$(id -u)" -eq 0 ] || { echo "deps.sh: psad-off needs root" >&2; exit 1; }
	psad_off
	exit $?
	;;
esac
PKGS=$(packages "$target") || {
	echo "usage: deps.sh [build|demo|check|bench|fuzz|capture] | --list TARGET | psad-off" >&2
	exit 2
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
opt_missing=""
for p in $(optional "$target"); do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		opt_missing="$opt_missing $p"
	fi
done
[ -z "$missing" ] && [ -z "$opt_missing" ] && exit 0
if [ -z "$missing" ] && [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: not installed:$opt_missing (optional; run as root to install)" >&2
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing$opt_missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
if [ -n "$opt_missing" ]; then
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $opt_missing ||
		echo "deps.sh: could not install$opt_missing (optional: the tests that use it skip)" >&2
fi
[ -z "$missing" ] && exit 0
# psad's postinst wants to start a daemon; policy-rc.d keeps it from doing so.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
case " $missing " in
*" psad "*) psad_off ;;
esac
