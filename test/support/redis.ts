import { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import { REDIS_URL, uniqueName } from './env.js';

/** A Redis coordinator whose keys no other test file sees. */
export function testCoordinator(prefix = `${uniqueName('ib')}:`): RedisCoordinator {
  return new RedisCoordinator({ url: REDIS_URL, prefix, log: silentLogger });
}
