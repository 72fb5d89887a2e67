import type { Clock } from "../clock";
import type { Config } from "../config";
import { inProcessLimiter } from "./in-process";
import type { Limiter } from "./limiter";
import { createUpstashRedis, upstashLimiter } from "./upstash";

/**
 * Upstash Redis when UPSTASH_REDIS_REST_* are set, so limits hold across every process and edge location;
 * else in-process, which is exact for one Node process (the embedded default) and per isolate on Workers.
 */
export function createLimiter(config: Config, clock: Clock): Limiter {
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN)
    return upstashLimiter(createUpstashRedis(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN));
  return inProcessLimiter(clock);
}
