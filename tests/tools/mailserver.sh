#!/usr/bin/env bash
# mailserver.sh start|stop|smtp-stop|smtp-start DIR: real mail servers for
# the e-mail tests, private to DIR and on loopback only.
#
#   dovecot  IMAP on $MAIL_IMAP_PORT, LMTP on $MAIL_LMTP_PORT; every address
#            of its domains is a user whose password is "secret" (so each
#            test has mailboxes of its own), Maildir under DIR/mail, plain
#            login allowed (loopback, no TLS).
#   postfix  SMTP on $MAIL_SMTP_PORT, delivering every domain it knows
#            (tongdai.test, citizen.test) to dovecot's LMTP.
#
# Both run as instances of their own (their own configuration, queue, pid
# and log files under DIR), never as the system's services: a system
# postfix on port 25, if any, is neither used nor touched.
set -euo pipefail

cmd=${1:?usage: mailserver.sh start|stop|smtp-stop|smtp-start DIR}
dir=${2:?usage: mailserver.sh start|stop|smtp-stop|smtp-start DIR}
imap=${MAIL_IMAP_PORT:-21210}
lmtp=${MAIL_LMTP_PORT:-21211}
smtp=${MAIL_SMTP_PORT:-21225}

write_dovecot() {
	mkdir -p "$dir/dovecot/run" "$dir/mail"
	chmod 755 "$dir" "$dir/dovecot"
	chown nobody:nogroup "$dir/mail"
	cat > "$dir/dovecot/dovecot.conf" <<CONF
instance_name = tongdai-test-$imap
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
log_path = $dir/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%d/%n
first_valid_uid = 1
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol lmtp {
  postmaster_address = postmaster@tongdai.test
}
CONF
	mkdir -p "$dir/dovecot/state"
}

write_postfix() {
	local pf="$dir/postfix"
	mkdir -p "$pf/queue" "$pf/data"
	chown postfix "$pf/data"
	cat > "$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.tongdai.test
mydomain = tongdai.test
myorigin = tongdai.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains =
virtual_mailbox_domains = tongdai.test citizen.test
virtual_transport = lmtp:inet:127.0.0.1:$lmtp
# Mail only for its own domains, from anyone: other domains are refused (5xx).
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_reject_unlisted_recipient = no
local_header_rewrite_clients =
smtp_dns_support_level = disabled
lmtp_host_lookup = native
disable_dns_lookups = yes
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
message_size_limit = 26214400
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
biff = no
CONF
	cat > "$pf/master.cf" <<CONF
127.0.0.1:$smtp inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
}

smtp_up() {
	postfix -c "$dir/postfix" start </dev/null >/dev/null 2>&1 ||
	    { cat "$dir/postfix/maillog" >&2 2>/dev/null; exit 1; }
	wait_port "$smtp"
}

smtp_down() {
	postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true
	for _ in $(seq 50); do
		port_open "$smtp" || return 0
		sleep 0.1
	done
}

port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
	for _ in $(seq 100); do
		port_open "$1" && return 0
		sleep 0.1
	done
	echo "mailserver.sh: port $1 did not open" >&2
	exit 1
}

case $cmd in
start)
	write_dovecot
	write_postfix
	dovecot -c "$dir/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1
	wait_port "$imap"
	wait_port "$lmtp"
	smtp_up
	;;
stop)
	smtp_down
	if [ -f "$dir/dovecot/dovecot.conf" ]; then
		doveadm -c "$dir/dovecot/dovecot.conf" stop 2>/dev/null ||
		    kill "$(cat "$dir/dovecot/run/master.pid" 2>/dev/null)" 2>/dev/null || true
	fi
	;;
smtp-stop)
	smtp_down
	;;
smtp-start)
	smtp_up
	;;
*)
	echo "usage: mailserver.sh start|stop|smtp-stop|smtp-start DIR" >&2
	exit 2
	;;
esac
