import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { KEY_PREFIX } from './bus-envelope';

// Lua scripts of the Redis room bus. Each runs atomically in Redis, which is what makes a claim a claim:
// check and write happen with no other command in between. Keys are built inside the scripts from
// KEY_PREFIX (standalone Redis or a primary with replicas; Redis Cluster would need hash tags).

/** Runs a script by its SHA, loading it on the first NOSCRIPT (after a Redis restart, for one). */
export type Script = (redis: Redis, keys: string[], args: (string | number | Buffer)[]) => Promise<unknown>;

function script(lua: string): Script {
  const body = lua.replaceAll('$P', KEY_PREFIX);
  const sha = createHash('sha1').update(body).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(body, keys.length, ...keys, ...args);
      throw err;
    }
  };
}

/**
 * KEYS: room hash, this process's members set. ARGV: peerId, processId, maxPeers, listLimit, entry.
 * Returns {-1} for a duplicate id, {-2} for a full room, else {0, sample of other members}.
 */
export const JOIN = script(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {-1} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {-2} end
local peers = {}
if tonumber(ARGV[4]) > 0 and redis.call('EXISTS', KEYS[1]) == 1 then peers = redis.call('HRANDFIELD', KEYS[1], tonumber(ARGV[4])) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[5])
return {0, peers}
`);

/** KEYS: room hash, this process's members set. ARGV: peerId, processId, entry. */
export const LEAVE = script(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('SREM', KEYS[2], ARGV[3])
return 1
`);

/**
 * ARGV: (room, addressee, record) triples, the relays of one event-loop turn. Looks up each addressee's
 * process and publishes one message per process with its records back to back: one round trip per
 * turn, and no process sees signals that are not for its members. Records for unknown addressees are
 * dropped. Returns the number of processes published to.
 */
export const RELAY = script(`
local byOwner = {}
local owners = {}
for i = 1, #ARGV, 3 do
  local owner = redis.call('HGET', '$Proom:' .. ARGV[i], ARGV[i + 1])
  if owner then
    local records = byOwner[owner]
    if not records then
      records = {}
      byOwner[owner] = records
      table.insert(owners, owner)
    end
    table.insert(records, ARGV[i + 2])
  end
end
for _, owner in ipairs(owners) do redis.call('PUBLISH', '$Pproc:' .. owner, table.concat(byOwner[owner])) end
return #owners
`);

/**
 * Presence refresh and reaper. KEYS: the processes zset. ARGV: processId, ttlMs, maxReap.
 * Scores are expiry times on Redis's clock (TIME), so process clocks need not agree. Members of
 * processes past their expiry are removed from their rooms and announced with peer-left, at most
 * maxReap per call (the script blocks Redis while it runs); the rest go on the next refresh.
 * Returns {added, reaped}: added = 1 when this process was not registered (first refresh, Redis
 * restarted, or we were reaped after a long pause), which tells it to register its members again.
 */
export const TICK = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local budget = tonumber(ARGV[3])
local reaped = 0
for _, proc in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 16)) do
  local set = '$Pproc:' .. proc .. ':members'
  local popped = redis.call('SPOP', set, budget)
  for _, entry in ipairs(popped) do
    local nl = string.find(entry, '\\n', 1, true)
    if nl then
      local room = string.sub(entry, 1, nl - 1)
      local peer = string.sub(entry, nl + 1)
      if redis.call('HGET', '$Proom:' .. room, peer) == proc then
        redis.call('HDEL', '$Proom:' .. room, peer)
        redis.call('PUBLISH', '$Proom:' .. room, 'reaper\\n{"type":"peer-left","peerId":"' .. peer .. '"}')
      end
    end
  end
  reaped = reaped + #popped
  budget = budget - #popped
  if redis.call('SCARD', set) == 0 then redis.call('ZREM', KEYS[1], proc) end
  if budget <= 0 then break end
end
return {added, reaped}
`);

/**
 * Registers this process's members again after Redis lost them (restart) or missed our joins and
 * leaves (outage). KEYS: this process's members set. ARGV: processId, then one entry per local member.
 * Entries in Redis that are no longer local are removed and announced; local ones are claimed unless
 * another process holds the id. Returns the entries another process holds.
 */
export const SYNC = script(`
local proc = ARGV[1]
local wanted = {}
for i = 2, #ARGV do wanted[ARGV[i]] = true end
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not wanted[entry] then
    local nl = string.find(entry, '\\n', 1, true)
    local room = string.sub(entry, 1, nl - 1)
    local peer = string.sub(entry, nl + 1)
    if redis.call('HGET', '$Proom:' .. room, peer) == proc then
      redis.call('HDEL', '$Proom:' .. room, peer)
      redis.call('PUBLISH', '$Proom:' .. room, proc .. '\\n{"type":"peer-left","peerId":"' .. peer .. '"}')
    end
    redis.call('SREM', KEYS[1], entry)
  end
end
local conflicts = {}
for i = 2, #ARGV do
  local entry = ARGV[i]
  local nl = string.find(entry, '\\n', 1, true)
  local hash = '$Proom:' .. string.sub(entry, 1, nl - 1)
  local peer = string.sub(entry, nl + 1)
  local owner = redis.call('HGET', hash, peer)
  if owner == false or owner == proc then
    redis.call('HSET', hash, peer, proc)
    redis.call('SADD', KEYS[1], entry)
  else
    table.insert(conflicts, entry)
  end
end
return conflicts
`);
