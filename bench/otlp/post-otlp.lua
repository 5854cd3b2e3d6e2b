-- wrk script: POST one fixed OTLP/HTTP body, read once per thread from a file.
-- Usage: wrk -s post-otlp.lua <url> -- <body-file> <content-type> [content-encoding]
local request_bytes = nil

function init(args)
  local path = args[1]
  if path == nil then
    error("post-otlp.lua needs the body file after --")
  end
  local f = assert(io.open(path, "rb"))
  local body = f:read("*a")
  f:close()
  local headers = {
    ["Content-Type"] = args[2] or "application/x-protobuf",
    ["User-Agent"] = "tenantwire-bench/wrk",
    ["Host"] = wrk.headers["Host"],
  }
  if args[3] ~= nil and args[3] ~= "" and args[3] ~= "identity" then
    headers["Content-Encoding"] = args[3]
  end
  request_bytes = wrk.format("POST", nil, headers, body)
end

function request()
  return request_bytes
end
