-- wrk script for the soak: a steady mix of what people do all day. Each request is one of
--   dashboards (partner owner and admin pages), sign-ins (from many addresses, through the
--   trusted proxy), client edits (a real server-function form post) and applications
--   (new ones, from many addresses).
-- OWNER_COOKIE and ADMIN_COOKIE are signed-in sessions; CLIENT_ID is a client of the owner.
dofile("benches/load/report.lua")
local owner = os.getenv("OWNER_COOKIE")
local admin = os.getenv("ADMIN_COOKIE")
local client = os.getenv("CLIENT_ID")
local counter = 0

function init(args)
  statuses = {}
  -- Each run's applications have e-mail addresses of their own (the warm-up is a run too).
  run = os.time()
  math.randomseed(run + id)
end

local function address()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
end

local function form(pairs)
  local parts = {}
  for _, kv in ipairs(pairs) do
    table.insert(parts, kv[1]:gsub("%[", "%%5B"):gsub("%]", "%%5D") .. "=" .. kv[2]:gsub(" ", "+"):gsub("@", "%%40"))
  end
  return table.concat(parts, "&")
end

local posting = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}

function request()
  counter = counter + 1
  local pick = counter % 10
  if pick <= 3 then
    return wrk.format("GET", "/partner", { Cookie = owner, Accept = "text/html" })
  elseif pick <= 5 then
    return wrk.format("GET", "/admin", { Cookie = admin, Accept = "text/html" })
  elseif pick == 6 then
    return wrk.format("GET", "/partner/clients", { Cookie = owner, Accept = "text/html" })
  elseif pick == 7 then
    local headers = { ["X-Forwarded-For"] = address() }
    for k, v in pairs(posting) do headers[k] = v end
    return wrk.format("POST", "/api/login", headers, form({
      { "input[email]", "owner@northwind.demo.test" }, { "input[password]", "demo-password-2026" } }))
  elseif pick == 8 then
    local headers = { Cookie = owner }
    for k, v in pairs(posting) do headers[k] = v end
    return wrk.format("POST", "/api/partner/clients/update", headers, form({
      { "client_id", client }, { "input[company_name]", "Fabrikam" },
      { "input[contact_name]", "Fabrikam Owner " .. (counter % 7) },
      { "input[contact_email]", "owner@fabrikam.demo.test" }, { "input[contact_phone]", "" },
      { "input[plan]", "professional" }, { "input[custom_price]", "" },
      { "input[billing_owned_by_reseller]", "on" }, { "input[region]", "EMEA" } }))
  else
    local headers = { ["X-Forwarded-For"] = address() }
    for k, v in pairs(posting) do headers[k] = v end
    return wrk.format("POST", "/api/applications/submit", headers, form({
      { "input[company_name]", "Soak Test Ltd" }, { "input[contact_name]", "Sam Soak" },
      { "input[contact_email]", string.format("soak-%d-%d-%d@soak.example", run, id, counter) },
      { "input[contact_phone]", "+44 20 7946 0000" }, { "input[website]", "https://soak.example" },
      { "input[partnership_type]", "reseller" }, { "input[company_size]", "11-50" },
      { "input[industry]", "Software" }, { "input[current_solutions]", "" },
      { "input[target_market]", "UK" }, { "input[motivation]", "Steady load for the soak test." },
      { "input[additional_info]", "" } }))
  end
end
