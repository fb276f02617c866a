# read-mail.py MBOX|MAILDIR (the notify tests): every message parsed back
# by Python's mailbox and email modules (an independent reader), and what
# it holds, decoded.
import email, email.policy, mailbox, os, sys
path = sys.argv[1]
box = mailbox.Maildir(path, factory=None, create=False) if os.path.isdir(path) else mailbox.mbox(path, factory=None, create=False)
keys = sorted(box.keys(), key=lambda k: box.get_bytes(k)) if os.path.isdir(path) else box.keys()
for k in keys:
    raw = box.get_bytes(k)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b'\n')
    print('--- message')
    print('longest header line:', max(len(l) for l in raw.split(b'\n\n')[0].split(b'\n')))
    for h in ('From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Language', 'Auto-Submitted'):
        print('%s: %s' % (h, m[h]))
    print('charset:', m.get_content_charset(), 'defects:', len(m.defects))
    sys.stdout.write(m.get_content())
