-- wrk script of bench/load.py: each request a path drawn from the file named by WRK_PATHS (one a
-- line), with the Cookie header of WRK_COOKIE; every answer other than 200 counted; at the end one
-- line "WRKJSON {...}" with the figures (wrk's own --latency table has no 95th percentile).
local paths = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then table.insert(paths, line) end
  end
  local cookie = os.getenv("WRK_COOKIE") or ""
  if #cookie > 0 then wrk.headers["Cookie"] = cookie end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  bad = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local not200 = 0
  for _, t in ipairs(threads) do not200 = not200 + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "not_200": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, not200, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
