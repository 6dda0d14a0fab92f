<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppOptions</name>
    <message>
        <source>PushChat: a LAN chat that shows what short polling, long polling and WebSocket cost.
Without options it opens the start screen.</source>
        <translation>PushChat：一个局域网聊天程序，让你看到短轮询、长轮询和 WebSocket 各自的开销。
不带选项时打开开始界面。</translation>
    </message>
    <message>
        <source>Host a room at once, skipping the start screen.</source>
        <translation>跳过开始界面，立即主持一个房间。</translation>
    </message>
    <message>
        <source>Port to host on (default 8765; 0 picks a free one).</source>
        <translation>主持房间所用的端口（默认 8765；0 表示自动选一个空闲端口）。</translation>
    </message>
    <message>
        <source>Join the room at this address (http://host:port or host:port).</source>
        <translation>加入这个地址上的房间（http://主机:端口 或 主机:端口）。</translation>
    </message>
    <message>
        <source>Your nick.</source>
        <translation>你的昵称。</translation>
    </message>
    <message>
        <source>The room key.</source>
        <translation>房间密钥。</translation>
    </message>
    <message>
        <source>Name of the room to host.</source>
        <translation>要主持的房间名称。</translation>
    </message>
    <message>
        <source>Start in this mode: poll, longpoll or ws.</source>
        <translation>以这种方式开始：poll、longpoll 或 ws。</translation>
    </message>
    <message>
        <source>Switch mode by itself every SECONDS (Polling, Long polling, WebSocket, and again), for a class to watch.</source>
        <translation>每隔 SECONDS 秒自动切换方式（轮询、长轮询、WebSocket，依次循环），供全班观看。</translation>
    </message>
    <message>
        <source>Polling interval, 100 to 10000 ms.</source>
        <translation>轮询间隔，100 到 10000 毫秒。</translation>
    </message>
    <message>
        <source>Open the compare view once in the room: polling, long polling and WebSocket side by side.</source>
        <translation>进入房间后打开对比视图：轮询、长轮询和 WebSocket 并排显示。</translation>
    </message>
    <message>
        <source>In the compare view, let the bot send RATE messages a second (0.2 to 50); implies --compare.</source>
        <translation>在对比视图中让机器人每秒发送 RATE 条消息（0.2 到 50）；隐含 --compare。</translation>
    </message>
    <message>
        <source>Language of the window: en or zh_CN (default: as chosen in View &gt; Language, else the system&apos;s).</source>
        <translation>窗口的语言：en 或 zh_CN（默认：“视图 &gt; 语言”中的选择，否则跟随系统）。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>多余的参数：%1</translation>
    </message>
    <message>
        <source>Use either --host or --join, not both.</source>
        <translation>--host 和 --join 只能用一个。</translation>
    </message>
    <message>
        <source>--port needs a number from 0 to 65535, not &quot;%1&quot;.</source>
        <translation>--port 需要 0 到 65535 之间的数字，而不是“%1”。</translation>
    </message>
    <message>
        <source>--mode is poll, longpoll or ws, not &quot;%1&quot;.</source>
        <translation>--mode 只能是 poll、longpoll 或 ws，而不是“%1”。</translation>
    </message>
    <message>
        <source>--interval needs 100 to 10000 (milliseconds).</source>
        <translation>--interval 需要 100 到 10000（毫秒）。</translation>
    </message>
    <message>
        <source>--tour needs a number of seconds from 1 to 3600.</source>
        <translation>--tour 需要 1 到 3600 之间的秒数。</translation>
    </message>
    <message>
        <source>--lang is en or zh_CN, not &quot;%1&quot;.</source>
        <translation>--lang 只能是 en 或 zh_CN，而不是“%1”。</translation>
    </message>
    <message>
        <source>--bot needs 0.2 to 50 (messages a second).</source>
        <translation>--bot 需要 0.2 到 50（每秒消息数）。</translation>
    </message>
    <message>
        <source>Start in presentation mode: full screen, large type, the join banner (F11 or Esc leaves it).</source>
        <translation>以演示模式启动：全屏、大字号、显示加入横幅（按 F11 或 Esc 退出）。</translation>
    </message>
    <message>
        <source>When hosting, run a timed sequence of faults from FILE (e.g. &quot;5s drop&quot;, &quot;10s latency 800&quot;; docs/APP.md).</source>
        <translation>主持房间时，按 FILE 中的时间表依次制造故障（例如 &quot;5s drop&quot;、&quot;10s latency 800&quot;；见 docs/APP.md）。</translation>
    </message>
</context>
<context>
    <name>CliCommandLine</name>
    <message>
        <source>--lang is en or zh_CN, not &quot;%1&quot;.</source>
        <translation>--lang 只能是 en 或 zh_CN，而不是“%1”。</translation>
    </message>
    <message>
        <source>Terminal client for a PushChat room. Lines typed are sent; /mode poll|longpoll|ws switches transport, /stats prints what each transport cost, /quit leaves.</source>
        <translation>PushChat 房间的终端客户端。输入的每一行都会发送出去；/mode poll|longpoll|ws 切换传输方式，/stats 显示每种传输方式的开销，/quit 退出。</translation>
    </message>
    <message>
        <source>Server, e.g. http://127.0.0.1:8765.</source>
        <translation>服务器，例如 http://127.0.0.1:8765。</translation>
    </message>
    <message>
        <source>Your nick (none: observe only).</source>
        <translation>你的昵称（不填：只旁观）。</translation>
    </message>
    <message>
        <source>poll, longpoll or ws (default ws).</source>
        <translation>poll、longpoll 或 ws（默认 ws）。</translation>
    </message>
    <message>
        <source>Room key.</source>
        <translation>房间密钥。</translation>
    </message>
    <message>
        <source>Polling interval in ms, 100-10000.</source>
        <translation>轮询间隔（毫秒），100–10000。</translation>
    </message>
    <message>
        <source>Language of the messages: en or zh_CN (default: the system&apos;s).</source>
        <translation>提示信息的语言：en 或 zh_CN（默认跟随系统）。</translation>
    </message>
    <message>
        <source>--mode must be poll, longpoll or ws</source>
        <translation>--mode 必须是 poll、longpoll 或 ws</translation>
    </message>
    <message>
        <source>--interval must be 100 to 10000 ms</source>
        <translation>--interval 必须在 100 到 10000 毫秒之间</translation>
    </message>
    <message>
        <source>WebSocket ping every this many seconds, 1-120 (default 20): keeps an idle link through a proxy&apos;s timeout.</source>
        <translation>WebSocket 每隔这么多秒 ping 一次，1–120（默认 20）：让空闲的连接撑过代理的超时。</translation>
    </message>
    <message>
        <source>--heartbeat must be 1 to 120 seconds</source>
        <translation>--heartbeat 必须在 1 到 120 秒之间</translation>
    </message>
    <message>
        <source>For https://: also trust the certificates in this PEM file (a self-signed room&apos;s own certificate).</source>
        <translation>用于 https://：也信任这个 PEM 文件中的证书（自签名房间自己的证书）。</translation>
    </message>
    <message>
        <source>For https://: accept the server certificate with this SHA-256 fingerprint (as the host shows it).</source>
        <translation>用于 https://：接受具有这个 SHA-256 指纹的服务器证书（与主持人显示的一致）。</translation>
    </message>
    <message>
        <source>--url http://HOST:PORT or https://HOST:PORT is required</source>
        <translation>必须给出 --url http://主机:端口 或 https://主机:端口</translation>
    </message>
    <message>
        <source>--ca: %1</source>
        <translation>--ca：%1</translation>
    </message>
    <message>
        <source>--fingerprint must be SHA256:AB:CD:… or 64 hex digits</source>
        <translation>--fingerprint 必须是 SHA256:AB:CD:… 或 64 位十六进制数</translation>
    </message>
</context>
<context>
    <name>Fault</name>
    <message>
        <source>drop all</source>
        <translation>全部断开</translation>
    </message>
    <message>
        <source>latency %1 ms</source>
        <translation>延迟 %1 毫秒</translation>
    </message>
    <message>
        <source>latency off</source>
        <translation>取消延迟</translation>
    </message>
    <message>
        <source>proxy timeout %1 s</source>
        <translation>代理超时 %1 秒</translation>
    </message>
    <message>
        <source>proxy timeout off</source>
        <translation>取消代理超时</translation>
    </message>
    <message>
        <source>block %1</source>
        <translation>阻止 %1</translation>
    </message>
    <message>
        <source>unblock</source>
        <translation>取消阻止</translation>
    </message>
    <message>
        <source>restart</source>
        <translation>重启</translation>
    </message>
</context>
<context>
    <name>FaultScript</name>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a time such as 5s or 800ms</source>
        <translation>“%1”不是 5s 或 800ms 这样的时间</translation>
    </message>
    <message>
        <source>&quot;%1&quot; needs one argument</source>
        <translation>“%1”需要一个参数</translation>
    </message>
    <message>
        <source>&quot;%1&quot; takes no argument</source>
        <translation>“%1”不带参数</translation>
    </message>
    <message>
        <source>latency must be 0…%1 ms</source>
        <translation>latency 必须在 0…%1 毫秒之间</translation>
    </message>
    <message>
        <source>proxy-timeout must be 0 (off) or 1…%1 s</source>
        <translation>proxy-timeout 必须是 0（关）或 1…%1 秒</translation>
    </message>
    <message>
        <source>block takes websocket, longpoll, polling or none</source>
        <translation>block 只接受 websocket、longpoll、polling 或 none</translation>
    </message>
    <message>
        <source>unknown fault &quot;%1&quot;; use drop, latency, proxy-timeout, block or restart</source>
        <translation>未知的故障“%1”；请用 drop、latency、proxy-timeout、block 或 restart</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>OnlineTotals</name>
    <message>
        <source>%1 online — %2 polling · %3 long polling · %4 WebSocket · %5 other</source>
        <translation>%1 人在线——轮询 %2 · 长轮询 %3 · WebSocket %4 · 其他 %5</translation>
    </message>
    <message>
        <source>Connected: %1 — %2 polling · %3 long polling · %4 WebSocket · %5 other</source>
        <translation>已连接：%1——轮询 %2 · 长轮询 %3 · WebSocket %4 · 其他 %5</translation>
    </message>
</context>
<context>
    <name>PollInterval</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>PushChat::ChatClient</name>
    <message>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>connected via %1</source>
        <translation>已通过 %1 连接</translation>
    </message>
    <message>
        <source>%1; retrying in %2 s</source>
        <translation>%1；%2 秒后重试</translation>
    </message>
</context>
<context>
    <name>PushChat::ChatPage</name>
    <message>
        <source>Mode:</source>
        <translation>方式：</translation>
    </message>
    <message>
        <source>How it &amp;works</source>
        <translation>工作原理(&amp;W)</translation>
    </message>
    <message>
        <source>What the client and the server do in this mode, what it costs, and when it is the right choice</source>
        <translation>这种方式下客户端和服务器各做什么、开销多少、什么场合适用</translation>
    </message>
    <message>
        <source>How often polling asks the server: 100 ms to 10 s</source>
        <translation>轮询多久问一次服务器：100 毫秒到 10 秒</translation>
    </message>
    <message>
        <source>Polling &amp;interval:</source>
        <translation>轮询间隔(&amp;I)：</translation>
    </message>
    <message>
        <source>Reconnect &amp;now</source>
        <translation>立即重连(&amp;N)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Type a message and press Enter</source>
        <translation>输入消息，按回车发送</translation>
    </message>
    <message>
        <source>The room counts a message&apos;s length in bytes (UTF-8): a Chinese character takes three, a Latin letter one.</source>
        <translation>房间按字节（UTF-8）计算消息长度：一个汉字占三个字节，一个拉丁字母占一个。</translation>
    </message>
    <message>
        <source>Transport inspector — what each mode cost so far</source>
        <translation>传输检查器——每种方式到目前为止的开销</translation>
    </message>
    <message>
        <source>Timeline — the last 30 seconds</source>
        <translation>时间线——最近 30 秒</translation>
    </message>
    <message>
        <source>every %1</source>
        <translation>每 %1</translation>
    </message>
    <message>
        <source>Too long to send: %1 bytes, and the room takes at most %2. Shorten it, or send it in parts.</source>
        <translation>太长，无法发送：%1 字节，而房间最多接受 %2 字节。请缩短，或分几次发送。</translation>
    </message>
    <message>
        <source>%1 / %2 bytes</source>
        <translation>%1 / %2 字节</translation>
    </message>
    <message>
        <source>A message was not sent (%1)</source>
        <translation>有一条消息没有发送出去（%1）</translation>
    </message>
    <message>
        <source>Not sent: %1. Your text is back in the box.</source>
        <translation>未发送：%1。你的文字已放回输入框。</translation>
    </message>
    <message>
        <source>Not sent: %1.</source>
        <translation>未发送：%1。</translation>
    </message>
    <message>
        <source>Not sent: &quot;%1&quot; (%2)</source>
        <translation>未发送：“%1”（%2）</translation>
    </message>
    <message>
        <source> — trying again by itself; messages you type are sent once it is back.</source>
        <translation>——正在自动重试；连接恢复后，你输入的消息会发送出去。</translation>
    </message>
</context>
<context>
    <name>PushChat::CliSession</name>
    <message>
        <source>%1 joined</source>
        <translation>%1 加入了</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 离开了</translation>
    </message>
    <message>
        <source>reconnecting: %1</source>
        <translation>正在重连：%1</translation>
    </message>
    <message>
        <source>some messages after %1 were missed (evicted from the history)</source>
        <translation>%1 之后的一些消息丢失了（已被移出历史记录）</translation>
    </message>
    <message>
        <source>message %1 was refused: %2</source>
        <translation>消息 %1 被拒绝：%2</translation>
    </message>
    <message>
        <source>/mode poll|longpoll|ws</source>
        <translation>/mode poll|longpoll|ws</translation>
    </message>
    <message>
        <source>mode %1</source>
        <translation>方式 %1</translation>
    </message>
    <message>
        <source>an observer (no --nick) cannot send</source>
        <translation>旁观者（没有 --nick）不能发送消息</translation>
    </message>
    <message>
        <source>clock offset %1 ms (±%2 ms), mode %3</source>
        <translation>时钟偏差 %1 毫秒（±%2 毫秒），方式 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) not confirmed by the server: %1</source>
        <translation>
            <numerusform>%n 条消息没有得到服务器确认：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
    <message>
        <source>the room has another history now (a restart without its store, or cleared): showing it from the start</source>
        <translation>房间现在是另一份历史记录了（重启时没有保留存储，或已被清除）：从头显示</translation>
    </message>
