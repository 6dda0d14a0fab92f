#!/usr/bin/env python3
"""Memory a pushchat-server holds for clients that never read (docs/RELIABILITY.md, "Memory
per client"). Starts the server, fills a full history (10,000 messages of 2,000 bytes), then
opens clients that ask for everything and read nothing, and reads the server's RSS from
/proc/PID/status after each step.

    python3 scripts/memory-per-client.py [server-binary] [clients=100]
"""
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "server", "pushchat-server")
CLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
PORT = int(os.environ.get("PORT", "8799"))
MESSAGES = 10000
TEXT = "m" * 2000
PIPELINED = 100


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def connect():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("127.0.0.1", PORT))
    return s


def request(target, body=b"", method="GET"):
    head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def fill_history():
    s = connect()
    body = ('{"nick":"filler","text":"%s"}' % TEXT).encode()
    batch = request("/api/messages", body, "POST")
    answered = 0
    buffer = b""
    for start in range(0, MESSAGES, 500):
        count = min(500, MESSAGES - start)
        s.sendall(batch * count)
        while buffer.count(b"HTTP/1.1 201") < answered + count:
            buffer += s.recv(1 << 20)
        answered += count
    s.close()


def settle(pid, seconds=3.0):
    time.sleep(seconds)
    return rss_kib(pid)


def main():
    server = subprocess.Popen([SERVER, "--port", str(PORT), "--bind", "127.0.0.1", "--rate-limit", "0",
                               "--history", str(MESSAGES)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                connect().close()
                break
            except OSError:
                time.sleep(0.1)
        start = rss_kib(server.pid)
        fill_history()
        full = settle(server.pid, 1.0)
        # One reader of the whole history, page by page, to warm the paths up.
        s = connect()
        s.sendall(request("/api/messages?after=0"))
        s.recv(1 << 16)
        s.close()
        warm = settle(server.pid, 1.0)
        print(f"started: {start} KiB; with {MESSAGES} x {len(TEXT)} B history: {full} KiB; "
              f"after one page read: {warm} KiB")

        held = []
        one = connect()
        one.sendall(request("/api/messages?after=0") * PIPELINED)
        held.append(one)
        single = settle(server.pid)
        print(f"1 client pipelining {PIPELINED} page requests, reading nothing: +{single - warm} KiB")

        ws_key = "dGhlIHNhbXBsZSBub25jZQ=="
        upgrade = (f"GET /ws?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {ws_key}\r\n"
                   f"Sec-WebSocket-Version: 13\r\n\r\n").encode()
        for i in range(CLIENTS - 1):
            s = connect()
            s.sendall(upgrade if i % 2 else request("/api/messages?after=0") * PIPELINED)
            held.append(s)
        total = settle(server.pid, 5.0)
        print(f"{CLIENTS} clients that never read ({CLIENTS // 2} pipelining HTTP, "
              f"{CLIENTS - CLIENTS // 2} /ws?after=0): +{total - warm} KiB in all, "
              f"{(total - warm) / CLIENTS:.0f} KiB per client; server RSS {total} KiB")
        for s in held:
            s.close()
        after = settle(server.pid, 2.0)
        print(f"after they closed: {after} KiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
