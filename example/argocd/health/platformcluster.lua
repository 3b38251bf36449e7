-- Argo CD health check for PlatformCluster and PlatformTenant claims (and
-- their XPlatformCluster and XPlatformTenant XRs).
-- Healthy once Crossplane reports Synced and Ready; Degraded when it cannot
-- reconcile the claim or the function rejected its spec; Progressing while
-- the platform comes up, with the function's own progress message.
local hs = { status = "Progressing", message = "Waiting for Crossplane to reconcile the claim" }

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local conditions = {}
for _, c in ipairs(obj.status.conditions) do
  if c.type ~= nil then
    conditions[c.type] = c
  end
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c.reason ~= nil then
    return c.reason
  end
  return c.type .. " is " .. c.status
end

-- The function's verdict on the spec names the field at fault, so it comes
-- before Crossplane's generic reconcile error.
for _, t in ipairs({ "SpecValid", "Synced" }) do
  local c = conditions[t]
  if c ~= nil and c.status == "False" then
    hs.status = "Degraded"
    hs.message = describe(c)
    return hs
  end
end

local synced = conditions["Synced"]
local ready = conditions["Ready"]
if ready ~= nil and ready.status == "False" and ready.reason ~= "Creating" and ready.reason ~= "Deleting" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

if synced ~= nil and synced.status == "True" and ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Platform is ready"
  if obj.kind == "PlatformTenant" or obj.kind == "XPlatformTenant" then
    hs.message = "Tenant is ready"
  end
  return hs
end

-- Still coming up: say which stage it waits for.
for _, t in ipairs({ "ClusterReady", "AddonsReady", "NamespacesReady", "DNSReady", "CertificatesReady", "WorkloadsReady" }) do
  local c = conditions[t]
  if c ~= nil and c.status == "False" then
    hs.message = describe(c)
    return hs
  end
end
if ready ~= nil then
  hs.message = describe(ready)
end
return hs
