-- Health of the HyperConverged CR from the conditions of the HyperConverged
-- Cluster Operator. It becomes Available only once the operator runs and has
-- deployed KubeVirt and CDI, so it also gates on the operator's install
-- having succeeded: VirtualMachines in a later wave find their CRDs.
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the HyperConverged Cluster Operator"
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
  hs.message = "HyperConverged is available"
end
return hs
