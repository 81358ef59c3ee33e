-- wrk script for the intake benchmark: every request signs the petition with a new email.
--
--   wrk -t N -c N -s sign.lua URL -- PREFIX ACKDIR BODY_TEMPLATE ORIGIN OFFSET
--
-- Run it with as many threads as connections (-t N -c N): each thread then has one
-- connection, so a response always answers that thread's last request, and the email
-- of every acknowledged signature (a 303 answer) is known. Each thread appends those
-- emails to ACKDIR/acked-<thread>.txt, so the orchestrator can look each one up in
-- the database. BODY_TEMPLATE is the urlencoded form with {EMAIL} where the email goes.
--
-- A surge comes from many people, so each request also comes from its own address: an
-- X-Forwarded-For header (the app trusts it from a proxy on 127.0.0.1, TRUSTED_PROXIES)
-- with an address in 198.18.0.0/15, the range set aside for benchmarks (RFC 2544). It is
-- only a header value: nothing is ever sent to those addresses. OFFSET (random for each
-- load) shifts where in the range a load starts, so that runs made one after another do
-- not send the same addresses again and run into the per-IP hourly limits.
-- done() prints one line "WRK_RESULT {json}" with the figures the orchestrator reads.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

-- Per-thread state (each thread runs its own copy of this script).
local prefix, ackdir, body_before, body_after, acked_file
local offset = 0
local counter = 0
local pending = nil
acked = 0
other = 0
statuses = ""
local status_counts = {}

function init(args)
  prefix = args[1]
  ackdir = args[2]
  local template = args[3]
  local at = assert(string.find(template, "{EMAIL}", 1, true), "BODY_TEMPLATE lacks {EMAIL}")
  body_before = string.sub(template, 1, at - 1)
  body_after = string.sub(template, at + 7)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  if args[4] and args[4] ~= "" then
    wrk.headers["Origin"] = args[4]
  end
  offset = tonumber(args[5] or "0") or 0
  acked_file = assert(io.open(string.format("%s/acked-%03d.txt", ackdir, id), "w"))
  acked_file:setvbuf("line")
end

function request()
  counter = counter + 1
  pending = string.format("%s-%d-%d@example.org", prefix, id, counter)
  local n = (offset + (id - 1) * 8192 + counter) % 131072
  wrk.headers["X-Forwarded-For"] = string.format(
    "198.%d.%d.%d", 18 + math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
  local encoded = string.gsub(pending, "@", "%%40")
  return wrk.format(nil, nil, nil, body_before .. encoded .. body_after)
end

function response(status, headers, body)
  if status == 303 and pending then
    acked = acked + 1
    acked_file:write(pending, "\n")
  else
    other = other + 1
    status_counts[status] = (status_counts[status] or 0) + 1
    local parts = {}
    for code, n in pairs(status_counts) do
      table.insert(parts, code .. ":" .. n)
    end
    statuses = table.concat(parts, ",")
  end
  pending = nil
end

function done(summary, latency, requests)
  local total_acked, total_other, merged = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_acked = total_acked + thread:get("acked")
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
    'WRK_RESULT {"kind":"sign","requests":%d,"duration_us":%d,"ok":%d,"not_ok":%d,'
      .. '"not_ok_statuses":{%s},"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
      .. '"timeouts":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"mean_us":%.1f}\n',
    summary.requests, summary.duration, total_acked, total_other, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
