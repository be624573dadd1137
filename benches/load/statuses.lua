-- wrk script: counts answers by status and prints them with the latency percentiles.
-- Every request carries the cookie in COOKIE (a signed-in session), if set.
local cookie = os.getenv("COOKIE")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  wrk.headers["Accept"] = "text/html"
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, n in pairs(counted) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  local line = {}
  for status, n in pairs(totals) do
    table.insert(line, string.format("%d=%d", status, n))
  end
  table.sort(line)
  io.write(string.format("RESULT requests=%d p50_ms=%.1f p99_ms=%.1f statuses=%s\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    table.concat(line, ",")))
end
