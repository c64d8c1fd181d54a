-- Describe one job per request, rotating through a list of ids so the server cannot answer
-- every request from the same cache line: GetMediaAnalysisJob {"JobId"} for rekognition-mock,
-- DescribeTrainingJob {"TrainingJobName"} for moto.
-- Arguments after "--": X-Amz-Target, the id member's name, file of ids (one a line),
-- [Authorization value].
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local requests = {}
local next_index = 0

function init(args)
  aws_request(args[1], args[4])
  -- Formatting in request() would make wrk the bottleneck; build every request up front.
  for _, id in ipairs(read_lines(args[3])) do
    requests[#requests + 1] = wrk.format(nil, nil, nil, '{"' .. args[2] .. '":"' .. id .. '"}')
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
