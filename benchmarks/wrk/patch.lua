-- PATCH /heroes/{id} {"age": A}: one field of a random hero among 1..N (script argument 1).
local n = 10000
local headers = {["Content-Type"] = "application/json"}

function init(args)
  n = tonumber(args[1]) or n
  math.randomseed(54321)
end

function request()
  local body = '{"age": ' .. math.random(0, 99) .. '}'
  return wrk.format("PATCH", "/heroes/" .. math.random(1, n), headers, body)
end