</context>
<context>
    <name>PushChat::ClientTls</name>
    <message>
        <source>The server&apos;s certificate is not trusted (%1). Trust it with its CA file or pin its SHA-256 fingerprint.</source>
        <translation>服务器的证书不受信任（%1）。请用它的 CA 文件信任它，或者固定它的 SHA-256 指纹。</translation>
    </message>
</context>
<context>
    <name>PushChat::CompareCounters</name>
    <message>
        <source>%1 /min</source>
        <translation>%1 /分钟</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation>收到的消息</translation>
    </message>
    <message>
        <source>Messages delivered to this observer.</source>
        <translation>投递给这个观察者的消息。</translation>
    </message>
    <message>
        <source>HTTP requests</source>
        <translation>HTTP 请求</translation>
    </message>
    <message>
        <source>Requests a minute after the connection was set up (a WebSocket makes none).</source>
        <translation>连接建立之后每分钟的请求数（WebSocket 一个也不发）。</translation>
    </message>
    <message>
        <source>Empty responses</source>
        <translation>空响应</translation>
    </message>
    <message>
        <source>Answers that carried no message, a minute.</source>
        <translation>每分钟不带任何消息的响应。</translation>
    </message>
    <message>
        <source>Header bytes</source>
        <translation>头部字节</translation>
    </message>
    <message>
        <source>HTTP heads and WebSocket frame headers a minute, both ways, without the connection setup.</source>
        <translation>每分钟双向的 HTTP 头和 WebSocket 帧头，不含建立连接的开销。</translation>
    </message>
    <message>
        <source>Payload bytes</source>
        <translation>有效载荷字节</translation>
    </message>
    <message>
        <source>Message bodies and frame payloads a minute, both ways.</source>
        <translation>每分钟双向的消息正文和帧载荷。</translation>
    </message>
    <message>
        <source>Connection setup</source>
        <translation>建立连接</translation>
    </message>
    <message>
        <source>Paid once per connection, not per message: TCP connections opened and the WebSocket handshake.</source>
        <translation>每条连接只付一次，而不是每条消息都付：打开的 TCP 连接和 WebSocket 握手。</translation>
    </message>
    <message numerus="yes">
        <source>%n conn., %1</source>
        <translation>
            <numerusform>%n 条连接，%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>延迟 p50</translation>
    </message>
    <message>
        <source>From the server storing a message to it arriving here: median.</source>
        <translation>从服务器存下消息到它到达这里：中位数。</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>延迟 p95</translation>
    </message>
    <message>
        <source>95 of 100 messages arrived at least this fast.</source>
        <translation>100 条消息中有 95 条至少这么快到达。</translation>
    </message>
    <message>
        <source>over %1:%2 min</source>
        <translation>统计 %1:%2 分钟</translation>
    </message>
