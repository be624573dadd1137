-- Shared by the wrk scripts: each thread counts answers by status in `statuses`; `done`
-- adds them up and prints one RESULT line with the latency percentiles.
threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
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
