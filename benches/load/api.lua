-- wrk script for the partner API: every request carries the key in AUTHORIZATION (the
-- whole header value); answers are counted by status (report.lua).
dofile("benches/load/report.lua")
local authorization = os.getenv("AUTHORIZATION")

function init(args)
  statuses = {}
  wrk.headers["Authorization"] = authorization
  wrk.headers["Accept"] = "application/json"
end
