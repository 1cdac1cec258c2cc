// CPU time of this process's descendants (the browser's processes and the signal server), read from
// /proc, by kind: what a formation costs the machine, beside how long it takes. Linux only; elsewhere
// every figure is empty.
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * @typedef {Record<string, number>} CpuByKind CPU ms per kind of process: `renderer`, `browser`,
 *   `gpu-process`, `utility:<service>`, `other` (the signal server, the shell around it).
 */

/**
 * CPU ms so far of every live descendant of `root`, by kind. Children's reaped times are included
 * (utime + stime + cutime + cstime), so a renderer that exits between two snapshots does not make the
 * difference negative: its time moves to its parent.
 * @param {number} root
 * @returns {CpuByKind}
 */
export function cpuByKind(root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  /** @type {Map<number, { ms: number, kind: string }>} */
  const processes = new Map();
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return {};
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name, which may itself hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const parent = Number(fields[1]);
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      processes.set(Number(entry), { ms: (ticks * 1000) / TICKS_PER_SECOND, kind: kindOf(command) });
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while being read.
    }
  }
  /** @type {CpuByKind} */
  const byKind = {};
  const stack = [...(children.get(root) ?? [])];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    const process = processes.get(pid);
    if (process) byKind[process.kind] = (byKind[process.kind] ?? 0) + process.ms;
    stack.push(...(children.get(pid) ?? []));
  }
  return byKind;
}

/** @param {string} command NUL-separated argv */
function kindOf(command) {
  const type = /--type=([a-z-]+)/.exec(command)?.[1];
  if (type === 'utility') return `utility:${/--utility-sub-type=[\w]+\.mojom\.(\w+)/.exec(command)?.[1] ?? 'other'}`;
  if (type) return type;
  return /chrom/i.test(command.split('\0')[0] ?? '') ? 'browser' : 'other';
}

/**
 * What was spent between two snapshots, by kind, and in all.
 * @param {CpuByKind} before
 * @param {CpuByKind} after
 * @returns {CpuByKind & { total: number }}
 */
export function cpuSpent(before, after) {
  /** @type {CpuByKind} */
  const spent = {};
  for (const [kind, ms] of Object.entries(after)) {
    const delta = Math.round(ms - (before[kind] ?? 0));
    if (delta > 0) spent[kind] = delta;
  }
  return { ...spent, total: Object.values(spent).reduce((sum, ms) => sum + ms, 0) };
}
