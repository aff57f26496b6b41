"""The central mailbox gateway (ที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง, Appendix 7): mail in and out.

In: the built-in SMTP receiver (:mod:`.smtpd`) or polling the agency's mailbox over IMAP (:mod:`.poller`);
every message is kept byte for byte (:func:`.actions.receive`), examined (:mod:`.examine`) and put in the
agency's intake queue or in quarantine.  Out: issued letters as a dispatch channel beside SBX and the reply
with the receipt number (:mod:`.actions.outbound`, sent by :mod:`.outbox`).  See docs/mail.md.
"""
