#!/usr/bin/env bash
# Builds the base image of the air-gapped container build (README "Kubernetes (ops)", "Air-gapped image"):
# Debian bookworm (minbase) + openjdk-17-jre-headless + ca-certificates, user 185 (jboss, home /home/jboss)
# like the UBI OpenJDK image, and /usr/local/bin/run-java, which honours JAVA_MAX_MEM_RATIO (k8s/ sets it).
# Needs root, debootstrap and podman (apt-get install debootstrap podman) and a Debian mirror; no registry.
#
#   k8s/image/build-base-image.sh && ./mvnw -B -ntp package -DskipTests -Pimage-airgap
#
# Output: the docker-archive tar BASE_TAR that -Pimage-airgap gives Jib (tar://; Jib reads a docker://
# base only through a `docker` CLI, never Podman), and the same image in Podman as IMAGE.
# Settings: BASE_TAR ($HOME/.cache/adm-connect/base-bookworm.tar), IMAGE (localhost/adm-connect-base:bookworm),
# MIRROR (http://deb.debian.org/debian), SECURITY_MIRROR (http://deb.debian.org/debian-security).
set -euo pipefail

BASE_TAR=${BASE_TAR:-$HOME/.cache/adm-connect/base-bookworm.tar}
IMAGE=${IMAGE:-localhost/adm-connect-base:bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, chroot)" >&2; exit 1; }

ROOT=$(mktemp -d /var/tmp/adm-connect-base.XXXXXX)
cleanup() {
  if mountpoint -q "$ROOT/proc" && ! umount "$ROOT/proc"; then echo "left $ROOT: proc still mounted" >&2; return; fi
  rm -rf "$ROOT"
}
trap cleanup EXIT

debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"

# Current security fixes of the JRE and libraries, then the JRE (no recommends: no X11, no fonts).
cat > "$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
EOF
mount -t proc proc "$ROOT/proc"   # the ca-certificates-java hook runs java
chroot "$ROOT" sh -ec '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get upgrade -y -q
  apt-get install -y -q --no-install-recommends openjdk-17-jre-headless ca-certificates
  apt-get clean
  groupadd -g 185 jboss
  useradd -u 185 -g 185 -d /home/jboss -m -s /usr/sbin/nologin -c "JBoss user" jboss'
umount "$ROOT/proc"
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/log/* "$ROOT"/tmp/* \
       "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*

# The part of the UBI images' run-java.sh that k8s/ relies on: heap as a share of the memory limit.
cat > "$ROOT/usr/local/bin/run-java" <<'EOF'
#!/bin/sh
# java with -XX:MaxRAMPercentage=${JAVA_MAX_MEM_RATIO:-80}, exit on OutOfMemoryError, then $JAVA_OPTS_APPEND.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage="${JAVA_MAX_MEM_RATIO:-80}" -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS_APPEND:-} "$@"
EOF
chmod 755 "$ROOT/usr/local/bin/run-java"

JAVA_HOME=$(chroot "$ROOT" readlink -f /usr/bin/java); JAVA_HOME=${JAVA_HOME%/bin/java}
tar -C "$ROOT" --numeric-owner -c . | podman import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=$JAVA_HOME" \
  --change "ENV LANG=C.UTF-8" \
  --change "USER 185" \
  --change "WORKDIR /home/jboss" \
  --change 'CMD ["/bin/sh"]' \
  --message "Debian bookworm minbase + openjdk-17-jre-headless (k8s/image/build-base-image.sh)" \
  - "$IMAGE"
mkdir -p "$(dirname "$BASE_TAR")"; rm -f "$BASE_TAR"
podman save --format docker-archive -o "$BASE_TAR" "$IMAGE"
podman image ls "$IMAGE"; ls -l "$BASE_TAR"
