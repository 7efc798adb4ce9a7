#!/bin/sh
# Entry point of the haproxy stand-in, behaving as the official image's does.
set -e

# `docker run haproxy:2.6 -f other.cfg`: the arguments are for haproxy.
case "$1" in
  -*) set -- haproxy "$@" ;;
esac

# Master-worker mode (-W) reloads on SIGUSR2; -db keeps it in the foreground, logging to stdout.
if [ "$1" = haproxy ]; then
  shift
  set -- haproxy -W -db "$@"
fi

exec "$@"
