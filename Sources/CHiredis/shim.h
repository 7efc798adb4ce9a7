#ifndef SEEDKEEPER_CHIREDIS_SHIM_H
#define SEEDKEEPER_CHIREDIS_SHIM_H
// The library to link is chosen in Package.swift (shared in debug, static in release), so this
// module map names no `link`. Only the synchronous API is used: hiredis 0.14 and 1.x both have it.
#include <hiredis/hiredis.h>
#endif
