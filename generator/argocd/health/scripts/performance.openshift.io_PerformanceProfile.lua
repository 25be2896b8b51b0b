-- Health of a PerformanceProfile from the conditions the Node Tuning
-- Operator sets: Degraded wins, then Progressing (the pool's nodes are
-- still being reconfigured and rebooted), then Available. A profile without
-- conditions has not been processed yet and is waited for.
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the Node Tuning Operator to process the profile"
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local available = false
local progressing = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Degraded" and c.status == "True" then
    hs.status = "Degraded"
    hs.message = tostring(c.reason) .. ": " .. tostring(c.message)
    return hs
  end
  if c.type == "Progressing" and c.status == "True" then
    progressing = c
  end
  if c.type == "Available" and c.status == "True" then
    available = true
  end
end
if progressing ~= nil then
  hs.message = "Progressing: " .. tostring(progressing.message)
  return hs
end
if available then
  hs.status = "Healthy"
  hs.message = "Profile is available"
end
return hs
