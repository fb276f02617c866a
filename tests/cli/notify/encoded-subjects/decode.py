# decode.py MBOX: the raw From:, To: and Subject: fields of each message,
# the longest line of each, and the text an RFC 2047 reader makes of it.
import email.header, mailbox, re, sys
for msg in mailbox.mbox(sys.argv[1], factory=None, create=False):
    head = msg.as_bytes().split(b'\n\n')[0].decode('ascii')
    for f in re.findall(r'^(?:From|To|Subject):.*(?:\n[ \t].*)*', head, re.M):
        print(f)
        print('  longest line %d; read as: %s' % (max(len(l) for l in f.split('\n')),
            str(email.header.make_header(email.header.decode_header(f.split(':', 1)[1].replace('\n', ''))))))
