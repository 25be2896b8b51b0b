-- Health of a Job: ArgoCD's own Go check (gitops-engine pkg/health
-- health_job.go at the version argo-cd v3.3.19 pins), condition by
-- condition, with one addition: a failed Job that carries the annotation
-- lowlat.dev/verdict is Degraded with that message, so a perf run that
-- breaks a threshold names the metric where its Application shows it
-- (package perfrun: publish.sh writes the lines kube-burner logged).
-- Every other Job is judged as ArgoCD judges it.
local hs = {}
local failed, complete, suspended = false, false, false
local message, failMsg = "", ""
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Failed" then
      failed = true
      complete = true
      failMsg = c.message or ""
    elseif c.type == "Complete" then
      complete = true
      message = c.message or ""
    elseif c.type == "Suspended" then
      complete = true
      message = c.message or ""
      if c.status == "True" then
        suspended = true
      end
    end
  end
end
if not complete then
  hs.status = "Progressing"
  hs.message = message
elseif failed then
  hs.status = "Degraded"
  hs.message = failMsg
  local ann = obj.metadata.annotations
  if ann ~= nil and ann["lowlat.dev/verdict"] ~= nil and ann["lowlat.dev/verdict"] ~= "" then
    hs.message = ann["lowlat.dev/verdict"]
  end
elseif suspended then
  hs.status = "Suspended"
  hs.message = failMsg
else
  hs.status = "Healthy"
  hs.message = message
end
return hs
