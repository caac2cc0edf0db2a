-- wrk script for bench/outage/run: requests the paths in $PATHS (space-separated) in turn and
-- counts the answers by status (2xx, non-2xx, 5xx, 503) and by X-Page-Cache (hit, stale, miss).
-- Prints one line "counts requests=… 2xx=… …" that the script reads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("PATHS") or "/", "%S+") do
    table.insert(paths, path)
  end
  turn = 0
  ok, non2xx, s5xx, s503 = 0, 0, 0, 0
  hit, stale, miss = 0, 0, 0
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else non2xx = non2xx + 1 end
  if status >= 500 then s5xx = s5xx + 1 end
  if status == 503 then s503 = s503 + 1 end
  local cache = headers["X-Page-Cache"]
  if cache == "hit" then hit = hit + 1
  elseif cache == "stale" then stale = stale + 1
  elseif cache == "miss" then miss = miss + 1 end
end

function done(summary, latency, requests)
  local total = {ok = 0, non2xx = 0, s5xx = 0, s503 = 0, hit = 0, stale = 0, miss = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(total) do
      total[name] = total[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "counts requests=%d 2xx=%d non2xx=%d 5xx=%d 503=%d hit=%d stale=%d miss=%d " ..
    "socket_errors=%d rps=%.0f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests, total.ok, total.non2xx, total.s5xx, total.s503, total.hit, total.stale,
    total.miss, errors.connect + errors.read + errors.write + errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
    latency.max / 1000))
end
