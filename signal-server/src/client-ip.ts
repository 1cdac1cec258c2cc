/** Up to 45 characters of hex digits, dots and colons: IPv4, IPv6 and IPv4-mapped IPv6 text forms. */
const IP_TEXT = /^[0-9a-fA-F.:]{2,45}$/;

/**
 * The address a connection's per-IP limit applies to. Each of the `trustedProxies` reverse proxies in
 * front of the server appends the address it got the request from to X-Forwarded-For, so the client is
 * that many entries from the right of [...X-Forwarded-For, socket address]. Entries further left were
 * written by the client itself and are ignored; so is a header that is missing, too short or not an
 * address at that place, and then the socket address counts (the proxy's, shared by everyone).
 */
export function clientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  const socket = socketAddress ?? 'unknown';
  if (trustedProxies === 0 || forwardedFor === undefined) return socket;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((entry) => entry.trim());
  const chain = [...entries, socket];
  const client = chain[chain.length - 1 - trustedProxies];
  return client !== undefined && IP_TEXT.test(client) ? client : socket;
}
