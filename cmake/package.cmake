# `cpack -G DEB` in the build folder: thrift-call_VERSION_ARCH.deb, installed
# with `apt-get install ./thrift-call_*.deb` (README: "Shell completion, help
# and install").
set(CPACK_PACKAGE_NAME thrift-call)
set(CPACK_PACKAGE_VENDOR "thrift-call")
set(CPACK_PACKAGE_CONTACT "thrift-call maintainers <thrift-call@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "call, inspect and decode Apache Thrift services from the shell")
set(CPACK_PACKAGE_DESCRIPTION "thrift-call reads .thrift IDL files at run time, turns JSON into Thrift calls over TCP, TLS, HTTP(S) or Unix sockets, and prints replies as JSON; it also decodes wire dumps and serves mocks.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Libraries the binary links are found by dpkg-shlibdeps. Those it opens
# with dlopen (core/platform/dynamic_library.h: the `package` of each DynamicLibrary)
# are invisible to it and listed here; a verb that opens a new one adds it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(THRIFT_CALL_DLOPEN_PACKAGES libcurl4 libmicrohttpd12 libedit2 libpcap0.8 libssl3)
list(JOIN THRIFT_CALL_DLOPEN_PACKAGES ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
include(CPack)
