-- wrk script for the memory phase of `make bench`: cycles through the three page endpoints with one
-- session cookie. env: WRK_COOKIE (Cookie header value), WRK_MOUNT
local mount = os.getenv("WRK_MOUNT") or "/Account"
local paths = { mount .. "/Auth", mount .. "/Login", mount .. "/Manage" }
local i = 0
local cookie = os.getenv("WRK_COOKIE")
function request()
  i = i % #paths + 1
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[i], headers)
end
