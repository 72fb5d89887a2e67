export type LogLevel = "debug" | "info" | "warn" | "error";
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const rank: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured JSON logs, one object per line, to the console (stdout on Node, `wrangler tail` on Workers). */
export function createLog(minimum: LogLevel | "silent" = "info"): Log {
  return (level, message, fields) => {
    if (rank[level] < rank[minimum]) return;
    console.log(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
}
