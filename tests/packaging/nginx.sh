# nginx, a daemon: its configuration in /etc/nginx, its page in /usr/share/nginx/html, its
# log, state and pid under /var/log/nginx, /var/lib/nginx and /run. The packager's own site
# (sites-enabled/default, which Debian's postinst would link) listens on 127.0.0.1. With the
# rules trace suggests, unedited, nginx starts as a daemon (redirect returns at once), serves
# one request, reloads its configuration (`nginx -s reload` finds the pid file through the
# rules), serves again and stops; nothing lands in the host's /etc, /var or /run.
source "$(dirname "$0")/lib.bash"
command -v curl >/dev/null || skip "curl is not installed"
[[ $(id -u) == 0 ]] || skip "nginx's master must start as root here (it switches to www-data)"
id www-data >/dev/null 2>&1 || skip "no www-data user"
absent /etc/nginx /usr/share/nginx /var/log/nginx /var/lib/nginx /run/nginx.pid /usr/sbin/nginx
bundle nginx nginx-common
port=$((20000 + RANDOM % 20000))
(echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && skip "port $port is in use"
cat >"$BUNDLE/etc/nginx/sites-enabled/default" <<CONF
server {
    listen 127.0.0.1:$port;
    root /usr/share/nginx/html;
    index index.html;
}
CONF
echo "served from the bundle" >"$BUNDLE/usr/share/nginx/html/index.html"
nginx=$BUNDLE/usr/sbin/nginx

# The packager's scenario, traced and then run under the rules: start the daemon (the command
# returns at once), serve, reload (`nginx -s reload` finds the pid file through the rules),
# serve, stop, and wait for the master to exit.
cat >scenario.sh <<SH
#!/bin/bash
set -e
get() { curl -fsS --max-time 5 "http://127.0.0.1:$port/"; }
# A round that fails half-way (no pid file: nginx -s quit cannot find the master, which runs
# on without one) stops the bundle's nginx by its process group (the master's session: the
# workers, which run as www-data, are in it), so that the trace (--wait-all) does not wait.
stop() {
  for exe in /proc/[0-9]*/exe; do
    [[ \$(readlink "\$exe" 2>/dev/null) == "$nginx" ]] || continue
    p=\${exe#/proc/}
    read -r -a stat <"/proc/\${p%/exe}/stat" || continue
    kill -KILL -- "-\${stat[4]}" 2>/dev/null || kill -KILL "\${p%/exe}" 2>/dev/null || true
  done
}
trap stop EXIT
"$nginx"
for ((i = 0; i < 50; i++)); do get >/dev/null 2>&1 && break; sleep 0.1; done
echo "1: \$(get)"
"$nginx" -s reload
sleep 0.5
echo "2: \$(get)"
pid=\$(cat /run/nginx.pid)
"$nginx" -s quit
for ((i = 0; i < 100; i++)); do kill -0 "\$pid" 2>/dev/null || exit 0; sleep 0.05; done
echo "nginx did not stop" >&2
exit 1
SH
chmod +x scenario.sh
serves() {
  [[ $STATUS == 0 && $OUT == $'1: served from the bundle\n2: served from the bundle' ]]
}
TRACE_ARGS=--wait-all learn 6 serves -- "$WORK/scenario.sh"
for p in /etc/nginx /var/log/nginx /var/lib/nginx /run/nginx.pid; do
  [[ ! -e $p ]] || fail "$p was written on the host"
done
echo PASS
