import type { Coordinator } from './coordinator.js';
import { RedisCoordinator } from './redis.js';

/**
 * A token bucket: so many calls a minute on average, at most `burst` at once. The shape of Slack's own limits
 * (a rate "with occasional bursts"), so the bot can spend the burst Slack allows instead of a fixed window's
 * worst case.
 */
export interface Bucket {
  perMinute: number;
  burst: number;
}

/** Taken, with the calls left in the burst; or not, and how long until one is. */
export type Taken = { taken: true; remaining: number } | { taken: false; waitMs: number };

/** A token bucket per key: shared by the replicas through Redis, in this process while there is none. */
export interface SharedBucket {
  take(key: string): Promise<Taken>;
  /** Gives a call back (taken, then not used). */
  giveBack(key: string): Promise<void>;
  /** Nothing more for `seconds` (Slack answered Retry-After). */
  block(key: string, seconds: number): Promise<void>;
}

/**
 * The bucket as GCRA: one number per key, the theoretical arrival time (`tat`) of the next call. A call is allowed
 * while `tat - now <= (burst - 1) * interval`; it moves `tat` one interval on. The same arithmetic runs in Redis
 * (one script, Redis's own clock, so replicas agree) and in this process.
 */
interface Gcra {
  intervalMs: number;
  toleranceMs: number;
}

const gcraOf = (bucket: Bucket): Gcra => {
  const intervalMs = 60_000 / bucket.perMinute;
  return { intervalMs, toleranceMs: (Math.max(1, bucket.burst) - 1) * intervalMs };
};

/** `op` 1 takes, -1 gives back, 0 blocks until `ARGV[4]` ms from now; answers [taken, remaining, waitMs]. */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval, tolerance, op = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local answer = {1, 0, 0}
if op == 1 then
  if tat - now > tolerance then return {0, 0, math.ceil(tat - now - tolerance)} end
  tat = tat + interval
  answer = {1, math.floor((tolerance + interval - (tat - now)) / interval), 0}
elseif op == -1 then
  tat = math.max(now, tat - interval)
else
  tat = math.max(tat, now + tonumber(ARGV[4]) + tolerance)
end
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.max(1, math.ceil(tat - now + interval)))
return answer
`;

/** The bucket in this process: the insurance while Redis is away, and the whole limiter without Redis. */
function memoryBucket(gcra: Gcra): SharedBucket & { run(key: string, op: 1 | -1 | 0, blockMs?: number): Taken } {
  const tats = new Map<string, number>();
  const run = (key: string, op: 1 | -1 | 0, blockMs = 0): Taken => {
    const now = Date.now();
    let tat = Math.max(now, tats.get(key) ?? now);
    let answer: Taken = { taken: true, remaining: 0 };
    if (op === 1) {
      if (tat - now > gcra.toleranceMs) return { taken: false, waitMs: Math.ceil(tat - now - gcra.toleranceMs) };
      tat += gcra.intervalMs;
      answer = {
        taken: true,
        remaining: Math.floor((gcra.toleranceMs + gcra.intervalMs - (tat - now)) / gcra.intervalMs),
      };
    } else if (op === -1) {
      tat = Math.max(now, tat - gcra.intervalMs);
    } else {
      tat = Math.max(tat, now + blockMs + gcra.toleranceMs);
    }
    tats.set(key, tat);
    return answer;
  };
  return {
    run,
    take: (key) => Promise.resolve(run(key, 1)),
    giveBack: (key) => Promise.resolve(void run(key, -1)),
    block: (key, seconds) => Promise.resolve(void run(key, 0, seconds * 1_000)),
  };
}

type MemoryBucket = ReturnType<typeof memoryBucket>;
/** One in-process bucket per coordinator and name: bots sharing a coordinator in one process share the count. */
const memoryBuckets = new WeakMap<Coordinator, Map<string, MemoryBucket>>();

function memoryBucketOf(coord: Coordinator, name: string, gcra: Gcra): MemoryBucket {
  const byName = memoryBuckets.get(coord) ?? new Map<string, MemoryBucket>();
  memoryBuckets.set(coord, byName);
  const known = byName.get(name);
  if (known) return known;
  const made = memoryBucket(gcra);
  byName.set(name, made);
  return made;
}

/**
 * Over the coordinator's Redis connection when it has one, with the in-process bucket as insurance while Redis is
 * away (each replica then keeps its own count: the limit is kept per replica, never lost).
 */
export function sharedBucket(coord: Coordinator, name: string, bucket: Bucket): SharedBucket {
  const gcra = gcraOf(bucket);
  const memory = memoryBucketOf(coord, name, gcra);
  if (!(coord instanceof RedisCoordinator)) return memory;
  const client = coord.client;
  const run = async (key: string, op: 1 | -1 | 0, blockMs = 0): Promise<Taken> => {
    try {
      const [taken, remaining, waitMs] = (await client.eval(
        SCRIPT,
        1,
        `slack-limit:${name}:${key}`,
        gcra.intervalMs,
        gcra.toleranceMs,
        op,
        blockMs,
      )) as [number, number, number];
      return taken === 1 ? { taken: true, remaining } : { taken: false, waitMs: Math.max(1, waitMs) };
    } catch {
      return memory.run(key, op, blockMs);
    }
  };
  return {
    take: (key) => run(key, 1),
    giveBack: async (key) => void (await run(key, -1)),
    block: async (key, seconds) => void (await run(key, 0, seconds * 1_000)),
  };
}
