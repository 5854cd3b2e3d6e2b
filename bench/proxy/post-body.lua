-- wrk script: POST one fixed remote-write body, read once per thread from a file.
-- Usage: wrk -s post-body.lua <url> -- <body-file> [content-type] [remote-write-version]
-- TENANTWIRE_BENCH_AUTHORIZATION in the environment: sent as the Authorization header.
local request_bytes = nil

function init(args)
  local path = args[1]
  if path == nil then
    error("post-body.lua needs the body file after --")
  end
  local f = assert(io.open(path, "rb"))
  local body = f:read("*a")
  f:close()
  local headers = {
    ["Content-Type"] = args[2] or "application/x-protobuf",
    ["Content-Encoding"] = "snappy",
    ["X-Prometheus-Remote-Write-Version"] = args[3] or "0.1.0",
    ["User-Agent"] = "tenantwire-bench/wrk",
    ["Host"] = wrk.headers["Host"],
  }
  local authorization = os.getenv("TENANTWIRE_BENCH_AUTHORIZATION")
  if authorization ~= nil and authorization ~= "" then
    headers["Authorization"] = authorization
  end
  request_bytes = wrk.format("POST", nil, headers, body)
end

function request()
  return request_bytes
end
