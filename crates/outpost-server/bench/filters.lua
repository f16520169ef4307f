-- wrk script: every request is a list or aggregate endpoint with randomly varied filters,
-- the mix a dashboard sends. Counts non-2xx answers and prints them at the end.
--   wrk -t2 -c50 -d30s --latency -s crates/outpost-server/bench/filters.lua http://127.0.0.1:8711
-- Set WRK_TEXT=0 to leave out the full-text filter (5% of requests otherwise: 4% a rare word,
-- a village name found in ~250 events, 1% a very common word found in ~6% of all events), and
-- WRK_ONLY=/api/... to send one route only (to see where the time goes).
local with_text = os.getenv("WRK_TEXT") ~= "0"
local countries = { "UKR", "RUS", "ISR", "PSE", "SDN", "USA", "CHN", "SYR", "IRN", "COD", "MMR",
  "ETH", "SOM", "KEN", "NGA", "MLI", "AFG", "PAK", "IND", "TUR", "FRA", "GBR", "VEN", "PHL", "FJI" }
local plovers = { "ASSAULT", "PROTEST", "CONSULT", "AGREE", "ACCUSE", "THREATEN", "SANCTION", "AID" }
local sectors = { "GOV", "MIL", "REB", "CVL", "COP" }
local endpoints = { "/api/events", "/api/events", "/api/aggregates/daily",
  "/api/aggregates/dyads", "/api/aggregates/countries", "/api/aggregates/places",
  "/api/aggregates/index" }
-- WRK_ONLY=/api/aggregates/places (say) sends only that route, to see where the time goes.
local only = os.getenv("WRK_ONLY")
if only and only ~= "" then endpoints = { only } end

local function pick(t) return t[math.random(#t)] end

local function day(offset)
  -- 2023-01-01 + offset days, without os.date (keeps it pure Lua)
  local t = os.time({ year = 2023, month = 1, day = 1, hour = 12 }) + offset * 86400
  return os.date("!%Y-%m-%d", t)
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() + (id or 0) * 7919)
  errors = 0
end

function request()
  local path = pick(endpoints)
  local q = {}
  -- a date window of 7 to 180 days somewhere in the three years
  if math.random() < 0.8 then
    local len = math.random(7, 180)
    local start = math.random(0, 3 * 365 - len)
    q[#q + 1] = "from=" .. day(start)
    q[#q + 1] = "to=" .. day(start + len)
  end
  local r = math.random()
  if path == "/api/aggregates/index" then
    if r < 0.5 then q[#q + 1] = "country=" .. pick(countries)
    else q[#q + 1] = "dyad=" .. pick(countries) .. "-" .. pick(countries) end
  elseif r < 0.35 then q[#q + 1] = "country=" .. pick(countries)
  elseif r < 0.5 then q[#q + 1] = "actor=" .. pick(countries) .. pick(sectors)
  elseif r < 0.6 then q[#q + 1] = "plover=" .. pick(plovers)
  elseif r < 0.7 then q[#q + 1] = "quad_class=" .. math.random(1, 4)
  elseif r < 0.75 then q[#q + 1] = "near=50.45,30.52&radius_km=" .. math.random(10, 300)
  elseif r < 0.79 and with_text then q[#q + 1] = "q=Vil" .. math.random(1000, 3999)
  elseif r < 0.8 and with_text then q[#q + 1] = "q=attacked"
  end
  if path == "/api/events" then q[#q + 1] = "limit=50" end
  if path == "/api/aggregates/daily" and math.random() < 0.3 then q[#q + 1] = "by=plover" end
  local url = path
  if #q > 0 then url = url .. "?" .. table.concat(q, "&") end
  return wrk.format("GET", url)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx %d, socket errors %d/%d/%d/%d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
