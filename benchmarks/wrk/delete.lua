-- DELETE /heroes/{id} for ids FIRST, FIRST+1, ... (script arguments: FIRST LAST), rows the
-- runner inserted just before. Past LAST the answers are 404s, which the runner reports.
local next_id, last_id = 1, 1

function init(args)
  next_id = tonumber(args[1])
  last_id = tonumber(args[2])
end

function request()
  local id = next_id
  next_id = next_id + 1
  return wrk.format("DELETE", "/heroes/" .. id)
end
