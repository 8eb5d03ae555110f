#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# docs.sh VIGIL - what the repository ships for people: docs/cli.md's contract
# part stays byte for byte the shared reference (../shared/reference/cli.md,
# when that file exists), and the set-up keeps its promises: `make demo`
# installs no test tool, psad installed for comparison never starts at boot.
set -u
vigil=${1:?usage: docs.sh VIGIL}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$(dirname "$0")/lib.sh"

# --- docs/cli.md: the contract, then vigil's marked extensions
cli=$root/docs/cli.md
marker='<!-- vigil extensions:'
if [ -f "$cli" ]; then ok; else bad "docs/cli.md is missing"; fi
if grep -q "^$marker" "$cli"; then ok; else bad "docs/cli.md has no '$marker' line"; fi
# the contract part: everything before the marker, less the blank line before it
awk -v m="$marker" 'index($0, m) == 1 { exit } { print }' "$cli" | sed '$ { /^$/d }' >"$tmp/contract"
shared=${VIGIL_SHARED_CLI:-$root/../shared/reference/cli.md}
if [ -f "$shared" ]; then
	if cmp -s "$tmp/contract" "$shared"; then
		ok
	else
		bad "docs/cli.md's contract part differs from $shared:"
		diff "$shared" "$tmp/contract" | head -20 >&2
	fi
else
	echo "docs.sh: $shared absent, contract comparison skipped" >&2
fi
# every command of the contract answers --help with its own usage
for c in $(sed -n 's/^vigil \([a-z]*\) .*/\1/p' "$tmp/contract" | sort -u); do
	if "$vigil" "$c" --help 2>/dev/null | grep -q "^usage: vigil $c"; then ok; else bad "vigil $c --help"; fi
done

# --- scripts/deps.sh: demo installs no test tool; check installs them
demo=$(sh "$root/scripts/deps.sh" --list demo)
check=$(sh "$root/scripts/deps.sh" --list check)
for p in psad nmap hping3 clang rsyslog libcmocka-dev iptables nftables ulogd2; do
	case " $demo " in *" $p "*) bad "make demo would install $p" ;; *) ok ;; esac
	case " $(echo $check $(sh "$root/scripts/deps.sh" --list capture)) " in
	*" $p "*) ok ;; *) bad "no target installs $p" ;;
	esac
done
for p in gcc make pkg-config zlib1g-dev liblzma-dev libbz2-dev libzstd-dev jq; do
	case " $(echo $demo) " in *" $p "*) ok ;; *) bad "make demo would not install $p" ;; esac
done
if grep -q '^demo: deps-demo ' "$root/Makefile" && grep -q '^check: deps-check' "$root/Makefile"; then
	ok
else
	bad "Makefile: demo must depend on deps-demo, check on deps-check"
fi

# --- psad-off on a copy of this host's init links, in a private mount
# namespace (root and psad installed only; the host's links are not touched,
# a private /run hides any running psad's pid file so nothing is stopped)
if [ "$(id -u)" -eq 0 ] && [ -e /etc/init.d/psad ] && command -v unshare >/dev/null 2>&1; then
	cat >"$tmp/ns.sh" <<'NS'
set -e
T=$1
mount -t tmpfs none /run || exit 77
for d in /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d /etc/rcS.d \
	/etc/init.d /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
	/var/lib/systemd/deb-systemd-helper-masked; do
	[ -d "$d" ] || continue
	mkdir -p "$T$d"
	cp -a "$d/." "$T$d/"
	mount --bind "$T$d" "$d"
done
# enabled, as a plain package install leaves it
update-rc.d psad defaults >/dev/null 2>&1 || true
update-rc.d psad enable >/dev/null 2>&1 || true
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -sf /lib/systemd/system/psad.service /etc/systemd/system/multi-user.target.wants/psad.service
sh "$2" psad-off
for l in /etc/rc2.d/S*psad /etc/rc3.d/S*psad /etc/rc5.d/S*psad \
	/etc/systemd/system/multi-user.target.wants/psad.service; do
	if [ -e "$l" ] || [ -L "$l" ]; then echo "still enabled: $l"; exit 1; fi
done
NS
	unshare -m sh "$tmp/ns.sh" "$tmp/root" "$root/scripts/deps.sh" >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 77 ]; then
		echo "docs.sh: no private /run, psad-off test skipped" >&2
	elif [ $st -eq 0 ] && grep -q "disabled at boot" "$tmp/out"; then
		ok
	else
		bad "deps.sh psad-off left psad enabled: $(cat "$tmp/out")"
	fi
else
	echo "docs.sh: not root or psad absent, psad-off test skipped" >&2
fi

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
