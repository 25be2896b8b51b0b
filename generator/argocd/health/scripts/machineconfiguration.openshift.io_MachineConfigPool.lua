-- Health of a MachineConfigPool: Healthy once every machine in the pool
-- runs the pool's current rendered configuration, so that a sync wave after
-- a PerformanceProfile waits for the reboots it causes. A paused pool (held
-- for its canary) is Healthy while its machines run its configuration, and
-- Suspended while it holds a new one back.
local hs = {}
hs.status = "Progressing"
local paused = obj.spec ~= nil and obj.spec.paused == true
local s = obj.status
if s == nil then
  hs.message = "Waiting for the Machine Config Operator to report status"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (s.observedGeneration == nil or s.observedGeneration < generation) then
  hs.message = "Waiting for the Machine Config Operator to observe the pool"
  return hs
end
if s.conditions ~= nil then
  for _, c in ipairs(s.conditions) do
    if (c.type == "Degraded" or c.type == "NodeDegraded" or c.type == "RenderDegraded") and c.status == "True" then
      hs.status = "Degraded"
      hs.message = c.type .. ": " .. tostring(c.message)
      return hs
    end
  end
end
local machines = s.machineCount or 0
local updated = s.updatedMachineCount or 0
local ready = s.readyMachineCount or 0
if (s.degradedMachineCount or 0) > 0 then
  hs.status = "Degraded"
  hs.message = s.degradedMachineCount .. " of " .. machines .. " machines are degraded"
  return hs
end
if machines == 0 and not paused then
  hs.message = "No node matches the pool's node selector yet"
  return hs
end
local target = nil
if obj.spec ~= nil and obj.spec.configuration ~= nil then
  target = obj.spec.configuration.name
end
local current = nil
if s.configuration ~= nil then
  current = s.configuration.name
end
if updated == machines and ready == machines and target == current then
  hs.status = "Healthy"
  hs.message = "All " .. machines .. " machines run " .. tostring(current)
  if paused then
    hs.message = hs.message .. "; paused: the next configuration waits for a release"
  end
  return hs
end
if paused then
  hs.status = "Suspended"
  hs.message = "Paused: " .. tostring(target) .. " is held back; " .. updated .. " of " .. machines .. " machines run it"
  return hs
end
hs.message = updated .. " of " .. machines .. " machines updated, " .. ready .. " ready"
return hs
