-- wrk script for one page: every request carries the cookie in COOKIE (a signed-in
-- session), if set; answers are counted by status (report.lua).
dofile("benches/load/report.lua")
local cookie = os.getenv("COOKIE")

function init(args)
  statuses = {}
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  wrk.headers["Accept"] = "text/html"
end
