-- wrk script for the intake benchmark: readers of one URL (the petition page or its
-- count.json). A 200 answer is a success; anything else is counted by status.
-- done() prints one line "WRK_RESULT {json}" with the figures the orchestrator reads.
--
--   wrk -t T -c C -s read.lua URL -- KIND

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local kind = "read"
ok = 0
other = 0
statuses = ""
local status_counts = {}

function init(args)
  kind = args[1] or kind
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    status_counts[status] = (status_counts[status] or 0) + 1
    local parts = {}
    for code, n in pairs(status_counts) do
      table.insert(parts, code .. ":" .. n)
    end
    statuses = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local total_ok, total_other, merged = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
    for code, n in string.gmatch(thread:get("statuses") or "", "(%d+):(%d+)") do
      merged[code] = (merged[code] or 0) + tonumber(n)
    end
  end
  local parts = {}
  for code, n in pairs(merged) do
    table.insert(parts, string.format('"%s":%d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"kind":"read","requests":%d,"duration_us":%d,"ok":%d,"not_ok":%d,'
      .. '"not_ok_statuses":{%s},"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
      .. '"timeouts":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"mean_us":%.1f}\n',
    summary.requests, summary.duration, total_ok, total_other, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
