-- wrk script: each connection alternates POST /v1/recruitments (a 1,000-applicant case with a
-- unique id) and POST /v1/recruitments/{id}/decide of the case the last create answered 201
-- for (its Location header). Run with one connection per thread (-t N -c N) so each thread's
-- requests are strictly in order.
-- Environment: BENCH_TOKEN (a recruiter of BENCH), BENCH_CASE (the template from make_case.py,
-- recruitment id TEMPLATE-ID).
local token = os.getenv("BENCH_TOKEN")
local template = io.open(os.getenv("BENCH_CASE")):read("*a")
local threads = {}
local counter = 0
local pending = nil
local nthreads = 0
local run = tostring(os.time())

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end

function request()
  if pending then
    local id = pending
    pending = nil
    return wrk.format("POST", "/v1/recruitments/" .. id .. "/decide",
                      {["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0"}, "")
  end
  counter = counter + 1
  local id = "B" .. run .. "-" .. tid .. "-" .. counter
  local body = template:gsub("TEMPLATE%-ID", id)
  return wrk.format("POST", "/v1/recruitments",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

local bad = 0
function response(status, headers, body)
  if status == 201 and headers["Location"] then
    pending = headers["Location"]:match("/v1/recruitments/(.+)$")
  end
  if status ~= 200 and status ~= 201 then
    bad = bad + 1
    if bad <= 3 then print("unexpected status " .. status .. ": " .. body:sub(1, 200)) end
  end
end
