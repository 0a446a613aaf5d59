/**
 * The waiting room's Lua scripts. Redis runs a script as one command, so whatever number of replicas call
 * them at once, each step (a join, an admission round, an order placed or ended) is atomic: the cap and
 * the order of the line cannot be broken by a race. Key layout: docs/design.md, "Waiting room".
 *
 * An admission record (field of `admissions:<t>`) is cjson {u: userId, a: admittedAt, e: token expiry,
 * o: orderId once an order was placed with it}. Times are epoch milliseconds read from Redis's own clock
 * (TIME), never a caller's: replicas' clocks may disagree, and a caller ahead of the others would free
 * slots early and admit more than activeBuyers. Redis 7 replicates a script's effects, so TIME is allowed.
 */

/** Redis's clock, in epoch milliseconds. */
const CLOCK = `
local function clockMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** Frees admission `id`'s slot and forgets it (and its user's and order's pointers to it). */
const RELEASE = `
local function release(held, admissions, holders, orders, id)
  redis.call('ZREM', held, id)
  local raw = redis.call('HGET', admissions, id)
  if not raw then return nil end
  local record = cjson.decode(raw)
  redis.call('HDEL', admissions, id)
  if redis.call('HGET', holders, record.u) == id then redis.call('HDEL', holders, record.u) end
  if record.o then redis.call('HDEL', orders, record.o) end
  return record.u
end
`;

/** How long a listing that never had anyone join is remembered without a waiting room: its version against late messages. */
export const LISTING_WITHOUT_ROOM_SECONDS = 24 * 60 * 60;

/**
 * KEYS: listing, pending. ARGV: version, activeBuyers ('' = no waiting room), onSaleAt (ms, 0 = now), ticketId,
 * soldOut ('1': no unit left to sell, '0'), channel.
 * Applies a listing's rules unless a newer version of them is already stored. A listing without a waiting
 * room that no one ever joined expires (its version is needed only against a late, older message); one
 * with a join counter is kept, so that a waiting room given back never reuses a sequence or admission id.
 * A waiting room that sells out, or gets units back, tells every socket of the listing at once (`all`).
 */
export const SET_LISTING = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) <= stored then return 0 end
local wasSoldOut = redis.call('HGET', KEYS[1], 'soldOut') or '0'
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'onSaleAt', ARGV[3], 'soldOut', ARGV[5])
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'activeBuyers')
  if redis.call('HEXISTS', KEYS[1], 'joined') == 0 then redis.call('EXPIRE', KEYS[1], ${LISTING_WITHOUT_ROOM_SECONDS}) end
else
  redis.call('HSET', KEYS[1], 'activeBuyers', ARGV[2])
  redis.call('PERSIST', KEYS[1])
  redis.call('SADD', KEYS[2], ARGV[4])
  if wasSoldOut ~= ARGV[5] then redis.call('PUBLISH', ARGV[6], cjson.encode({t = ARGV[4], all = true})) end
end
return 1
`;

/**
 * KEYS: listing, line, holders, admissions, pending. ARGV: userId, ticketId, channel.
 * Puts the user in line unless they hold an admission; a user already in line keeps the place (the score is
 * the join's sequence number). A user put in line is published, so that a socket they already have open
 * learns their sequence number. Returns -1 for a listing without a waiting room, else whether a round may
 * admit anyone now: 1 once on sale and not sold out, 0 before the sale or while sold out.
 */
export const JOIN = `${CLOCK}
local rules = redis.call('HMGET', KEYS[1], 'activeBuyers', 'onSaleAt', 'soldOut')
if not rules[1] then return -1 end
local now = clockMs()
local admitting = (now >= tonumber(rules[2] or '0') and rules[3] ~= '1') and 1 or 0
local id = redis.call('HGET', KEYS[3], ARGV[1])
if id then
  local raw = redis.call('HGET', KEYS[4], id)
  if raw then
    local record = cjson.decode(raw)
    if record.o or record.e > now then return admitting end
  end
end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return admitting end
local seq = redis.call('HINCRBY', KEYS[1], 'joined', 1)
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('SADD', KEYS[5], ARGV[2])
redis.call('PUBLISH', ARGV[3], cjson.encode({t = ARGV[2], u = {ARGV[1]}}))
return admitting
`;

/**
 * Reads the listing's rules: {activeBuyers, onSaleAt, soldOut (0/1), admissions since its opening round, ms since
 * that round} (nil when it has no waiting room). The opening round admits a whole cap at once; the admissions
 * after it are the pace at which the line moves (see etaSeconds).
 */
const RULES = `
local function rulesOf(listing, now)
  local fields = redis.call('HMGET', listing, 'activeBuyers', 'onSaleAt', 'soldOut', 'admitted', 'openedAt', 'opening')
  if not fields[1] then return nil end
  local admissions, elapsed = 0, 0
  if fields[5] then
    admissions = tonumber(fields[4] or '0') - tonumber(fields[6] or '0')
    elapsed = now - tonumber(fields[5])
  end
  return {tonumber(fields[1]), tonumber(fields[2] or '0'), tonumber(fields[3] or '0'), admissions, elapsed}
end
`;

