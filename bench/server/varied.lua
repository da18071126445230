-- wrk script for bench/server/run: every request draws its filter values
-- (type, country, actor, date range) at random from the values of the
-- benchmark's store, so nearly every request asks something new and the
-- server's answer cache misses. The first argument after `--` picks the
-- query shape:
--   wrk ... -s bench/server/varied.lua http://HOST:PORT -- events_type_country
local types = { "CONSULT", "AID", "ACCUSE", "ASSAULT", "DEMAND", "COOPERATE" }
local countries = { "RUS", "SYR", "TUR", "USA", "UKR", "FRA", "DEU", "IRN", "ISR", "EGY", "CHN" }
local actors = { "RUS", "SYR", "TUR", "USA", "UKR", "FRA", "DEU", "IRN", "ISR", "EGY", "CHN",
  "RUSGOV", "SYRGOV", "RUSMIL", "UKRMIL", "USAGOV" }
local kind = "events_type_country"
local counter = 0

local function pick(t) return t[math.random(#t)] end

-- 2023-01-01 plus n days (the store's events span 2023).
local function day(n) return os.date("!%Y-%m-%d", 1672531200 + n * 86400) end

local function range()
  local a = math.random(0, 330)
  return "&from=" .. day(a) .. "&to=" .. day(a + math.random(14, 150))
end

function init(args)
  if args[1] then kind = args[1] end
  -- Each wrk thread has its own Lua state: seed them apart.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  counter = counter + 1
  local q
  if kind == "events_type_country" then
    q = "/api/events?type=" .. pick(types) .. "&country=" .. pick(countries) .. range() .. "&limit=50"
  elseif kind == "events_actor_dates" then
    q = "/api/events?actor=" .. pick(actors) .. range() .. "&limit=50"
  elseif kind == "counts_day" then
    q = "/api/counts?by=day&type=" .. pick(types) .. range()
  elseif kind == "counts_country" then
    q = "/api/counts?by=country&actor=" .. pick(actors) .. range()
  elseif kind == "places" then
    q = "/api/places?limit=500&type=" .. pick(types) .. range()
  else
    error("varied.lua: unknown kind " .. kind)
  end
  return wrk.format("GET", q)
end