</context>
<context>
    <name>PushChat::CompareModel</name>
    <message>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>+%1 ms  ★ fastest</source>
        <translation>+%1 毫秒  ★ 最快</translation>
    </message>
    <message>
        <source>+%1 ms</source>
        <translation>+%1 毫秒</translation>
    </message>
    <message>
        <source>From the server storing the message to %1 delivering it here.</source>
        <translation>从服务器存下消息到%1把它送到这里。</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>PushChat::CompareView</name>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>已发送 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Bot sends</source>
        <translation>机器人发送</translation>
    </message>
    <message>
        <source> msg/s</source>
        <translation> 条/秒</translation>
    </message>
    <message>
        <source>Messages a second the bot sends: 0.2 to 50</source>
        <translation>机器人每秒发送的消息数：0.2 到 50</translation>
    </message>
    <message>
        <source>Stop &amp;bot</source>
        <translation>停止机器人(&amp;B)</translation>
    </message>
    <message>
        <source>Start &amp;bot</source>
        <translation>启动机器人(&amp;B)</translation>
    </message>
    <message>
        <source>Send a b&amp;urst of</source>
        <translation>一次突发发送(&amp;U)</translation>
    </message>
    <message>
        <source>How often the polling observer asks: 100 ms to 10 s</source>
        <translation>轮询观察者多久问一次：100 毫秒到 10 秒</translation>
    </message>
    <message>
        <source>Polling &amp;every</source>
        <translation>轮询间隔(&amp;E)</translation>
    </message>
    <message>
        <source>How it &amp;works</source>
        <translation>工作原理(&amp;W)</translation>
    </message>
    <message>
        <source>What each technique&apos;s client and server do, what it costs, and when it is the right choice</source>
        <translation>每种技术的客户端和服务器各做什么、开销多少、什么场合适用</translation>
    </message>
    <message>
        <source>Back to &amp;chat</source>
        <translation>返回聊天(&amp;C)</translation>
    </message>
</context>
<context>
    <name>PushChat::FaultsPanel</name>
    <message>
        <source>&amp;Drop all connections now</source>
        <translation>立即断开所有连接(&amp;D)</translation>
    </message>
    <message>
        <source>Every client loses its connection at once, as when a network drops: each must come back by itself, missing nothing.</source>
        <translation>所有客户端同时失去连接，就像网络中断一样：每个客户端都必须自己恢复，而且不漏掉任何消息。</translation>
    </message>
    <message>
        <source>Added &amp;latency:</source>
        <translation>附加延迟(&amp;L)：</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Added to every answer and frame the server sends: a slow network.</source>
        <translation>加在服务器发出的每个响应和每一帧上：模拟慢速网络。</translation>
    </message>
    <message>
        <source>&amp;Proxy timeout:</source>
        <translation>代理超时(&amp;P)：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>As a proxy does: requests held longer are ended (long polls come back empty and are asked again), WebSockets silent that long are cut, unless a heartbeat keeps them alive.</source>
        <translation>就像代理那样：挂起超过这个时间的请求会被结束（长轮询空手而归，然后重新请求），安静了这么久的 WebSocket 会被切断，除非有心跳让它保持活动。</translation>
    </message>
    <message>
        <source>&amp;Block:</source>
        <translation>阻止(&amp;B)：</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>不阻止</translation>
    </message>
    <message>
        <source>WebSocket upgrades</source>
        <translation>WebSocket 升级</translation>
    </message>
    <message>
        <source>long polls</source>
        <translation>长轮询</translation>
    </message>
    <message>
        <source>polls</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Refused with a clear error, as on a network whose proxy does not pass them: switch mode to show the fallback.</source>
        <translation>以明确的错误拒绝，就像网络中的代理不放行它们：切换方式来演示退路。</translation>
    </message>
    <message>
        <source>R&amp;estart the server</source>
        <translation>重启服务器(&amp;E)</translation>
    </message>
    <message>
        <source>Stops the server and starts it again on the same port, history kept: clients resume from where they were.</source>
        <translation>停止服务器，再在同一个端口上重新启动，历史记录保留：客户端从原来的位置继续。</translation>
    </message>
    <message>
        <source>&amp;Heartbeat (this window):</source>
        <translation>心跳（本窗口）(&amp;H)：</translation>
    </message>
    <message>
        <source>How often this window&apos;s WebSocket pings the server, from its next connection. Shorter than the proxy timeout, it keeps an idle link alive.</source>
        <translation>本窗口的 WebSocket 多久 ping 一次服务器，从下一次连接起生效。比代理超时短，就能让空闲的连接保持活动。</translation>
    </message>
    <message>
        <source>Last fault: %1 at %2</source>
        <translation>上一个故障：%1，发生于 %2</translation>
    </message>
