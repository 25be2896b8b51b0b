-- Health of a MachineSet: Healthy once every replica it asks for is a
-- Machine whose Node is Ready, so that the waves after it (the baseline
-- test, the tuning) find the pool's nodes. The machine API counts a
-- machine ready when its nodeRef's Node is Ready (machine-api-operator
-- pkg/controller/machineset/status.go); counts of zero are omitted.
local hs = {}
hs.status = "Progressing"
local s = obj.status
if s == nil then
  hs.message = "Waiting for the machine API to report status"
  return hs
end
if s.errorReason ~= nil and s.errorReason ~= "" then
  hs.status = "Degraded"
  hs.message = s.errorReason .. ": " .. tostring(s.errorMessage)
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (s.observedGeneration == nil or s.observedGeneration < generation) then
  hs.message = "Waiting for the machine API to observe the MachineSet"
  return hs
end
local want = 1
if obj.spec ~= nil and obj.spec.replicas ~= nil then
  want = obj.spec.replicas
end
local machines = s.replicas or 0
local ready = s.readyReplicas or 0
if machines > want then
  hs.message = "Scaling down: " .. machines .. " machines, " .. want .. " wanted"
  return hs
end
if ready < want then
  hs.message = ready .. " of " .. want .. " machines have a Ready node"
  return hs
end
hs.status = "Healthy"
hs.message = ready .. " of " .. want .. " machines have a Ready node"
return hs
