-- Pipelined GET: every write carries BENCH_PIPELINE_DEPTH (default 16) requests for the URL's path.
-- wrk parses the string, counts its requests and expects that many responses per write.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local depth = tonumber(os.getenv("BENCH_PIPELINE_DEPTH") or "16")
local batch

init = function(args)
  local requests = {}
  for i = 1, depth do requests[i] = wrk.format("GET", wrk.path) end
  batch = table.concat(requests)
end

request = function()
  return batch
end