</context>
<context>
    <name>PushChat::HowItWorksDialog</name>
    <message>
        <source>%1: how it works</source>
        <translation>%1的工作原理</translation>
    </message>
    <message>
        <source>The client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>The server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>What it costs</source>
        <translation>开销</translation>
    </message>
    <message>
        <source>When to choose it</source>
        <translation>适用场合</translation>
    </message>
    <message>
        <source>The client asks GET /api/messages?after=N at a fixed interval (1 s by default, 100 ms to 10 s), N being the newest seq it has shown.</source>
        <translation>客户端按固定间隔（默认 1 秒，可在 100 毫秒到 10 秒之间调节）发送 GET /api/messages?after=N，N 是它已显示的最新 seq。</translation>
    </message>
    <message>
        <source>The server answers each request at once with the messages after N, usually none, and keeps nothing for the client until its next request.</source>
        <translation>服务器对每个请求立即回答 N 之后的消息（通常一条也没有），在下一个请求到来之前不为这个客户端保留任何东西。</translation>
    </message>
    <message>
        <source>Every round trip costs HTTP headers both ways, news or not, so requests grow with clients × rate; most answers are empty, and a message waits half an interval on average before it is seen.</source>
        <translation>不管有没有新消息，每次往返都要双向发送 HTTP 头，请求数随客户端数 × 频率增长；大多数响应是空的，一条消息平均要等半个间隔才被看到。</translation>
    </message>
    <message>
        <source>The simplest to build and to debug, fine when news is rare or a delay does not matter — but wasteful: a shorter interval buys speed with many more empty answers.</source>
        <translation>实现和调试都最简单，适合新消息很少或不在乎延迟的场合——但很浪费：缩短间隔换来的速度，要用多得多的空响应来换。</translation>
    </message>
    <message>
        <source>The client asks GET /api/messages?after=N&amp;wait=25 and sends the next request as soon as an answer comes back.</source>
        <translation>客户端发送 GET /api/messages?after=N&amp;wait=25，一收到响应就立刻发出下一个请求。</translation>
    </message>
    <message>
        <source>The server holds the request until a message after N is stored, then answers every waiting poll with the same bytes; after 25 s without news it answers with an empty list.</source>
        <translation>服务器把请求挂起，直到存下 N 之后的消息，再用同样的字节回答所有等待中的轮询；25 秒内没有新消息，就回答一个空列表。</translation>
    </message>
    <message>
        <source>Messages arrive almost at once and empty answers are rare (one per 25 s of quiet), but each delivery still costs a new request with full headers, and the server holds an open connection for every waiting client.</source>
        <translation>消息几乎立即到达，空响应很少（安静时每 25 秒一个），但每次投递仍要一个带完整 HTTP 头的新请求，服务器还要为每个等待的客户端保持一条打开的连接。</translation>
    </message>
    <message>
        <source>It works through anything that speaks HTTP — old proxies, strict firewalls — so it is the safe choice when you need push. But it holds a request for up to 25 s: a proxy or NAT box with a shorter timeout cuts it, and the client must simply ask again.</source>
        <translation>凡是能走 HTTP 的地方它都能用——老式代理、严格的防火墙——所以需要推送时它是稳妥的选择。但它要把请求挂起最长 25 秒：超时更短的代理或 NAT 设备会把它切断，客户端只需重新请求。</translation>
    </message>
    <message>
        <source>The client opens one connection with GET /ws?after=N and an Upgrade: websocket handshake, then sends its messages on it as small JSON frames ({&quot;type&quot;:&quot;send&quot;,…}).</source>
        <translation>客户端用 GET /ws?after=N 加上 Upgrade: websocket 握手打开一条连接，之后在这条连接上以小的 JSON 帧（{&quot;type&quot;:&quot;send&quot;,…}）发送消息。</translation>
    </message>
    <message>
        <source>The server answers 101 Switching Protocols, sends a hello and the messages the client missed, then pushes each new message as one frame the moment it is stored, and confirms each send with an ack.</source>
        <translation>服务器回答 101 Switching Protocols，发送 hello 和客户端错过的消息，之后每存下一条新消息就立即作为一帧推送出去，并用 ack 确认每次发送。</translation>
    </message>
    <message>
        <source>After the handshake a message costs its JSON plus a few bytes of framing, both ways on the one connection; nothing is sent while nothing happens, and the server keeps one open connection per client.</source>
        <translation>握手之后，一条消息只花它的 JSON 加上几个字节的帧头，双向都走同一条连接；没有事情时什么也不发送，服务器为每个客户端保持一条打开的连接。</translation>
    </message>
    <message>
        <source>Full duplex with the least delay and traffic: the right choice for chat and live figures, if every hop on the path (proxy, load balancer, firewall) passes the Upgrade; where one does not, fall back to long polling.</source>
        <translation>全双工，延迟和流量都最小：聊天和实时数据的正确选择——前提是路径上的每一跳（代理、负载均衡器、防火墙）都放行 Upgrade；不放行时，退回到长轮询。</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>工作原理</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>PushChat::HttpClient</name>
    <message>
        <source>Malformed HTTP status line</source>
        <translation>HTTP 状态行格式错误</translation>
    </message>
    <message>
        <source>Connection closed by the server</source>
        <translation>服务器关闭了连接</translation>
    </message>
    <message>
        <source>No answer within %1 ms</source>
        <translation>%1 毫秒内没有响应</translation>
    </message>
</context>
<context>
    <name>PushChat::InspectorModel</name>
    <message>
        <source>HTTP requests</source>
        <translation>HTTP 请求</translation>
    </message>
    <message>
        <source>Empty responses</source>
        <translation>空响应</translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation>收到的消息</translation>
    </message>
    <message>
        <source>Bytes up</source>
        <translation>上行字节</translation>
    </message>
    <message>
        <source>Bytes down</source>
        <translation>下行字节</translation>
    </message>
    <message>
        <source>Bytes per message</source>
        <translation>每条消息的字节数</translation>
    </message>
    <message>
        <source>Open connections</source>
        <translation>打开的连接</translation>
    </message>
    <message>
        <source>WebSocket frames</source>
        <translation>WebSocket 帧</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>重连次数</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>延迟 p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>延迟 p95</translation>
    </message>
    <message>
        <source>Latency max</source>
        <translation>最大延迟</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Long polling</source>
        <translation>长轮询</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Counted on the wire: HTTP heads and bodies, WebSocket handshake and frames.</source>
        <translation>按线路上的实际字节计算：HTTP 头和正文、WebSocket 握手和帧。</translation>
    </message>
    <message>
        <source>All bytes up and down but the connection setup (the WebSocket handshake, paid once), divided by the messages delivered.</source>
        <translation>除建立连接（只付一次的 WebSocket 握手）以外的全部上下行字节，除以投递的消息数。</translation>
    </message>
    <message>
        <source>From the server storing a message to it arriving here, over the last %1 messages, corrected for the difference between the two clocks.</source>
        <translation>从服务器存下消息到它到达这里，统计最近 %1 条消息，已按两边时钟的偏差校正。</translation>
    </message>
    <message>
        <source>%1 (now)</source>
        <translation>%1（当前）</translation>
    </message>
    <message>
        <source>Time to recover</source>
        <translation>恢复时间</translation>
    </message>
    <message>
        <source>The last time the link was lost (a drop, a restart, a proxy timeout): how long until it was back. Longest so far: %1 ms.</source>
        <translation>最近一次连接中断（断开、重启、代理超时）后，多久恢复。到目前为止最长：%1 毫秒。</translation>
    </message>
