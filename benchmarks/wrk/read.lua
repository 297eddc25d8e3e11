-- GET /heroes/{id} for a random id in 1..N (script argument 1, default 10000).
local n = 10000

function init(args)
  n = tonumber(args[1]) or n
  math.randomseed(12345)
end

function request()
  return wrk.format("GET", "/heroes/" .. math.random(1, n))
end
