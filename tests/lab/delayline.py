#!/usr/bin/env python3
"""A user-space delay line for the NAT lab: holds every packet of an NFQUEUE for a fixed time.

The lab's kernel has no netem (tc qdisc ... netem fails), but it has NFQUEUE. A router namespace
sends its forwarded packets to queue 0 (`iptables -A FORWARD -j NFQUEUE --queue-num 0
--queue-bypass`); this process, run inside that namespace, accepts each one DELAY_MS after it
arrived. Why a delay at all: with ~0 ms RTT between namespaces, hyperdht's public-address check
loses a start-up race and a public host can classify itself as firewalled (tests/lab/README.md,
"Delay").

It speaks nfnetlink_queue directly over an AF_NETLINK socket (linux/netfilter/nfnetlink_queue.h),
so it needs nothing beyond the Python standard library. Packets are only referred to by id
(copy mode META): their bytes never cross into user space. The delay is the same for every packet,
so they leave in arrival order and one VERDICT_BATCH (accept every queued id <= N) releases all
that are due; a lost netlink message therefore cannot strand a packet.

  delayline.py DELAY_MS [--queue N] [--ready FILE]
Writes FILE (if given) once the queue is bound; runs until SIGTERM/SIGINT.
"""
import argparse
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
SO_RCVBUFFORCE = 33

NLMSG_ERROR = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4

NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3

NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQA_CFG_F_FAIL_OPEN = 1

NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1

QUEUE_MAXLEN = 8192


def attr(kind, payload):
    """One netlink attribute, padded to 4 bytes. Attribute headers are host order; nfnetlink
    payloads are network order (packed by the callers)."""
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * (-length % 4)


class Queue:
    def __init__(self, num):
        self.num = num
        self.seq = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)

    def send(self, msg_type, attrs, ack=False):
        self.seq += 1
        body = struct.pack("=BB", socket.AF_INET, 0) + struct.pack("!H", self.num) + attrs
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        header = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type,
                             flags, self.seq, 0)
        self.sock.send(header + body)
        if ack:
            self.expect_ack(self.seq)

    def expect_ack(self, seq):
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.sock], [], [], 0.2)
            if not r:
                continue
            data = self.sock.recv(65536)
            for msg_type, mseq, payload in split(data):
                if msg_type == NLMSG_ERROR and mseq == seq:
                    err = struct.unpack("=i", payload[:4])[0]
                    if err != 0:
                        raise OSError(-err, "nfnetlink_queue config: " + os.strerror(-err))
                    return
        raise TimeoutError("no answer from nfnetlink_queue")

    def configure(self):
        self.send(NFQNL_MSG_CONFIG, attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0)),
                  ack=True)
        self.send(NFQNL_MSG_CONFIG,
                  attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)) +
                  attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", QUEUE_MAXLEN)), ack=True)
        # Fail open: if the queue ever overflows, packets pass undelayed rather than vanish.
        self.send(NFQNL_MSG_CONFIG,
                  attr(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)) +
                  attr(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)), ack=True)

    def accept_up_to(self, packet_id):
        self.send(NFQNL_MSG_VERDICT_BATCH,
                  attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, packet_id)))


def split(data):
    """(type, seq, payload) for each netlink message in one datagram."""
    off = 0
    while off + 16 <= len(data):
        length, msg_type, _flags, seq, _pid = struct.unpack_from("=IHHII", data, off)
        if length < 16:
            break
        yield msg_type, seq, data[off + 16:off + length]
        off += (length + 3) & ~3


def packet_id(payload):
    """The id in NFQA_PACKET_HDR of a NFQNL_MSG_PACKET payload (after its 4-byte nfgenmsg)."""
    off = 4
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from("=HH", payload, off)
        if length < 4:
            break
        if kind & 0x3FFF == NFQA_PACKET_HDR:
            return struct.unpack_from("!I", payload, off + 4)[0]
        off += (length + 3) & ~3
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("delay_ms", type=float)
    ap.add_argument("--queue", type=int, default=0)
    ap.add_argument("--ready", help="file to create once the queue is bound")
    args = ap.parse_args()
    delay = args.delay_ms / 1000.0

    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    q = Queue(args.queue)
    q.configure()
    if args.ready:
        with open(args.ready, "w") as f:
            f.write(str(os.getpid()) + "\n")

    held = collections.deque()  # (due time, packet id), in arrival order
    packet_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET
    while running[0]:
        now = time.monotonic()
        last_due = None
        while held and held[0][0] <= now:
            last_due = held.popleft()[1]
        if last_due is not None:
            q.accept_up_to(last_due)
        timeout = max(0.0, held[0][0] - now) if held else 0.5
        try:
            r, _, _ = select.select([q.sock], [], [], timeout)
        except InterruptedError:
            continue
        if not r:
            continue
        try:
            data = q.sock.recv(65536)
        except BlockingIOError:
            continue
        arrived = time.monotonic()
        for msg_type, _seq, payload in split(data):
            if msg_type == packet_type:
                pid = packet_id(payload)
                if pid is not None:
                    held.append((arrived + delay, pid))
    # Release whatever is still held so nothing is stranded while the namespace goes away.
    if held:
        q.accept_up_to(held[-1][1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