</context>
<context>
    <name>PushChat::JoinBanner</name>
    <message>
        <source>Join from a phone or laptop on this network:</source>
        <translation>用这个网络上的手机或笔记本电脑加入：</translation>
    </message>
    <message>
        <source>&amp;Copy address</source>
        <translation>复制地址(&amp;C)</translation>
    </message>
    <message numerus="yes">
        <source>More addresses (%n)</source>
        <translation>
            <numerusform>更多地址（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>This computer has no network address right now: only programs on it can join.</source>
        <translation>这台电脑现在没有网络地址：只有本机上的程序能加入。</translation>
    </message>
    <message>
        <source>A browser at this address gets the web client too.</source>
        <translation>用浏览器打开这个地址也能得到网页客户端。</translation>
    </message>
    <message>
        <source>They also need the room key.</source>
        <translation>他们还需要房间密钥。</translation>
    </message>
    <message>
        <source>The certificate&apos;s fingerprint: %1</source>
        <translation>证书指纹：%1</translation>
    </message>
</context>
<context>
    <name>PushChat::MainWindow</name>
    <message>
        <source>Port %1 is already in use.</source>
        <translation>端口 %1 已被占用。</translation>
    </message>
    <message>
        <source>Another program on this computer is listening on port %1 — perhaps another PushChat that is hosting a room already.

Choose another port (others then join with that port), stop the other program, or join the room it hosts instead.

The server said: %2</source>
        <translation>这台电脑上的另一个程序正在监听端口 %1——也许是另一个正在主持房间的 PushChat。

请换一个端口（其他人随后用那个端口加入），或者关掉那个程序，或者改为加入它主持的房间。

服务器的原话：%2</translation>
    </message>
    <message>
        <source>Port %1 needs administrator rights.</source>
        <translation>端口 %1 需要管理员权限。</translation>
    </message>
    <message>
        <source>Ports below 1024 are reserved for administrators; try a port such as 8765, or let PushChat pick a free one.

The server said: %1</source>
        <translation>1024 以下的端口留给管理员使用；请试试 8765 这样的端口，或者让 PushChat 自动选一个空闲端口。

服务器的原话：%1</translation>
    </message>
    <message>
        <source>This computer has no such address to host on.</source>
        <translation>这台电脑没有这个地址，无法在上面主持房间。</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>服务器的原话：%1</translation>
    </message>
    <message>
        <source>The room could not be started.</source>
        <translation>无法启动房间。</translation>
    </message>
    <message>
        <source>The server said: %1

Try another port, or let PushChat pick a free one.</source>
        <translation>服务器的原话：%1

