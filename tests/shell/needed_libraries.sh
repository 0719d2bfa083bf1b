#!/usr/bin/env bash
# One call is one short process, and loading shared libraries used to be most
# of it (README, "Performance"): the binary may need only libc at start
# (libm alone cost 0.3 ms). libstdc++, libgcc and zlib are linked in; OpenSSL, libcurl,
# libmicrohttpd, libedit and libpcap are opened when first used
# (core/platform/dynamic_library.h).
# usage: needed_libraries.sh THRIFT_CALL
set -euo pipefail
# The dynamic loader (ld-linux*) is named too, for the linked-in libgcc
# unwinder's _dl_find_object; it is loaded into every process anyway.
needed=$(readelf -d "$1" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p' | grep -v '^ld-linux' | sort | tr '\n' ' ')
if [ "$needed" != "libc.so.6 " ]; then
  echo "needed_libraries: $1 needs at start: $needed(expected only libc.so.6)" >&2
  exit 1
fi
echo "needed at start: $needed"