/**
 * KEYS: listing, line, holders, admissions. ARGV: userId.
 * Returns {0} for a listing without a waiting room, else
 * {1, rank in line (-1: not in line), admissionId ('' if none), token expiry, ordered (0/1), join sequence
 *  number (0: not in line), then the listing's rules (RULES)}.
 */
export const STATUS = `${CLOCK}${RULES}
local now = clockMs()
local rules = rulesOf(KEYS[1], now)
if not rules then return {0} end
local id = redis.call('HGET', KEYS[3], ARGV[1])
if id then
  local raw = redis.call('HGET', KEYS[4], id)
  if raw then
    local record = cjson.decode(raw)
    if record.o or record.e > now then return {1, -1, id, record.e, record.o and 1 or 0, 0, unpack(rules)} end
  end
end
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
local seq = redis.call('ZSCORE', KEYS[2], ARGV[1])
return {1, rank or -1, '', 0, 0, tonumber(seq or '0'), unpack(rules)}
`;

/**
 * KEYS: listing, line.
 * Returns {0} for a listing without a waiting room, else {1, the sequence number at the head of the line (the
 * join counter + 1 when the line is empty), then the listing's rules (RULES)}. Only the head
 * is popped from the line and each join takes the next number, so the line holds every number from its head
 * to the join counter: a waiter's rank is their number minus the head's, whatever the line's length.
 */
export const LINE_HEAD = `${CLOCK}${RULES}
local rules = rulesOf(KEYS[1], clockMs())
if not rules then return {0} end
local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local first = head[2] and tonumber(head[2]) or tonumber(redis.call('HGET', KEYS[1], 'joined') or '0') + 1
return {1, first, unpack(rules)}
`;

/**
 * KEYS: listing, line, held, admissions, holders, pending, orders.
 * ARGV: ticketId, admissionMs, admissionGraceMs, channel.
 * One admission round: frees the slots whose deadline passed, then (once on sale, unless sold out) gives each free slot to
 * the first in line, in join order, never more than activeBuyers held at once. The first round that admits
 * anyone is the listing's opening: its time and count are kept, to measure the pace of the admissions after it.
 * Publishes the users whose status changed on `channel`, so that every replica pushes it to their sockets.
 * Returns how many changed.
 */
export const ADMIT = `${CLOCK}${RELEASE}
local now = clockMs()
local changed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  local user = release(KEYS[3], KEYS[4], KEYS[5], KEYS[7], id)
  if user then table.insert(changed, user) end
end
local rules = redis.call('HMGET', KEYS[1], 'activeBuyers', 'onSaleAt', 'soldOut')
local cap = tonumber(rules[1])
-- Sold out: nothing to admit anyone to; the line keeps its order until units come back.
if cap and now >= tonumber(rules[2] or '0') and rules[3] ~= '1' then
  local free = cap - redis.call('ZCARD', KEYS[3])
  local opened = 0
  while free > 0 do
    local first = redis.call('ZPOPMIN', KEYS[2])
    if #first == 0 then break end
    local user = first[1]
    local id = ARGV[1] .. '.' .. redis.call('HINCRBY', KEYS[1], 'admitted', 1)
    local expiresAt = now + tonumber(ARGV[2])
    redis.call('ZADD', KEYS[3], expiresAt + tonumber(ARGV[3]), id)
    redis.call('HSET', KEYS[4], id, cjson.encode({u = user, a = now, e = expiresAt}))
    redis.call('HSET', KEYS[5], user, id)
    table.insert(changed, user)
    opened = opened + 1
    free = free - 1
  end
  if opened > 0 and redis.call('HSETNX', KEYS[1], 'openedAt', now) == 1 then redis.call('HSET', KEYS[1], 'opening', opened) end
end
if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('SREM', KEYS[6], ARGV[1])
end
if #changed > 0 then redis.call('PUBLISH', ARGV[4], cjson.encode({t = ARGV[1], u = changed})) end
return #changed
`;

/**
 * KEYS: listing, held, admissions, holders, orders. ARGV: admissionId, orderId, hold-until (ms: the order's
 * expiry plus grace), channel, ticketId.
 * An order was placed with the admission: its slot is held until the order ends (or, as a backstop, until
 * hold-until). Returns 0 when the admission had already ended (its slot was given away, or its order's end
 * was handled first), else 1.
 */
export const ORDER_PLACED = `
local raw = redis.call('HGET', KEYS[3], ARGV[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.o then return 1 end
record.o = ARGV[2]
redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(record))
redis.call('HSET', KEYS[5], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], cjson.encode({t = ARGV[5], u = {record.u}}))
return 1
`;

/**
 * KEYS: listing, held, admissions, holders, orders. ARGV: admissionId, orderId, channel, ticketId.
 * The order placed with the admission was paid or cancelled: its slot is free, whether or not its
 * order:created was handled yet (an admission used by another order is left alone).
 * Returns 1 if it was held, 0 if already free.
 */
export const ORDER_ENDED = `${RELEASE}
local raw = redis.call('HGET', KEYS[3], ARGV[1])
if not raw then return 0 end
local order = cjson.decode(raw).o
if order and order ~= ARGV[2] then return 0 end
local user = release(KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1])
redis.call('PUBLISH', ARGV[3], cjson.encode({t = ARGV[4], u = {user}}))
return 1
`;
