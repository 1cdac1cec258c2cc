// A Shoal echo bot: answers every live text message in the room.   node echo-bot.mjs http://host/#room
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const shoalPeer = new URL('../bin/shoal-peer.mjs', import.meta.url).pathname; // or: npx shoal-peer
const peer = spawn(process.execPath, [shoalPeer, process.argv[2], '--json', '--name', 'echo-bot'], { stdio: ['pipe', 'pipe', 'inherit'] });
createInterface({ input: peer.stdout }).on('line', (line) => {
  const event = JSON.parse(line);
  if (event.type === 'message' && event.kind === 'text' && !event.own && !event.history) peer.stdin.write(`echo: ${event.text}\n`);
});
process.on('SIGTERM', () => peer.kill('SIGTERM'));
