#!/bin/sh
# deps.sh - install the Debian packages vigil's build, tests, demo and bench need,
# only those that are missing. Used by `make deps` (and so by `make demo`,
# `make check`) and by .ci/run. Needs root when something is missing.
set -eu

# build: compiler, libraries; tests: cmocka, clang (libFuzzer), sanitizer runtimes;
# captures and integration tests: iproute2, iptables, nftables, nmap, hping3, jq;
# second opinion and bench: psad.
PKGS="build-essential pkg-config clang libclang-rt-14-dev zlib1g-dev libcmocka-dev
      iproute2 iptables nftables nmap hping3 jq python3 psad procps time"

# `deps.sh capture`: also what scripts/capture.sh drives (a private rsyslogd,
# journald and ulogd2 write the fixtures' wrapper formats).
if [ "${1:-}" = capture ]; then
	PKGS="$PKGS rsyslog systemd ulogd2 util-linux ufw"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# psad's postinst wants to start a daemon; policy-rc.d keeps it from doing so.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
