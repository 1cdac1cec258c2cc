/** `shoal-peer --help`. */
export const HELP_TEXT = `Usage: shoal-peer <room-link>... [options]
       shoal-peer --keeper-token TOKEN --keep DIR <server-url>

Joins a Shoal room from a terminal: the link a browser opens (http(s)://host/#room, or
http(s)://host/#p/room for a private room). The signal server is the link's own host, or
?signal=ws://a,ws://b in the link, or --signal.

Options:
  --name NAME             display name (default shoal-peer)
  --json                  one JSON object per line on stdout; each stdin line is sent as a message
  --keep DIR              keeper: identity, rooms and events persist in DIR (SQLite); history is
                          served to every joiner; several room links may be given
  --max-events N          keeper retention: at most N events per room, oldest dropped first
  --max-file-mib N        largest file shared or fetched, in MiB (default 2048); a keeper stores
                          every file of its rooms up to this (in DIR/files.db)
  --file-quota-mib N      most MiB of files kept per room (default 1024); files past it are skipped
  --passphrase-file FILE  passphrase of the private room(s) (first line of FILE)
  --keeper-token TOKEN    keep a private room blind: store and serve its ciphertext without the
                          passphrase (the token is the room's "Keeper token" field); repeatable
  --signal URL,URL        signal servers (ws:// or wss://), overriding the link's
  -h, --help              this text

In a terminal: /peers, /name NAME, /file PATH (share a file), /invite [CODE], /quit (or Ctrl-C).
Bad options exit with status 2 and a message naming an error code.`;
