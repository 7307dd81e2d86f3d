/** What `/help` prints: every command of the interactive CLI. */
export const HELP_TEXT = [
  'Commands:',
  '  /who              who is in the room',
  '  /send PATH...     offer files to everyone in the room (quote paths with spaces; ~ and file:// work)',
  '  /send --to NAME PATH...  offer files to one person (repeat --to for more)',
  '  /accept ID [DIR]  accept a file offered to you (into DIR instead of the download folder)',
  '  /decline ID       decline a file offered to you',
  '  /cancel ID        stop a transfer, yours or one coming to you',
  '  /files            list the transfers and how far they are',
  '  /remove NAME [WHY] (host) remove someone; the invite keeps them out until /allow',
  '  /allow NAME       (host) let someone removed join again',
  '  /revoke           (host) a new invite: the one sent so far stops working, everyone here stays',
  '  /help             this list',
  "  /quit             leave the room (the host's /quit closes it for everyone)",
  'Anything else is sent to the room as a message.',
].join('\n');
