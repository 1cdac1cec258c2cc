import type { ViewMessage } from '@shoal/shared';

/**
 * Ids of messages whose author name was first seen (in display order) with another key: either that
 * person's key changed (new browser, cleared storage) or someone else took the name. Either way the
 * reader should look at the fingerprint before trusting the name.
 */
export function keyChangedIds(messages: readonly Pick<ViewMessage, 'id' | 'name' | 'publicKey'>[]): Set<string> {
  const firstKey = new Map<string, string>();
  const changed = new Set<string>();
  for (const message of messages) {
    const known = firstKey.get(message.name);
    if (known === undefined) firstKey.set(message.name, message.publicKey);
    else if (known !== message.publicKey) changed.add(message.id);
  }
  return changed;
}
