-- Health of an ArgoCD Application, for an app-of-apps: the root waits for a
-- child Application of one sync wave to be Healthy before it syncs the next
-- wave only when this check is installed (ArgoCD dropped it from its
-- built-in checks in v1.8).
--
-- A sync that is still running (also while it retries) keeps the child
-- Progressing, and a sync that failed for good makes it Degraded, so the
-- root stops instead of moving on to the next wave. A child whose resources
-- do not exist yet (Missing) is waited for like a Progressing one.
local hs = {}
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Application to be reconciled"
  return hs
end
local op = obj.status.operationState
if op ~= nil and (op.phase == "Failed" or op.phase == "Error") then
  hs.status = "Degraded"
  hs.message = "Sync " .. op.phase .. ": " .. tostring(op.message)
  return hs
end
if op ~= nil and (op.phase == "Running" or op.phase == "Terminating") then
  hs.status = "Progressing"
  hs.message = "Sync " .. op.phase .. ": " .. tostring(op.message)
  return hs
end
local health = obj.status.health
if health == nil or health.status == nil or health.status == "Missing" then
  hs.status = "Progressing"
  hs.message = "Waiting for the Application's resources"
  return hs
end
hs.status = health.status
hs.message = health.message
if hs.message == nil then
  hs.message = "Application is " .. health.status
end
return hs
