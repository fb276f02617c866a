#!/bin/sh
# demo.sh — `make demo`: the nightly job on samples/ for the night of
# 2026-11-20, into demo-out/, and a summary a person can read.
# The customers' e-mails go through samples/sendmail, a stand-in that
# delivers into demo-out/mail.mbox; it refuses one customer's mailbox
# (full), as a mail system now and then does: that customer's messages are
# not recorded as sent, and the next night sends them again.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
out=$top/demo-out
day=2026-11-20
rm -rf "$out"
cd "$top" || exit 1
mkdir -p demo-out || exit 1
# (A path relative to the checkout: notify runs the command with sh -c.)
SENDMAIL=samples/sendmail
SENDMAIL_MBOX=demo-out/mail.mbox
SENDMAIL_FAIL=giedre.butkiene@example.lt
export SENDMAIL SENDMAIL_MBOX SENDMAIL_FAIL
sh samples/nightly.sh -a "$day" -d samples -o demo-out
st=$?
dir=$out/$day
rows() { [ -f "$1" ] && echo $(($(wc -l <"$1") - 1)) || echo 0; }
# count COLUMN FILE VALUE: rows whose COLUMN is VALUE (fields may be quoted).
count() { [ -f "$2" ] && awk -v col="$1" -v want="$3" '
	function split_csv(line, f,    n, i, c, q, v) {
		n = 0; v = ""; q = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (q) {
				if (c == "\"" && substr(line, i + 1, 1) == "\"") { v = v c; i++ }
				else if (c == "\"") q = 0
				else v = v c
			} else if (c == "\"") q = 1
			else if (c == ",") { f[++n] = v; v = "" }
			else v = v c
		}
		f[++n] = v
		return n
	}
	{ n = split_csv($0, f) }
	NR == 1 { for (i = 1; i <= n; i++) if (f[i] == col) c = i; next }
	c && f[c] == want { k++ } END { print k + 0 }' "$2" || echo 0; }
# messages REPORT: what notify's report (one row per message: message_id,
# channel, to, language, rows, status; no field is quoted) says was sent.
messages() { [ -f "$1" ] && awk -F, 'NR > 1 {
		n++; if (!seen[$3]++) who++
		if ($2 == "email") mail++; else sms++
		if ($6 != "delivered") failed++
	}
	END {
		printf "%d messages to %d customers: %d e-mail, %d SMS", n, who, mail, sms
		if (failed) printf " (%d not delivered)", failed
		print ""
	}' "$1" || echo "none"; }
case $st in
0) meaning="nothing needs a person" ;;
1) meaning="some rows were rejected: see the rejected-*.csv files and errors.log" ;;
3) meaning="something needs a person: overdue reminders, breached inquiries, unclassified claims, contracts at their last stage, wrong referrals, calls without cover" ;;
*) meaning="a step failed: see errors.log" ;;
esac
echo "Nightly job of $day (exit status $st: $meaning)"
echo "  reminders:        $(rows "$dir/reminders.csv") ($(count status "$dir/reminders.csv" overdue) overdue, $(count status "$dir/reminders.csv" recall) recalls) + $(rows "$dir/reminders-excel.csv") from the Excel branch"
echo "    messages:       $(messages "$dir/reminders-messages.csv")"
echo "  inquiries:        $(rows "$dir/worklist.csv") on the worklist ($(count status "$dir/worklist.csv" breached) breached)"
echo "  warranty offers:  $(rows "$dir/offers.csv") coverages end within 30 days"
echo "  claims:           $(rows "$dir/claims.csv") checked ($(count verdict "$dir/claims.csv" covered) covered, $(count verdict "$dir/claims.csv" unclassified) need a person)"
echo "  claims as inquiries: $(count status "$dir/claims-sla.csv" breached) breached, $(count status "$dir/claims-sla.csv" at_risk) at risk"
echo "  renewals:         $(rows "$dir/renewals.csv") contracts end soon ($(count stage "$dir/renewals.csv" 7) within a week, $(count stage "$dir/renewals.csv" expired) expired)"
echo "    messages:       $(messages "$dir/renewals-messages.csv")"
echo "  surveys:          $(rows "$dir/invitations.csv") customers invited"
echo "    messages:       $(messages "$dir/invitations-messages.csv")"
echo "  dispatch audit:   $(rows "$dir/audit.csv") calls yesterday ($(count verdict "$dir/audit.csv" ok) ok)"
echo "  roadside cover:   $(rows "$dir/uncovered.csv") calls yesterday without cover"
if [ -f "$dir/on-duty.csv" ]; then
	echo "  on duty tomorrow at noon:"
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ printf "    %-10s %s (%s)\n", $h["region"], $h["name"], $h["phone"] }' "$dir/on-duty.csv"
fi
echo "Files: demo-out/$day/"
[ -f "$SENDMAIL_MBOX" ] && echo "Mail: $SENDMAIL_MBOX ($(grep -c '^From ' "$SENDMAIL_MBOX") e-mails, as the sendmail stand-in delivered them)"
[ -f "$dir/errors.log" ] && echo "Log: demo-out/$day/errors.log"
[ "$st" = 2 ] && exit 1
exit 0
