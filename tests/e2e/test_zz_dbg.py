import httpx
def test_dbg(app_server):
    for p in ("/healthz", "/auth/oidc/campus/start?next=/dashboard", "/auth/oidc/campus/start/"):
        r = httpx.get(app_server.url + p, timeout=10)
        print("PATH", p, r.status_code, r.headers.get("location"), r.text[:100].replace("\n"," "))
    print(open(app_server.log_path).read()[-3000:])
