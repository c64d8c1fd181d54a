-- The same POST over and over: a List page (first or deep) for rekognition-mock and nginx,
-- ListTrainingJobs for moto. wrk builds the request once, so the client costs almost nothing.
-- Arguments after "--": X-Amz-Target, file holding the request body, [Authorization value].
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  aws_request(args[1], args[3])
  wrk.body = read_file(args[2])
end
