#!/usr/bin/env bash
# The .deb as a user gets it: CPack builds it, `dpkg -x` unpacks it into a
# scratch root, and the installed binary, man page and completion scripts
# are checked there. Depends must name the libraries opened with dlopen,
# which dpkg-shlibdeps cannot see (cmake/package.cmake).
# usage: deb_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$1 source=$2 version=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "deb_test: $*" >&2; exit 1; }

(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1) ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$scratch"/out/thrift-call_*.deb)
echo "built $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# Every package a DynamicLibrary in the source names (its second argument).
dlopened=$(grep -rhoE 'DynamicLibrary library\{"[^"]+", "[^"]+"' "$source/core" "$source/cli" | sed -E 's/.*, "([^"]+)"$/\1/' | sort -u)
[ -n "$dlopened" ] || fail "found no DynamicLibrary in the source"
for package in $dlopened libc6; do
  grep -q "\b$package" <<<"$depends" || fail "Depends lacks $package"
done

root=$scratch/root
dpkg -x "$deb" "$root"
for file in usr/bin/thrift-call usr/share/man/man1/thrift-call.1.gz \
            usr/share/bash-completion/completions/thrift-call \
            usr/share/zsh/vendor-completions/_thrift-call \
            usr/share/fish/vendor_completions.d/thrift-call.fish; do
  [ -s "$root/$file" ] || fail "$file is not in the package"
done

installed=$root/usr/bin/thrift-call
[ "$("$installed" --version)" = "thrift-call $version" ] || fail "--version: $("$installed" --version)"
[ "$("$installed" list --idl "$source/examples/person.thrift")" = $'PersonService.getPerson\nPersonService.savePerson' ] ||
  fail "list gave something else"
zcat "$root/usr/share/man/man1/thrift-call.1.gz" | grep -q '^\.TH THRIFT-CALL' || fail "the man page has no .TH header"
zcat "$root/usr/share/man/man1/thrift-call.1.gz" | grep -q '^\.SS completion' || fail "the man page misses the completion verb"
zcat "$root/usr/share/man/man1/thrift-call.1.gz" | grep -qF 'source <(thrift-call completion bash)' ||
  fail "the man page misses the verbs' examples"

# The installed bash script, as bash-completion loads it, with the installed binary.
reply=$(PATH="$root/usr/bin:$PATH" bash --norc -c "
  source '$root/usr/share/bash-completion/completions/thrift-call'
  COMP_WORDS=(thrift-call li); COMP_CWORD=1; _thrift_call; echo \"\${COMPREPLY[*]}\"")
[ "$reply" = list ] || fail "installed bash completion gave '$reply'"

# Its dependencies resolve on this system (apt's own solver, nothing installed).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install --simulate -qq "$deb" >"$scratch/apt.log" 2>&1 || { cat "$scratch/apt.log" >&2; fail "apt-get cannot install it"; }
fi
echo "ok"
