#!/usr/bin/env bash
# Installs (when missing) and starts what the libvirt/KVM and Open vSwitch drivers need on this
# machine: libvirtd and virtlogd, QEMU (KVM when /dev/kvm exists, emulation otherwise), qemu-img,
# genisoimage and Open vSwitch (userspace datapath). Idempotent; safe to run any number of times.
# No init system is assumed: the daemons are started directly.
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }

packages=()
command -v virsh >/dev/null 2>&1 || packages+=(libvirt-clients)
command -v libvirtd >/dev/null 2>&1 || packages+=(libvirt-daemon-system)
command -v qemu-system-x86_64 >/dev/null 2>&1 || packages+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || packages+=(qemu-utils)
command -v genisoimage >/dev/null 2>&1 || packages+=(genisoimage)
command -v ovs-vsctl >/dev/null 2>&1 || packages+=(openvswitch-switch)
if [ ${#packages[@]} -gt 0 ]; then
  log "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# QEMU runs as libvirt-qemu (group kvm); without udev, /dev/kvm may be root-only.
if [ -e /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ] && getent group kvm >/dev/null; then
  log "giving group kvm access to /dev/kvm"
  chgrp kvm /dev/kvm
  chmod 660 /dev/kvm
fi

if ! pgrep -x virtlogd >/dev/null; then
  log "starting virtlogd"
  virtlogd -d
fi
if ! pgrep -x libvirtd >/dev/null; then
  log "starting libvirtd"
  libvirtd -d
fi
if ! ovs-vsctl --timeout=2 show >/dev/null 2>&1; then
  log "starting Open vSwitch"
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/dev/null
fi

for _ in $(seq 1 100); do
  virsh -c qemu:///system version >/dev/null 2>&1 && ovs-vsctl --timeout=2 show >/dev/null 2>&1 && break
  sleep 0.2
done
virsh -c qemu:///system version >/dev/null
ovs-vsctl --timeout=2 show >/dev/null
log "libvirt $(virsh -c qemu:///system version --daemon 2>/dev/null | sed -n 's/.*daemon: //p' | head -1), Open vSwitch $(ovs-vsctl --version | head -1 | awk '{print $NF}'), $([ -e /dev/kvm ] && echo KVM || echo 'QEMU emulation')"
