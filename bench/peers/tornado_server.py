#!/usr/bin/python3
"""Reference server for pushchat-bench: PushChat protocol v1 on Tornado, done properly.

The endpoints the benchmark uses: POST /api/messages, GET /api/messages?after=N (short poll),
GET /api/messages?after=N&wait=S (long poll with a cursor), GET /api/room and the /ws
WebSocket with hello, replay, send and ack. One process, one thread, Tornado's asyncio loop
(epoll underneath), as the tutorial runs it. Run with Debian's interpreter:

    /usr/bin/python3 bench/peers/tornado_server.py --port 0 --bind 127.0.0.1
"""

import argparse
import asyncio
import json
import socket
import time
import urllib.parse
from collections import deque

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
import tornado.websocket

PROTOCOL = 1
MAX_TEXT = 4096


def now_ms():
    return int(time.time() * 1000)


class Room:
    def __init__(self, name, history):
        self.name = name
        self.messages = deque(maxlen=history)
        self.last_seq = 0
        self.waiters = set()  # (future, after) of parked long polls
        self.sockets = set()

    def after(self, after):
        """Messages with seq > after, and whether some were evicted or the cursor is ahead."""
        reset = after > self.last_seq
        if reset:
            after = 0
        first = self.messages[0]["seq"] if self.messages else self.last_seq + 1
        gap = after + 1 < first and self.last_seq > after
        skip = max(0, after - first + 1)
        items = [self.messages[i] for i in range(skip, len(self.messages))] if skip < len(
            self.messages) else []
        return items, gap, reset

    def page(self, after):
        items, gap, reset = self.after(after)
        page = {"messages": items, "last_seq": self.last_seq, "gap": gap, "now": now_ms()}
        if reset:
            page["reset"] = True
        return json.dumps(page, separators=(",", ":"))

    def add(self, nick, text, kind="chat"):
        self.last_seq += 1
        message = {"seq": self.last_seq, "ts": now_ms(), "nick": nick, "text": text, "kind": kind}
        self.messages.append(message)
        # Release every parked poll; polls sharing a cursor share the encoded page.
        waiters, self.waiters = self.waiters, set()
        pages = {}
        for future, after in waiters:
            if not future.done():
                if after not in pages:
                    pages[after] = self.page(after)
                future.set_result(pages[after])
        frame = json.dumps(dict(message, type="message"), separators=(",", ":"))
        for sock in list(self.sockets):
            try:
                sock.write_message(frame)
            except tornado.websocket.WebSocketClosedError:
                self.sockets.discard(sock)
        return message


def valid(nick, text):
    if not isinstance(nick, str) or not isinstance(text, str):
        return "nick and text must be strings"
    nick = nick.strip()
    if not 1 <= len(nick) <= 32 or any(ord(c) < 32 for c in nick):
        return "invalid nick"
    if not 1 <= len(text.encode("utf-8")) <= MAX_TEXT:
        return "invalid text"
    return None


class Base(tornado.web.RequestHandler):
    def initialize(self, room):
        self.room = room

    def fail(self, status, error):
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": error}))

    def cursor(self):
        try:
            after = int(self.get_query_argument("after", "0"))
        except ValueError:
            return None
        return after if after >= 0 else None


class MessagesHandler(Base):
    async def get(self):
        after = self.cursor()
        if after is None:
            return self.fail(400, '"after" must be a whole number >= 0')
        wait = self.get_query_argument("wait", None)
        self.set_header("Content-Type", "application/json")
        if wait is None or after < self.room.last_seq or after > self.room.last_seq:
            return self.finish(self.room.page(after))
        try:
            seconds = int(wait)
        except ValueError:
            return self.fail(400, '"wait" must be 1…60')
        if not 1 <= seconds <= 60:
            return self.fail(400, '"wait" must be 1…60')
        future = asyncio.get_running_loop().create_future()
        entry = (future, after)
        self.room.waiters.add(entry)
        self._waiter = entry
        try:
            body = await asyncio.wait_for(asyncio.shield(future), seconds)
        except asyncio.TimeoutError:
            self.room.waiters.discard(entry)
            body = self.room.page(after)
        if not self.request.connection.stream.closed():
            self.finish(body)

    def on_connection_close(self):
        entry = getattr(self, "_waiter", None)
        if entry:
            self.room.waiters.discard(entry)
            if not entry[0].done():
                entry[0].cancel()

    def post(self):
        content_type = self.request.headers.get("Content-Type", "")
        try:
            if content_type.startswith("application/json"):
                body = json.loads(self.request.body)
                nick, text = body.get("nick"), body.get("text")
            else:
                nick = self.get_body_argument("nick", None)
                text = self.get_body_argument("text", None)
        except (ValueError, AttributeError):
            return self.fail(400, "malformed body")
        error = valid(nick, text)
        if error:
            return self.fail(400, error)
        message = self.room.add(nick.strip(), text)
        self.set_status(201)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"seq": message["seq"], "ts": message["ts"]}))


class RoomHandler(Base):
    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"room": self.room.name, "protocol": PROTOCOL,
                                "last_seq": self.room.last_seq, "key_required": False,
                                "online": [], "now": now_ms()}))


class ChatSocket(tornado.websocket.WebSocketHandler):
    def initialize(self, room):
        self.room = room
        self.nick = None

    def check_origin(self, origin):
        return True

    def open(self):
        try:
            after = int(self.get_query_argument("after", "0"))
        except ValueError:
            after = 0
        nick = self.get_query_argument("nick", None)
        self.nick = nick.strip() if nick else None
        items, gap, reset = self.room.after(max(0, after))
        self.write_message(json.dumps({
            "type": "hello", "room": self.room.name, "protocol": PROTOCOL,
            "last_seq": self.room.last_seq, "gap": gap, "reset": reset,
            "observer": self.nick is None, "now": now_ms()}, separators=(",", ":")))
        for message in items:
            self.write_message(json.dumps(dict(message, type="message"), separators=(",", ":")))
        self.room.sockets.add(self)

    def on_message(self, data):
        try:
            event = json.loads(data)
        except ValueError:
            return self.error(400, "malformed JSON", None)
        if not isinstance(event, dict) or event.get("type") != "send":
            return self.error(400, "unknown event", event.get("id") if isinstance(event, dict) else None)
        if not self.nick:
            return self.error(403, "observers cannot send", event.get("id"))
        error = valid(self.nick, event.get("text"))
        if error:
            return self.error(400, error, event.get("id"))
        message = self.room.add(self.nick, event["text"])
        if "id" in event:
            self.write_message(json.dumps({"type": "ack", "id": event["id"], "seq": message["seq"],
                                           "ts": message["ts"]}, separators=(",", ":")))

    def error(self, code, text, ident):
        event = {"type": "error", "code": code, "error": text}
        if ident is not None:
            event["id"] = ident
        self.write_message(json.dumps(event))

    def on_close(self):
        self.room.sockets.discard(self)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--history", type=int, default=10000)
    parser.add_argument("--name", default="Tornado reference")
    args = parser.parse_args()

    room = Room(args.name, args.history)
    app = tornado.web.Application([
        (r"/api/messages", MessagesHandler, {"room": room}),
        (r"/api/room", RoomHandler, {"room": room}),
        (r"/ws", ChatSocket, {"room": room}),
    ], websocket_ping_interval=None)
    sockets = tornado.netutil.bind_sockets(args.port, args.bind, family=socket.AF_INET,
                                           backlog=4096)
    server = tornado.httpserver.HTTPServer(app, idle_connection_timeout=120)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    print(f"Tornado reference room is open. Join at:\n  http://{args.bind}:{port}/", flush=True)
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
