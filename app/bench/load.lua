-- wrk script of `parallax bench load`: each request is a random line of the plan file
-- ("<kind> <htmx:0|1> <path>"), and the run ends with one JSON line of results on stdout.

local plan = {}
local htmx_headers = { ["HX-Request"] = "true" }
local thread_states = {}

function setup(thread)
  table.insert(thread_states, thread)
  thread:set("index", #thread_states)
end

function init(args)
  for line in io.lines(args[1]) do
    local _, htmx, path = line:match("^(%S+) (%d) (%S+)$")
    table.insert(plan, wrk.format("GET", path, htmx == "1" and htmx_headers or {}))
  end
  math.randomseed(tonumber(args[2]) + wrk.thread:get("index"))
  statuses = {}
end

function request()
  return plan[math.random(#plan)]
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _requests)
  local counts = {}
  for _, thread in ipairs(thread_states) do
    for status, count in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + count
    end
  end
  local errors = summary.errors
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, errors.connect, errors.read, errors.write, errors.timeout,
    table.concat(parts, ", ")))
end
