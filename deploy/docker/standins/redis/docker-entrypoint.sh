#!/bin/sh
# Entry point of the redis stand-in, behaving as the official image's does.
set -e

# `docker run redis:7 --port 6380` or `… my.conf`: the arguments are for redis-server.
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac

if [ "$1" = redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    # A volume mounted over /data may belong to someone else; the server writes there as redis.
    find . \! -user redis -exec chown redis '{}' +
    exec gosu redis "$0" "$@"
  fi
  # The official image compiles protected mode off. Debian's build keeps it on, which refuses every
  # client from another container. The flag goes right after the program (and its config file, if
  # one is named), so a later --protected-mode in the arguments still wins.
  shift
  case "${1:-}" in
    -v|--version|-h|--help|--test-memory|--check-system) set -- redis-server "$@" ;;
    *.conf) conf="$1"; shift; set -- redis-server "$conf" --protected-mode no "$@" ;;
    *) set -- redis-server --protected-mode no "$@" ;;
  esac
  # Files the server creates are private to it, as in the official image.
  [ "$(umask)" != 0022 ] || umask 0077
fi

exec "$@"
