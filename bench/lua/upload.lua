-- Uploads 1 MiB bodies to /files/upload-1 .. upload-16 in turn (BENCH_UPLOAD_METHOD, default POST).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local method = os.getenv("BENCH_UPLOAD_METHOD") or "POST"
local names = 16
local prepared = {}
local next_index = 0

init = function(args)
  local body = string.rep("u", 1024 * 1024)
  local headers = { ["Content-Type"] = "application/octet-stream" }
  for i = 1, names do
    prepared[i] = wrk.format(method, "/files/upload-" .. i, headers, body)
  end
end

request = function()
  next_index = next_index % names + 1
  return prepared[next_index]
end
