-- The Hono scenario: keep-alive GETs cycling through a JSON route with a parameter, a text
-- route and a 4 KiB static file.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local paths = { "/hono/json/42", "/hono/text", "/hono/static/4k.bin" }
local prepared = {}
local next_index = 0

init = function(args)
  for i, p in ipairs(paths) do prepared[i] = wrk.format("GET", p) end
end

request = function()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end
