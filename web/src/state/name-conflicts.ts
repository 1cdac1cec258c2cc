import { nameSkeleton } from '@shoal/shared';

/** One identity (a key fingerprint) seen using one name, as sent (not yet normalized). */
export interface NameClaim {
  name: string;
  identity: string;
}

/**
 * The distinct (identity, name) pairs of the loaded messages: thousands of messages come from a few
 * people, so skeletons are computed per pair, not per message. Messages without a fingerprint count
 * under their public key.
 */
export function messageNameClaims(messages: Iterable<{ name: string; publicKey: string; fingerprint?: string }>): NameClaim[] {
  const seen = new Map<string, NameClaim>();
  for (const { name, publicKey, fingerprint } of messages) {
    const identity = fingerprint ?? `key:${publicKey}`;
    const pair = `${identity}\u0000${name}`;
    if (!seen.has(pair)) seen.set(pair, { name, identity });
  }
  return [...seen.values()];
}

/**
 * Skeletons (nameSkeleton) of names used by two or more identities. Every identity using such a name
 * is flagged, whatever the order they appeared in: the first to use a name is not its owner (an
 * impostor whose message sorts first would otherwise look genuine and the real person suspicious).
 * Names with nothing visible claim nothing: unnamed people show as "Anonymous" and pass for no one.
 */
export function contestedSkeletons(claims: Iterable<NameClaim>): Set<string> {
  const owners = new Map<string, string>();
  const contested = new Set<string>();
  for (const { name, identity } of claims) {
    const skeleton = nameSkeleton(name);
    if (skeleton === '') continue;
    const owner = owners.get(skeleton);
    if (owner === undefined) owners.set(skeleton, identity);
    else if (owner !== identity) contested.add(skeleton);
  }
  return contested;
}

/** Whether `name` looks like a name another identity uses too (see contestedSkeletons). */
export function isContestedName(contested: ReadonlySet<string>, name: string): boolean {
  return contested.size > 0 && contested.has(nameSkeleton(name));
}