请换一个端口，或者让 PushChat 自动选一个空闲端口。</translation>
    </message>
    <message>
        <source>Cannot host the room</source>
        <translation>无法主持房间</translation>
    </message>
    <message>
        <source>Use &amp;any free port</source>
        <translation>使用任意空闲端口(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Choose another port</source>
        <translation>另选端口(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Every delivered message and every request and frame of this view</source>
        <translation>这个视图中投递的每条消息以及每个请求和帧</translation>
    </message>
    <message>
        <source>Export &amp;picture (PNG)…</source>
        <translation>导出图片 (PNG)(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>C&amp;ompare the three techniques</source>
        <translation>对比三种技术(&amp;O)</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Watch every message arrive by polling, long polling and WebSocket side by side</source>
        <translation>并排观看每条消息经由轮询、长轮询和 WebSocket 到达</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Export picture</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Text at %1 %</source>
        <translation>文字大小 %1%</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen, large type, the essentials only (Esc leaves)</source>
        <translation>全屏、大字号、只显示要点（按 Esc 退出）</translation>
    </message>
    <message>
        <source>Leave presentation mode</source>
        <translation>退出演示模式</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Fault: %1</source>
        <translation>故障：%1</translation>
    </message>
    <message>
        <source>Fault script</source>
        <translation>故障脚本</translation>
    </message>
    <message>
        <source>The fault script was not run: %1</source>
        <translation>故障脚本没有运行：%1</translation>
    </message>
    <message>
        <source>&amp;Faults (when hosting)</source>
        <translation>故障(&amp;F)（主持时）</translation>
    </message>
</context>
<context>
    <name>PushChat::MessageDelegate</name>
    <message>
        <source> (you)</source>
        <translation>（你）</translation>
    </message>
    <message numerus="yes">
        <source>Show more (%n more line(s))</source>
        <translation>
            <numerusform>展开全文（还有 %n 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>Show less</source>
        <translation>收起</translation>
    </message>
</context>
<context>
    <name>PushChat::MessageListModel</name>
    <message>
        <source>%1 joined</source>
        <translation>%1 加入了</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 离开了</translation>
    </message>
    <message>
        <source>Some messages were missed here: the room no longer had them.</source>
        <translation>这里漏掉了一些消息：房间已不再保存它们。</translation>
    </message>
    <message>
        <source>Message %1, stored by the server at %2</source>
        <translation>消息 %1，服务器于 %2 存下</translation>
    </message>
    <message>
        <source>The room&apos;s history begins again here (the room was restarted without it, or its history was cleared).</source>
        <translation>房间的历史记录从这里重新开始（房间重启时没有保留历史，或者历史记录被清除了）。</translation>
    </message>
</context>
<context>
    <name>PushChat::ModeToggle</name>
    <message>
        <source>Polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Short polling: ask the server every interval whether there is news (Ctrl+1)</source>
        <translation>短轮询：每隔一段时间问一次服务器有没有新消息（Ctrl+1）</translation>
    </message>
    <message>
        <source>Long polling</source>
        <translation>长轮询</translation>
    </message>
    <message>
        <source>Long polling: ask once, the server answers when there is news (Ctrl+2)</source>
        <translation>长轮询：问一次，服务器等有新消息时才回答（Ctrl+2）</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>WebSocket: one connection open both ways, the server pushes (Ctrl+3)</source>
        <translation>WebSocket：一条双向打开的连接，由服务器推送（Ctrl+3）</translation>
    </message>
</context>
<context>
    <name>PushChat::PresentationBar</name>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Leave presentation (Esc)</source>
        <translation>退出演示（Esc）</translation>
    </message>
</context>
<context>
    <name>PushChat::QrCodeWidget</name>
    <message>
        <source>Scan to open %1</source>
        <translation>扫码打开 %1</translation>
    </message>
</context>
<context>
    <name>PushChat::RoomPanel</name>
    <message>
        <source>sender only (HTTP posts)</source>
        <translation>只发送（HTTP POST）</translation>
    </message>
    <message>
        <source>Others join at</source>
        <translation>其他人从这里加入</translation>
    </message>
    <message>
        <source>People online</source>
        <translation>在线的人</translation>
    </message>
    <message>
        <source>Server counters (/api/stats)</source>
        <translation>服务器计数（/api/stats）</translation>
    </message>
    <message>
        <source>Poll</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Long</source>
        <translation>长轮询</translation>
    </message>
    <message>
        <source>WS</source>
        <translation>WS</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空响应</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>KB in</source>
        <translation>收 KB</translation>
    </message>
    <message>
        <source>KB out</source>
        <translation>发 KB</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>&amp;Stop hosting</source>
        <translation>停止主持(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Leave room</source>
        <translation>离开房间(&amp;L)</translation>
    </message>
    <message>
        <source>Closes the room for everyone and goes back to the start screen.</source>
        <translation>为所有人关闭房间，并回到开始界面。</translation>
    </message>
    <message>
        <source>Leaves the room and goes back to the start screen.</source>
        <translation>离开房间，回到开始界面。</translation>
    </message>
    <message>
        <source> (you)</source>
        <translation>（你）</translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation>还没有人</translation>
    </message>
    <message>
        <source>Up %1 s · %2 messages stored · %3 long polls waiting</source>
        <translation>已运行 %1 秒 · 存有 %2 条消息 · %3 个长轮询在等待</translation>
    </message>
    <message>
        <source>Open connections at the server, observers and simulated clients included: they have no nick, so the list does not show them</source>
        <translation>服务器上打开的连接，包括观察者和模拟客户端：它们没有昵称，所以名单里不显示</translation>
    </message>
    <message>
        <source>C&amp;lear history…</source>
        <translation>清除历史记录(&amp;L)…</translation>
    </message>
    <message>
        <source>Deletes every message of this room, for everyone in it; the room goes on.</source>
        <translation>为房间里的所有人删除这个房间的全部消息；房间继续开放。</translation>
    </message>
    <message>
        <source>History: in memory until the app closes</source>
        <translation>历史记录：保存在内存中，直到程序关闭</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>历史记录：%1</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>清除历史记录</translation>
    </message>
    <message>
        <source>Delete every message of this room, for everyone in it? This cannot be undone.</source>
        <translation>要为房间里的所有人删除这个房间的全部消息吗？此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>PushChat::ServerCostPanel</name>
    <message>
        <source>Monitoring</source>
        <translation>监控</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Requests + frames /s</source>
        <translation>请求 + 帧 /秒</translation>
    </message>
    <message>
        <source>KB/s</source>
        <translation>KB/秒</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Server CPU</source>
        <translation>服务器 CPU</translation>
    </message>
    <message>
        <source>Simulate extra clients</source>
        <translation>模拟更多客户端</translation>
    </message>
    <message>
        <source>HTTP requests a second, plus WebSocket frames in and out</source>
        <translation>每秒 HTTP 请求数，加上收发的 WebSocket 帧数</translation>
    </message>
    <message>
        <source>Bytes in and out a second at the server&apos;s sockets, in kilobytes</source>
        <translation>服务器套接字每秒收发的字节数，单位 KB</translation>
    </message>
    <message>
        <source>Share of one core the server&apos;s thread spends on this row&apos;s work, measured with the thread&apos;s own CPU clock</source>
        <translation>服务器线程花在这一行工作上的 CPU 占单核的比例，用线程自己的 CPU 时钟测量</translation>
    </message>
    <message>
        <source>Extra clients that only receive, run by this app on a thread of their own</source>
        <translation>只接收消息的额外客户端，由本程序在单独的线程上运行</translation>
    </message>
    <message>
        <source>Reading the room and the counters (every client does now and then): not a transport&apos;s cost. This app reads its own server&apos;s counters without a request.</source>
        <translation>读取房间信息和计数（每个客户端都会不时读取）：不算任何传输方式的开销。本程序读取自己服务器的计数时不发请求。</translation>
    </message>
    <message>
        <source>Page loads, posts that do not say their transport, accepting connections, housekeeping</source>
        <translation>页面加载、没有注明传输方式的发送、接受连接、日常维护</translation>
    </message>
    <message>
        <source>&amp;Server cost</source>
        <translation>服务器开销(&amp;S)</translation>
    </message>
    <message>
        <source>What the server spends per technique, and extra simulated clients</source>
        <translation>服务器在每种技术上的开销，以及额外的模拟客户端</translation>
    </message>
    <message>
        <source>How many extra clients: 1 to 1,000</source>
        <translation>额外客户端的数量：1 到 1,000</translation>
    </message>
    <message>
        <source>Server cost: waiting for the first counters…</source>
        <translation>服务器开销：正在等待第一批计数…</translation>
    </message>
    <message>
        <source>Stop (%1 of %2 connected)</source>
        <translation>停止（已连接 %1 / %2）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>CPU, share of one core: server thread %1 % · simulated clients %2 % · rest of this app %3 %</source>
        <translation>CPU 占单核的比例：服务器线程 %1% · 模拟客户端 %2% · 本程序其余部分 %3%</translation>
    </message>
</context>
<context>
    <name>PushChat::SessionController</name>
    <message>
        <source>You left the room.</source>
        <translation>你离开了房间。</translation>
    </message>
    <message>
        <source>You stopped hosting the room.</source>
        <translation>你停止了主持房间。</translation>
    </message>
    <message>
        <source>Not in a room</source>
        <translation>不在房间里</translation>
    </message>
    <message>
        <source>Starting the room…</source>
        <translation>正在启动房间…</translation>
    </message>
    <message>
        <source>Stopping the room…</source>
        <translation>正在停止房间…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>Reconnecting… (%1)</source>
        <translation>正在重连…（%1）</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>已断开：%1</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <source>hosting</source>
        <translation>主持中</translation>
    </message>
</context>
<context>
    <name>PushChat::StartPage</name>
    <message>
        <source>Chat on your network, and see what short polling, long polling and WebSocket cost while you do.</source>
        <translation>在你的网络上聊天，同时看到短轮询、长轮询和 WebSocket 各自的开销。</translation>
    </message>
    <message>
        <source>Host a room</source>
        <translation>主持房间</translation>
    </message>
    <message>
        <source>Runs the room on this computer. Others on your network join with the address shown next.</source>
        <translation>在这台电脑上运行房间。你网络上的其他人用接下来显示的地址加入。</translation>
    </message>
    <message>
        <source>Room &amp;name:</source>
        <translation>房间名称(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. Class 4B</source>
        <translation>例如：四年级二班</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Room &amp;key:</source>
        <translation>房间密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Your ni&amp;ck:</source>
        <translation>你的昵称(&amp;C)：</translation>
    </message>
    <message>
        <source>your name in the chat</source>
        <translation>你在聊天中的名字</translation>
    </message>
    <message>
        <source>&amp;Host room</source>
        <translation>主持房间(&amp;H)</translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation>加入房间</translation>
    </message>
    <message>
        <source>Type the address the host&apos;s window shows.</source>
        <translation>输入主持人窗口上显示的地址。</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>http://192.168.1.20:8765</source>
        <translation>http://192.168.1.20:8765</translation>
    </message>
    <message>
        <source>Yo&amp;ur nick:</source>
        <translation>你的昵称(&amp;U)：</translation>
    </message>
    <message>
        <source>Room k&amp;ey:</source>
        <translation>房间密钥(&amp;E)：</translation>
    </message>
    <message>
        <source>if the host set one</source>
        <translation>如果主持人设置了密钥</translation>
    </message>
    <message>
        <source>&amp;Join room</source>
        <translation>加入房间(&amp;J)</translation>
    </message>
    <message>
        <source>Start in &amp;mode:</source>
        <translation>开始时的方式(&amp;M)：</translation>
    </message>
    <message>
        <source>(you can switch at any time in the chat)</source>
        <translation>（在聊天中随时可以切换）</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Long polling</source>
        <translation>长轮询</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>TLS cer&amp;tificate:</source>
        <translation>TLS 证书(&amp;T)：</translation>
    </message>
    <message>
        <source>optional: PEM file, serves https://</source>
        <translation>可选：PEM 文件，提供 https://</translation>
    </message>
    <message>
        <source>TLS private ke&amp;y:</source>
        <translation>TLS 私钥(&amp;Y)：</translation>
    </message>
    <message>
        <source>the certificate&apos;s PEM key</source>
        <translation>证书的 PEM 私钥</translation>
    </message>
    <message>
        <source>Certificate &amp;fingerprint:</source>
        <translation>证书指纹(&amp;F)：</translation>
    </message>
    <message>
        <source>https:// with the host&apos;s own certificate</source>
        <translation>使用主持人自己证书的 https://</translation>
    </message>
</context>
<context>
    <name>PushChat::TimelineWidget</name>
    <message>
        <source>Asks again and again, mostly for nothing: each grey bar is a request that came back empty.</source>
        <translation>一遍又一遍地问，多半白问：每根灰色条都是一个空手而归的请求。</translation>
    </message>
    <message>
        <source>Asks once and waits: the server holds the request open until there is news.</source>
        <translation>问一次，然后等待：服务器把请求挂起，直到有新消息。</translation>
    </message>
    <message>
        <source>One connection stays open both ways: each tick is a frame, pushed the moment there is news.</source>
        <translation>一条双向连接一直打开：每道刻线是一帧，一有新消息就立即推送。</translation>
    </message>
    <message>
        <source>empty answer</source>
        <translation>空响应</translation>
    </message>
    <message>
        <source>answer with messages</source>
        <translation>带消息的响应</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>cut off (failure)</source>
        <translation>被切断（失败）</translation>
    </message>
    <message>
        <source>ended by a switch</source>
        <translation>因切换而结束</translation>
    </message>
    <message>
        <source>frame in</source>
        <translation>收到的帧</translation>
    </message>
    <message>
        <source>frame out</source>
        <translation>发出的帧</translation>
    </message>
    <message>
        <source>reconnect</source>
        <translation>重连</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>−%1 s</source>
        <translation>−%1 秒</translation>
    </message>
</context>
<context>
    <name>PushChat::TrafficGenerator</name>
    <message>
        <source>message %1 from the traffic generator</source>
        <translation>来自流量生成器的第 %1 条消息</translation>
    </message>
</context>
<context>
    <name>PushChat::WebSocketClient</name>
    <message>
        <source>The WebSocket handshake timed out</source>
        <translation>WebSocket 握手超时</translation>
    </message>
    <message>
        <source>Connection closed by the server</source>
        <translation>服务器关闭了连接</translation>
    </message>
    <message>
        <source>The server refused the WebSocket (HTTP %1)</source>
        <translation>服务器拒绝了 WebSocket（HTTP %1）</translation>
    </message>
    <message>
        <source>Wrong Sec-WebSocket-Accept</source>
        <translation>Sec-WebSocket-Accept 不正确</translation>
    </message>
    <message>
        <source>Frame too large</source>
        <translation>帧太大</translation>
    </message>
    <message>
        <source>The server closed the WebSocket (%1 %2)</source>
        <translation>服务器关闭了 WebSocket（%1 %2）</translation>
    </message>
    <message>
        <source>Unknown WebSocket opcode %1</source>
        <translation>未知的 WebSocket 操作码 %1</translation>
    </message>
    <message>
        <source>WebSocket upgrades are refused on the way to the server (HTTP %1): try long polling or polling</source>
        <translation>通往服务器的路上 WebSocket 升级被拒绝（HTTP %1）：请试试长轮询或轮询</translation>
    </message>
</context>
<context>
    <name>PushChat::WebSocketTransport</name>
    <message>
        <source>Malformed message frame</source>
        <translation>message 帧格式错误</translation>
    </message>
    <message>
        <source>Malformed hello frame</source>
        <translation>hello 帧格式错误</translation>
    </message>
    <message>
        <source>Malformed ack frame</source>
        <translation>ack 帧格式错误</translation>
    </message>
    <message>
        <source>Malformed error frame</source>
        <translation>error 帧格式错误</translation>
    </message>
    <message>
        <source>No pong within %1 ms</source>
        <translation>%1 毫秒内没有收到 pong</translation>
    </message>
</context>
<context>
    <name>ServerCommandLine</name>
    <message>
        <source>--lang is en or zh_CN, not &quot;%1&quot;.</source>
        <translation>--lang 只能是 en 或 zh_CN，而不是“%1”。</translation>
    </message>
    <message>
        <source>PushChat room server: polling, long polling and WebSocket on one port.</source>
        <translation>PushChat 房间服务器：轮询、长轮询和 WebSocket 共用一个端口。</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>TCP 端口（0 表示自动选一个空闲端口）。</translation>
    </message>
    <message>
        <source>Address to listen on (default: all).</source>
        <translation>监听的地址（默认：全部）。</translation>
    </message>
    <message>
        <source>Room key clients must present.</source>
        <translation>客户端必须出示的房间密钥。</translation>
    </message>
    <message>
        <source>Room name.</source>
        <translation>房间名称。</translation>
    </message>
    <message>
        <source>Messages kept for replay.</source>
        <translation>保留多少条消息供回放。</translation>
    </message>
    <message>
        <source>Longest message in UTF-8 bytes.</source>
        <translation>消息的最大长度（UTF-8 字节）。</translation>
    </message>
    <message>
        <source>Allow browser pages from this origin too (repeatable).</source>
        <translation>也允许来自这个源（origin）的浏览器页面（可重复）。</translation>
    </message>
    <message>
        <source>While many long polls wait, answer them at most once every this many milliseconds (0 answers every message at once).</source>
        <translation>有很多长轮询在等待时，最多每隔这么多毫秒回答一次（0 表示每条消息都立即回答）。</translation>
    </message>
    <message>
        <source>Language of these messages: en or zh_CN (default: the system&apos;s).</source>
        <translation>这些提示信息的语言：en 或 zh_CN（默认跟随系统）。</translation>
    </message>
    <message>
        <source>--port must be 0…65535</source>
        <translation>--port 必须在 0…65535 之间</translation>
    </message>
    <message>
        <source>--bind needs an IP address</source>
        <translation>--bind 需要一个 IP 地址</translation>
    </message>
    <message>
        <source>--history must be a positive number</source>
        <translation>--history 必须是正数</translation>
    </message>
    <message>
        <source>--max-text must be a positive number</source>
        <translation>--max-text 必须是正数</translation>
    </message>
    <message>
        <source>--rate-limit must be &gt;= 0</source>
        <translation>--rate-limit 必须 &gt;= 0</translation>
    </message>
    <message>
        <source>--long-poll-batch must be 0…1000</source>
        <translation>--long-poll-batch 必须在 0…1000 之间</translation>
    </message>
    <message>
        <source>PushChat room &quot;%1&quot; is open. Join at:</source>
        <translation>PushChat 房间“%1”已开放。加入地址：</translation>
    </message>
    <message>
        <source>Press Ctrl+C to stop.</source>
        <translation>按 Ctrl+C 停止。</translation>
    </message>
    <message>
        <source>Fault: add this many milliseconds (0…2000) to every answer and frame the server sends.</source>
        <translation>故障：在服务器发出的每个响应和每一帧上加上这么多毫秒（0…2000）。</translation>
    </message>
    <message>
        <source>Fault: end requests held longer than this many seconds (1…120) and cut WebSockets silent that long, as a proxy does.</source>
        <translation>故障：像代理那样，结束挂起超过这么多秒（1…120）的请求，并切断安静了这么久的 WebSocket。</translation>
    </message>
    <message>
        <source>Fault: refuse one technique (websocket, longpoll or polling), as a network in between would.</source>
        <translation>故障：像中间的网络那样，拒绝一种技术（websocket、longpoll 或 polling）。</translation>
    </message>
    <message>
        <source>Run a timed sequence of faults from FILE, one a line (e.g. &quot;5s drop&quot;, &quot;10s latency 800&quot;, &quot;40s restart&quot;).</source>
        <translation>按 FILE 中的时间表依次制造故障，每行一个（例如 &quot;5s drop&quot;、&quot;10s latency 800&quot;、&quot;40s restart&quot;）。</translation>
    </message>
    <message>
        <source>--latency must be 0…2000</source>
        <translation>--latency 必须在 0…2000 之间</translation>
    </message>
    <message>
        <source>--proxy-timeout must be 0…120</source>
        <translation>--proxy-timeout 必须在 0…120 之间</translation>
    </message>
    <message>
        <source>--block takes websocket, longpoll or polling</source>
        <translation>--block 只接受 websocket、longpoll 或 polling</translation>
    </message>
    <message>
        <source>fault: %1</source>
        <translation>故障：%1</translation>
    </message>
    <message>
        <source>Messages per second per sender; 0 turns every rate limit off.</source>
        <translation>每个发送者每秒的消息数；0 表示关闭所有频率限制。</translation>
    </message>
    <message>
        <source>Messages and new nicks per second per client address, over all its nicks; 0 turns the limit off.</source>
        <translation>每个客户端地址每秒的消息数和新昵称数（计入它的所有昵称）；0 表示不限制。</translation>
    </message>
    <message>
        <source>No rate limit for clients on this machine (127.0.0.1, ::1): a teacher&apos;s bots.</source>
        <translation>本机上的客户端（127.0.0.1、::1）不受频率限制：例如老师的机器人。</translation>
    </message>
    <message>
        <source>Ping every WebSocket client this often, in ms (0: never).</source>
        <translation>每隔这么多毫秒 ping 一次每个 WebSocket 客户端（0：从不）。</translation>
    </message>
    <message>
        <source>Drop a WebSocket client that sent nothing this many ms after a ping.</source>
        <translation>ping 之后这么多毫秒内什么也没发的 WebSocket 客户端将被断开。</translation>
    </message>
    <message>
        <source>TCP keepalive as IDLE,INTERVAL,PROBES in seconds (0 turns it off).</source>
        <translation>TCP keepalive，格式为 IDLE,INTERVAL,PROBES（秒；0 表示关闭）。</translation>
    </message>
    <message>
        <source>PEM certificate (and chain): serve https:// and wss:// instead of http:// and ws://. Needs --tls-key.</source>
        <translation>PEM 证书（及证书链）：用 https:// 和 wss:// 代替 http:// 和 ws://。需要 --tls-key。</translation>
    </message>
    <message>
        <source>PEM private key (EC or RSA, unencrypted) of --tls-cert.</source>
        <translation>--tls-cert 的 PEM 私钥（EC 或 RSA，未加密）。</translation>
    </message>
    <message>
        <source>--rate-limit-address must be &gt;= 0</source>
        <translation>--rate-limit-address 必须 &gt;= 0</translation>
    </message>
    <message>
        <source>--ping-interval must be &gt;= 0</source>
        <translation>--ping-interval 必须 &gt;= 0</translation>
    </message>
    <message>
        <source>--pong-timeout must be positive and below --ping-interval</source>
        <translation>--pong-timeout 必须是正数，且小于 --ping-interval</translation>
    </message>
    <message>
        <source>--tcp-keepalive must be 0 or IDLE,INTERVAL,PROBES (positive seconds and count)</source>
        <translation>--tcp-keepalive 必须是 0 或 IDLE,INTERVAL,PROBES（正的秒数和次数）</translation>
    </message>
    <message>
        <source>--tls-cert and --tls-key go together</source>
        <translation>--tls-cert 和 --tls-key 必须一起使用</translation>
    </message>
    <message>
        <source>Certificate fingerprint: %1</source>
        <translation>证书指纹：%1</translation>
    </message>
    <message>
        <source>Keep the history in this SQLite file (created if missing), so that it survives a restart; without it the history lives in memory.</source>
        <translation>把历史记录保存在这个 SQLite 文件中（不存在则创建），重启后仍然保留；不指定时历史记录只存在于内存中。</translation>
    </message>
    <message>
        <source>full: every commit survives a power cut; normal: it survives the server being killed, and costs less.</source>
        <translation>full：每次提交都能挺过断电；normal：能挺过服务器被强行终止，开销更小。</translation>
    </message>
    <message>
        <source>pushchat-server: --store-sync must be full or normal</source>
        <translation>pushchat-server：--store-sync 必须是 full 或 normal</translation>
    </message>
</context>
<context>
    <name>SessionRequest</name>
    <message>
        <source>Choose a nick: the name others see next to your messages.</source>
        <translation>请选一个昵称：别人在你的消息旁看到的名字。</translation>
    </message>
    <message>
        <source>A nick has at most %1 characters.</source>
        <translation>昵称最多 %1 个字符。</translation>
    </message>
    <message>
        <source>A nick cannot contain control characters.</source>
        <translation>昵称不能包含控制字符。</translation>
    </message>
    <message>
        <source>Give the room a name, so people know they joined the right one.</source>
        <translation>给房间起个名字，让大家知道自己加入的是哪个房间。</translation>
    </message>
    <message>
        <source>Type the address the host shows, like http://192.168.1.20:8765 or 192.168.1.20:8765.</source>
        <translation>输入主持人显示的地址，例如 http://192.168.1.20:8765 或 192.168.1.20:8765。</translation>
    </message>
    <message>
        <source>For https://, give both the certificate file and its key file.</source>
        <translation>使用 https:// 时，请同时给出证书文件和它的私钥文件。</translation>
    </message>
    <message>
        <source>The certificate fingerprint is SHA256: and 32 hex pairs, as the host shows it.</source>
        <translation>证书指纹的格式是 SHA256: 加 32 组十六进制数，与主持人显示的一致。</translation>
    </message>
</context>
</TS>
