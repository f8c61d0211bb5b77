-- wrk script: GET /api/v1/assignments/{id}/matches?limit=20, rotating over the ids in
-- the file named by the IDS environment variable (one per line).
local ids = {}
local i = 0
local key = os.getenv("KEY") or ""

init = function(args)
  for line in io.lines(os.getenv("IDS")) do
    ids[#ids + 1] = line
  end
end

request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/assignments/" .. ids[i] .. "/matches?limit=20", { ["Authorization"] = "Bearer " .. key })
end
