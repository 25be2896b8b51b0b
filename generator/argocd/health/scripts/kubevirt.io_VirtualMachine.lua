-- Health of a KubeVirt VirtualMachine, shipped although ArgoCD bundles one:
-- before argo-cd PR #29664 (merged 2026-09-10) the bundled check reported a
-- VM declared stopped (runStrategy Halted, or running: false) as Suspended
-- for ever, and an Application whose sync holds such a VM in a wave never
-- finishes it. This check agrees with the fixed one (argo-cd v3.3.19's
-- own test cases run against it) on every ArgoCD version.
--
-- Declared stopped and not created: Healthy. Paused: Suspended. Ready:
-- Healthy. A VM stopped under runStrategy Manual waits for someone to start
-- it: Suspended. Image, crash-loop and volume errors: Degraded. Anything
-- else is on its way: Progressing, with KubeVirt's printable status.
local hs = {}
local spec = obj.spec or {}
local st = obj.status
local declaredStopped = spec.running == false or spec.runStrategy == "Halted"
if declaredStopped and (st == nil or st.created ~= true) then
  hs.status = "Healthy"
  hs.message = "Stopped as declared"
  return hs
end
if st == nil or st.conditions == nil then
  hs.status = "Progressing"
  hs.message = "No status available"
  return hs
end
local failed = {
  CrashLoopBackOff = true, ErrImagePull = true, ImagePullBackOff = true,
  ErrorPvcNotFound = true, ErrorDataVolumeNotFound = true, DataVolumeError = true,
}
local printable = st.printableStatus or ""
if failed[printable] then
  hs.status = "Degraded"
  hs.message = printable
  return hs
end
local ready = false
for _, c in ipairs(st.conditions) do
  if c.type == "Paused" and c.status == "True" then
    hs.status = "Suspended"
    hs.message = "Paused"
    return hs
  end
  if c.type == "Ready" and c.status == "True" then
    ready = true
  end
end
if ready then
  hs.status = "Healthy"
  hs.message = "Running"
  return hs
end
if spec.runStrategy == "Manual" and printable == "Stopped" then
  hs.status = "Suspended"
  hs.message = "Stopped"
  return hs
end
hs.status = "Progressing"
if printable ~= "" then
  hs.message = printable
else
  hs.message = "Waiting for the VirtualMachine to start"
end
return hs
