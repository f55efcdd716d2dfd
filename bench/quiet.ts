// Imported first by bench/run.ts: silence per-call logs before the logger module loads.
process.env.LOG_LEVEL ??= "silent";
process.env.RATE_LIMIT_DISABLED = "true";
