-- wrk script: post-body.lua at a bounded request rate.
-- Usage: wrk -s post-body-paced.lua <url> -- <body-file> <content-type> <remote-write-version> <interval-ms>
-- <interval-ms> is the gap between two requests of one wrk thread (all its connections share
-- one schedule): 1000 * threads / rate. Each request is given the next free slot, so the rate
-- never passes the target; a late request goes at once without a catch-up burst.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "post-body.lua")

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } tenantwire_timespec;
  int clock_gettime(int clk_id, tenantwire_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local ts = ffi.new("tenantwire_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval_ms = nil
local next_at = nil
local post_body_init = init

function init(args)
  post_body_init(args)
  interval_ms = tonumber(args[4])
  if interval_ms == nil or interval_ms <= 0 then
    error("post-body-paced.lua needs the interval in ms (> 0) as its fourth argument")
  end
end

function delay()
  local now = now_ms()
  local slot = next_at
  if slot == nil or slot < now then
    slot = now
  end
  next_at = slot + interval_ms
  return math.floor(slot - now)
end
