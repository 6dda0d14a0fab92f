"""PushChat's server against the tutorial's own clients: Python's websocket-client library
(Debian's python3-websocket) and curl. Run by ctest as interop_python with PUSHCHAT_SERVER set
to the pushchat-server executable; every socket is on 127.0.0.1."""

import json
import os
import re
import subprocess
import unittest

import websocket

SERVER = os.environ.get("PUSHCHAT_SERVER", "pushchat-server")


class ServerProcess:
    def __init__(self):
        self.process = subprocess.Popen(
            [SERVER, "--port", "0", "--bind", "127.0.0.1", "--rate-limit", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.process.stdout:
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                return
        raise RuntimeError("pushchat-server printed no join address")

    def http(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def ws(self, path):
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def curl(*arguments):
    result = subprocess.run(["curl", "-s", "-S", "--max-time", "10", *arguments],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def next_of_type(ws, kind):
    while True:
        event = json.loads(ws.recv())
        if event["type"] == kind:
            return event


class Interop(unittest.TestCase):
    def setUp(self):
        self.server = ServerProcess()
        self.addCleanup(self.server.stop)

    def connect(self, path):
        ws = websocket.create_connection(self.server.ws(path), timeout=10)
        self.addCleanup(ws.close)
        return ws

    def test_websocket_client_sends_and_receives(self):
        ws = self.connect("/ws?nick=py")
        hello = json.loads(ws.recv())
        self.assertEqual(hello["type"], "hello")
        self.assertFalse(hello["observer"])
        ws.send(json.dumps({"type": "send", "text": "hi from websocket-client", "id": 1}))
        message = next_of_type(ws, "message")
        while message["kind"] != "chat":
            message = next_of_type(ws, "message")
        self.assertEqual(message["text"], "hi from websocket-client")
        self.assertEqual(message["nick"], "py")
        ack = next_of_type(ws, "ack")
        self.assertEqual((ack["id"], ack["seq"]), (1, message["seq"]))
        page = curl(self.server.http("/api/messages?after=0"))
        self.assertIn("hi from websocket-client", [m["text"] for m in page["messages"]])

    def test_messages_posted_with_curl_reach_a_websocket(self):
        ws = self.connect("/ws")
        self.assertTrue(json.loads(ws.recv())["observer"])
        posted = curl("-d", "msg=hello+from+the+tutorial", self.server.http("/new-message"))
        self.assertEqual(posted["text"], "hello from the tutorial")
        self.assertEqual(posted["nick"], "guest")
        message = next_of_type(ws, "message")
        while message["kind"] != "chat":
            message = next_of_type(ws, "message")
        self.assertEqual(message["seq"], posted["seq"])
        self.assertEqual(message["text"], "hello from the tutorial")
        update = curl("-X", "POST", "-d", "cursor=0", self.server.http("/update-message"))
        self.assertIn(posted["seq"], [m["seq"] for m in update])

    def test_echo_ping_and_binary(self):
        ws = self.connect("/echo")
        ws.send("Hello, World")
        self.assertEqual(ws.recv(), "Hello, World")
        ws.send_binary(b"\x00\x01\xff")
        opcode, data = ws.recv_data()
        self.assertEqual((opcode, data), (websocket.ABNF.OPCODE_BINARY, b"\x00\x01\xff"))
        ws.ping("are you there")
        opcode, data = ws.recv_data(control_frame=True)
        self.assertEqual((opcode, data), (websocket.ABNF.OPCODE_PONG, b"are you there"))

    def test_close_handshake_echoes_the_code(self):
        ws = self.connect("/ws?nick=leaver")
        ws.recv()
        ws.send_close(status=websocket.STATUS_GOING_AWAY, reason=b"bye")
        opcode, data = ws.recv_data(control_frame=True)
        while opcode != websocket.ABNF.OPCODE_CLOSE:
            opcode, data = ws.recv_data(control_frame=True)
        self.assertEqual(int.from_bytes(data[:2], "big"), websocket.STATUS_GOING_AWAY)

    def test_oversized_message_closes_with_1009(self):
        ws = self.connect("/ws?nick=big")
        ws.recv()
        ws.send("x" * (70 * 1024))
        opcode, data = ws.recv_data(control_frame=True)
        while opcode != websocket.ABNF.OPCODE_CLOSE:
            opcode, data = ws.recv_data(control_frame=True)
        self.assertEqual(int.from_bytes(data[:2], "big"), websocket.STATUS_MESSAGE_TOO_BIG)


if __name__ == "__main__":
    unittest.main()
