#!/usr/bin/env python3
# Screenshots of the People dialog from the real app, by hand (not in CI): drives `peerport` under
# Xvfb through its test hooks (docs/architecture.md, "Test hooks"): a share with two real peers (peerport-cli connect
# under two identities) pulling data at different rates, the People dialog captured, one peer
# disconnected from there, captured again, Bob back (not blocked); nb and es; the main window at
# 700 px. Usage: peers_shots.py BUILD_DIR OUT_DIR
import hashlib, json, os, shutil, socket, subprocess, sys, tempfile, threading, time
build, out = sys.argv[1], sys.argv[2]
cli = f"{build}/app/peerport-cli"
app = f"{build}/app/gui/peerport"
work = tempfile.mkdtemp(prefix="gp-shots-")
procs = []
def spawn(args, **kw):
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    procs.append(p)
    return p
def free_port(kind):
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def json_event(p, name, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        line = p.stdout.readline()
        if not line: break
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j.get("event") == name: return j
    raise RuntimeError(f"no {name} event")
display = next(n for n in range(171, 250) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
xvfb = spawn(["Xvfb", f":{display}", "-screen", "0", "1400x1000x24", "-nolisten", "tcp"])
time.sleep(1)
env = dict(os.environ, DISPLAY=f":{display}", HOME=f"{work}/home", XDG_CONFIG_HOME=f"{work}/config",
           XDG_RUNTIME_DIR=f"{work}/run", PEERPORT_TEST_HOOKS="1", PEERPORT_NO_KEYCHAIN="1")
env.pop("QT_QPA_PLATFORM", None); env.pop("WAYLAND_DISPLAY", None)
for d in ("home", "config"): os.makedirs(f"{work}/{d}")
os.makedirs(f"{work}/run", mode=0o700)
try:
    dht = free_port(socket.SOCK_DGRAM)
    node = spawn([cli, "node", "--host", "127.0.0.1", "--port", str(dht), "--bootstrap", "none", "--json"])
    node.stdout.readline()  # its first JSON line: it is up
    env["PEERPORT_BOOTSTRAP"] = f"127.0.0.1:{dht}"
    # The service: after one byte, F sends 16 KiB every 50 ms, S every 250 ms, until closed.
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0)); srv.listen(16); service_port = srv.getsockname()[1]
    def serve(c):
        try:
            mode = c.recv(1)
            gap = 0.05 if mode == b"F" else 0.25
            while True:
                c.sendall(b"p" * 16384); time.sleep(gap)
        except OSError:
            pass
        finally:
            c.close()
    threading.Thread(target=lambda: [threading.Thread(target=serve, args=(srv.accept()[0],), daemon=True).start() for _ in iter(int, 1)], daemon=True).start()
    keys = {}
    for who, ch in (("bob", "b"), ("carol", "c")):
        seed = ch * 64
        open(f"{work}/{who}.key", "w").write(seed + "\n")
        kg = subprocess.run([cli, "keygen", "--seed", seed, "--json"], capture_output=True, text=True)
        keys[who] = json.loads(kg.stdout)["publicKey"]
    profile = f"{work}/alice"
    os.makedirs(profile)
    with open(f"{profile}/peerport.ini", "w") as f:
        f.write(f"[friends]\n1\\key={keys['bob']}\n1\\alias=Bob\nsize=1\n")
    instance = "peerport-" + hashlib.sha256(os.path.realpath(profile).encode()).hexdigest()[:16]
    gui = spawn([app], env=dict(env, PEERPORT_PROFILE=profile))
    def hook(msg, timeout=15):
        end = time.time() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX); s.connect(f"/tmp/{instance}"); break
            except OSError:
                if time.time() > end: raise
                time.sleep(0.2)
        s.sendall((msg + "\n").encode()); s.settimeout(timeout)
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
        s.close()
        return data.decode().strip()
    def state(): return json.loads(hook("state"))
    end = time.time() + 30
    while not state()["engine"]:
        if time.time() > end: raise RuntimeError("engine did not start")
        time.sleep(0.3)
    print("share:", hook(f"share {service_port}"))
    end = time.time() + 30
    while not (state()["shares"] and state()["shares"][0]["key"] and state()["shares"][0]["state"].startswith("Listening")):
        if time.time() > end: raise RuntimeError("share did not start: " + json.dumps(state()))
        time.sleep(0.3)
    share_key = state()["shares"][0]["key"]
    ports = {}
    for who in ("bob", "carol"):
        c = spawn([cli, "connect", share_key, "--bootstrap", env["PEERPORT_BOOTSTRAP"], "--key-file", f"{work}/{who}.key", "--json"])
        ports[who] = json_event(c, "listening")["port"]
    readers = {}
    def reader(who, mode):
        s = socket.create_connection(("127.0.0.1", ports[who]))
        s.sendall(mode)
        readers[who] = s
        def pump():
            try:
                while s.recv(65536): pass
            except OSError:
                pass
            print(who, "local connection closed")
        threading.Thread(target=pump, daemon=True).start()
    reader("bob", b"F"); reader("carol", b"S")
    def wait_traffic(n, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            t = state()["shares"][0]["traffic"]
            if len(t) == n and all(p["rateOut"] > 0 for p in t): return t
            time.sleep(0.5)
        raise RuntimeError("traffic: " + json.dumps(state()["shares"][0]))
    print("traffic:", wait_traffic(2))
    time.sleep(3)
    print(hook("resize 700 560"))
    print(hook(f"screenshot {out}/peers-main-window-700px-en.png"))
    print(hook("people 0"))
    print(hook(f"people-select {keys['bob']}"))
    print(hook(f"people-shot {out}/peers-live-en.png"))
    print("disconnect bob:", hook(f"people-disconnect {keys['bob']}"))
    time.sleep(3)
    print("after:", state()["shares"][0])
    print(hook(f"people-shot {out}/peers-after-disconnect-en.png"))
    # Bob was not blocked: his next local connection gets through.
    reader("bob", b"F")
    print("traffic again:", wait_traffic(2))
    for lang in ("nb", "es"):
        print(hook(f"language {lang}"))
        time.sleep(2)
        print(hook("resize 700 560"))
        print(hook("people 0"))
        print(hook(f"people-select {keys['carol']}"))
        time.sleep(2)
        print(hook(f"people-shot {out}/peers-live-{lang}.png"))
        print(hook(f"screenshot {out}/peers-main-window-700px-{lang}.png"))
    print(hook("quit"))
    gui.wait(20)
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try: p.wait(5)
            except subprocess.TimeoutExpired: p.kill()
    shutil.rmtree(work, ignore_errors=True)
