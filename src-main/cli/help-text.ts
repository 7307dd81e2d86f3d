/** What `/help` prints: every command of the interactive CLI. */
export const HELP_TEXT = [
  'Commands:',
  '  /who              who is in the room',
  '  /send PATH...     offer files and folders to everyone, as one item (quote paths with spaces; ~ and file:// work)',
  '  /send --to NAME PATH...  offer them to that person only (repeat --to for more people)',
  '  /accept ID [DIR]  accept an offer made to you (into DIR instead of the download folder)',
  '  /decline ID       decline an offer made to you',
  '  /cancel ID        stop a transfer, yours or one coming to you',
  '  /retry ID         resume an interrupted transfer, or try a failed one again',
  '  /files            list the transfers, how far they are, and who has yours',
  '  /clear            forget the finished transfers in /files',
  '  /remove NAME [WHY] (host) remove someone; the invite keeps them out until /allow',
  '  /allow NAME       (host) let someone removed join again',
  '  /revoke           (host) a new invite: the one sent so far stops working, everyone here stays',
  '  /help             this list',
  "  /quit             leave the room (the host's /quit closes it for everyone)",
  'Anything else is sent to the room as a message.',
].join('\n');
