'use strict'
// Writes the seed corpora of the fuzz targets whose inputs the reference implementation can make,
// so a fuzzing run starts from real traffic rather than from nothing:
//
//   node tests/fuzz/capture-seeds.js [OUT_DIR]     (default: tests/fuzz/corpus beside this file)
//
// It uses the pinned npm packages of tests/interop (`./dev.sh setup` installs them) and the
// vectors they made, tests/vectors/reference.json. Each seed is wrapped in its target's input
// format (a leading chunk-size or op-count byte, say), which is why every target has its own
// function below; the target's comment at the top of its .cpp is the format's definition.
// The eight folders it writes are emptied first; the other corpora are made by hand and left.
// Everything is deterministic except the UDX capture (real udx-native streams on loopback,
// whose acks depend on timing), so a rerun may change udx seeds and nothing else.

const fs = require('fs')
const path = require('path')
const Module = require('module')
const EventEmitter = require('events')

const interop = Module.createRequire(path.join(__dirname, '..', 'interop', 'package.json'))
const c = interop('compact-encoding')
const b4a = interop('b4a')
const z32 = interop('z32')
const sodium = interop('sodium-universal')
const HyperDHT = interop('hyperdht')
const hdm = interop('hyperdht/lib/messages')
const IO = interop('dht-rpc/lib/io')
const Noise = interop('noise-handshake')
const curve = interop('noise-curve-ed')
const NoiseSecretStream = interop('@hyperswarm/secret-stream')
const BlindRelay = interop('blind-relay')
const { Duplex } = interop('streamx')
const UDX = interop('udx-native')
// holesail targets the Bare runtime: its net library asks for bare-dgram, which is Node's dgram
// here (as in tests/interop/holesail-peer.js).
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'bare-dgram' ? 'dgram' : request, ...rest)
}
const holesailNet = interop('@holesail/hyper-cmd-lib-net')

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'vectors', 'reference.json'), 'utf8')
)
const hex = (h) => b4a.from(h, 'hex')
const cat = (...parts) => b4a.concat(parts.map((p) => (typeof p === 'number' ? b4a.from([p]) : p)))
const vector = (type, i = 0) => hex(vectors.hyperdht.filter((v) => v.type === type)[i].hex)

const a1 = { host: '11.0.0.1', port: 49737 }
const a2 = { host: '100.64.1.2', port: 5000 }

// --- fuzz_compact_reader: [op count][ops][message] -------------------------------------------
// An op's low nibble picks the read, its high nibble a fixed() size or array_length() minimum.
const OP = {
  uint: 0, uint8: 1, uint16: 2, uint24: 3, uint32: 4, uint32be: 5, uint64: 6, bool: 7,
  fixed: (n) => 8 + 16 * n, fixed32: 9, buffer: 10, optionalBuffer: 11, string: 12, ipv4: 13,
  array: (min) => 14 + 16 * min, rest: 15
}

function compactReaderSeeds () {
  const reads = (ops, ...values) => cat(ops.length, b4a.from(ops), ...values)
  const enc = (e, v) => c.encode(e, v)
  const uints = [0, 1, 0xfc, 0xfd, 0xfe, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, 2 ** 52 - 1]
  const uintBytes = uints.map((n) => enc(c.uint, n))
  const ints = [
    [OP.uint8, c.uint8, 0x7f], [OP.uint16, c.uint16, 0x1234], [OP.uint24, c.uint24, 0x123456],
    [OP.uint32, c.uint32, 0x12345678], [OP.uint32be, c.uint32be, 0x12345678],
    [OP.uint64, c.uint64, 0x1122334455], [OP.bool, c.bool, true], [OP.bool, c.bool, false]
  ]
  // hyperdht's noisePayload, read field by field as PeerPort's decoder does.
  const noiseOps = [
    OP.uint, OP.uint, OP.uint, OP.uint, // version, flags, error, firewall
    OP.uint, OP.array(12), OP.ipv4, OP.ipv4, // holepunch: id, relays
    OP.array(6), OP.ipv4, OP.ipv4, // addresses4
    OP.uint, OP.uint, OP.uint, OP.uint, // udx
    OP.uint, // secretStream
    OP.uint, OP.uint, OP.fixed32, OP.fixed32, // relayThrough
    OP.array(6), OP.ipv4 // relayAddresses
  ]
  const truncated = b4a.concat(uintBytes).subarray(0, 20)
  return {
    uints: reads(uints.map(() => OP.uint), ...uintBytes),
    fixed_ints: reads(ints.map((i) => i[0]), ...ints.map((i) => enc(i[1], i[2]))),
    buffers_strings: reads(
      [OP.buffer, OP.buffer, OP.optionalBuffer, OP.optionalBuffer, OP.string, OP.string, OP.fixed32],
      enc(c.buffer, hex('deadbeef')), enc(c.buffer, b4a.alloc(300, 0xab)), enc(c.buffer, b4a.alloc(0)),
      enc(c.buffer, hex('00')), enc(c.string, 'hello'), enc(c.string, 'blåbærsyltetøy'),
      enc(c.fixed32, b4a.alloc(32, 7))
    ),
    addresses: reads(
      [OP.ipv4, OP.array(6), OP.ipv4, OP.ipv4, OP.ipv4],
      enc(c.ipv4Address, { host: '127.0.0.1', port: 49737 }),
      enc(c.array(c.ipv4Address), [{ host: '10.1.2.3', port: 80 }, { host: '1.1.1.1', port: 443 }]),
      enc(c.ipv4Address, { host: '255.255.255.255', port: 65535 })
    ),
    uint_array_rest: reads([OP.array(1), OP.uint, OP.uint, OP.uint, OP.fixed(4), OP.rest],
      enc(c.array(c.uint), [1, 300, 70000]), b4a.from('tail and the rest')),
    noise_payload: reads(noiseOps, vector('noisePayload', 0)),
    truncated_then_latched: reads([...uints.map(() => OP.uint), OP.buffer, OP.ipv4], truncated),
    dotted_quad: cat(0, b4a.from('127.0.0.1')),
    dotted_quad_max: cat(0, b4a.from('255.255.255.255'))
  }
}

// --- fuzz_dht_messages: one dht-rpc datagram --------------------------------------------------
// dht-rpc's own encoders (lib/io.js Request._encodeRequest / _sendReply) on an IO with no
// sockets: a stand-in socket collects what they would send, fixed secrets make tokens fixed.
function dhtMessageSeeds () {
  const closest = [{ host: '10.0.0.1', port: 49737 }, { host: '10.0.0.2', port: 49738 }]
  const table = { id: b4a.alloc(32, 0x21), closest: () => closest }
  const fakeUdx = { watchNetworkInterfaces: () => ({ on () {}, destroy () {} }) }
  const io = new IO(table, fakeUdx, {})
  let sent = null
  const socket = { trySend: (buf) => { sent = b4a.from(buf) } }
  io.serverSocket = socket
  io.clientSocket = socket
  io.firewalled = false
  io._secrets = [b4a.alloc(32, 1), b4a.alloc(32, 2)]
  io._tid = 0x1234
  const to = { id: null, host: '11.0.0.5', port: 4000 }
  const from = { id: null, host: '100.64.0.9', port: 52000 }
  const token = b4a.alloc(32, 0x7a)
  const target = b4a.alloc(32, 0x5c)

  const request = (ephemeral, tok, internal, command, tgt, value) => {
    io.ephemeral = ephemeral
    const req = io.createRequest(to, tok, internal, command, tgt, value, null, 0)
    io.inflight.pop()
    return req._encodeRequest(tok, value, to, socket)
  }
  // lib/io.js does not export its Request class; an instance leads to it.
  const Request = io.createRequest(to, null, true, 0, null, null, null, 0).constructor
  io.inflight.pop()
  // A request as the receiving side decoded it, answered with the reference's reply encoder.
  const reply = (tgt, fn) => {
    io.ephemeral = false
    const req = new Request(io, socket, 0x4321, from, to, null, true, 2, tgt, null, null, 0)
    sent = null
    fn(req)
    return sent
  }
  const port = c.encode(c.uint16, 49737)
  const delay = c.encode(c.uint32, 500)
  const down = c.encode(c.ipv4Address, closest[0])
  const announce = c.encode(hdm.announce, { peer: { publicKey: b4a.alloc(32, 0xab), relayAddresses: [a1] }, refresh: null, signature: b4a.alloc(64, 8), bump: 0 })
  const mutable = c.encode(hdm.mutableGetResponse, { seq: 3, value: b4a.from('v'), signature: b4a.alloc(64, 5) })
  return {
    req_ping_ephemeral: request(true, null, true, 0, null, null),
    req_ping_with_id: request(false, null, true, 0, null, null),
    req_ping_nat: request(false, null, true, 1, null, port),
    req_find_node: request(true, null, true, 2, target, null),
    req_down_hint: request(false, null, true, 3, null, down),
    req_delayed_ping: request(false, null, true, 4, null, delay),
    req_announce_token: request(false, token, false, 4, target, announce),
    req_mutable_get: request(true, null, false, 7, target, c.encode(c.uint, 0)),
    res_ping_token: reply(null, (r) => r.reply(null)),
    res_find_node_closer: reply(target, (r) => r.reply(null)),
    res_value: reply(target, (r) => r.reply(mutable, { closerNodes: false })),
    res_unknown_command: reply(target, (r) => r.error(1)),
    res_invalid_token: reply(null, (r) => r.error(2, { token: true }))
  }
}

// --- fuzz_hyperdht_messages: one hyperdht message, tried against every decoder ----------------
function hyperdhtMessageSeeds () {
  const peer = (fill) => c.encode(hdm.peer, { publicKey: b4a.alloc(32, fill), relayAddresses: [a1, a2] })
  const ikMsg1 = hex(vectors.noise[0].messages[0].message)
  return {
    handshake_addresses: vector('handshake', 0),
    handshake_reply: vector('handshake', 1),
    handshake_ik_msg1: c.encode(hdm.handshake, { mode: 0, noise: ikMsg1, peerAddress: a1, relayAddress: null }),
    holepunch_full: vector('holepunch', 0),
    holepunch_empty: vector('holepunch', 1),
    noise_payload_full: vector('noisePayload', 0),
    noise_payload_error: vector('noisePayload', 1),
    noise_payload_ipv6: c.encode(hdm.noisePayload, {
      version: 1, error: 0, firewall: 1, holepunch: null, addresses4: [a1],
      addresses6: [{ host: '2001:db8::1', port: 49737 }], udx: null, secretStream: {},
      relayThrough: null, relayAddresses: null
    }),
    holepunch_payload_full: vector('holepunchPayload', 0),
    holepunch_payload_minimal: vector('holepunchPayload', 1),
    announce: vector('announce', 0),
    announce_refresh_only: c.encode(hdm.announce, { peer: null, refresh: b4a.alloc(32, 9), signature: null, bump: 5 }),
    mutable_put: vector('mutablePutRequest', 0),
    mutable_get_response: vector('mutableGetResponse', 0),
    lookup_reply: c.encode(hdm.lookupRawReply, { peers: [peer(1), peer(2)], bump: 3 })
  }
}

// --- fuzz_key_text: text a user pastes (the target also tries it behind hs://0000, hs://s000) --
function keyTextSeeds () {
  const kp = vectors.keyPairs[0]
  return {
    z32: b4a.from(kp.z32),
    hex: b4a.from(kp.publicKey),
    url_public: b4a.from(kp.url),
    url_secret: b4a.from(vectors.holesail[0].url),
    url_secret_unicode: b4a.from(vectors.holesail[3].url),
    url_secret_hex_like: b4a.from(vectors.holesail[2].url),
    raw_32_bytes: hex(vectors.keyPairs[1].publicKey),
    z32_short: b4a.from(z32.encode(b4a.from('hello')))
  }
}

// --- fuzz_secret_stream: [chunk size - 1][bytes after the peer's header] ----------------------
// The target's keys come from an XX handshake between key pairs seeded with bytes of 1 and 2
// (ephemerals 3 and 4, empty payloads and prologue), and its random source is an LCG reset per
// input, so the header its sending peer writes is the LCG's first 24 bytes. The same handshake
// here, and the reference stream's encryption state re-keyed to that header, give frames the
// target decrypts: the fuzzer starts from a stream that works and mutates from there. (Change
// those constants in fuzz_secret_stream.cpp and these seeds decode as garbage: regenerate.)
function harnessHeader () {
  const out = b4a.alloc(24)
  let g = 0n
  for (let i = 0; i < out.length; i++) {
    g = (g * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn
    out[i] = Number(g >> 56n)
  }
  return out
}

function harnessHandshake () {
  const kp = (fill) => HyperDHT.keyPair(b4a.alloc(32, fill))
  const i = new Noise('XX', true, kp(1), { curve })
  const r = new Noise('XX', false, kp(2), { curve })
  i.initialise(b4a.alloc(0))
  r.initialise(b4a.alloc(0))
  i.e = curve.generateKeyPair(b4a.alloc(32, 3))
  r.e = curve.generateKeyPair(b4a.alloc(32, 4))
  r.recv(i.send())
  i.recv(r.send())
  r.recv(i.send())
  return { tx: i.tx, rx: i.rx, hash: i.hash, publicKey: kp(1).publicKey, remotePublicKey: kp(2).publicKey }
}

async function secretStreamFrames (handshake, header, plaintexts) {
  const s = new NoiseSecretStream(true, null, { handshake })
  const chunks = []
  s.rawStream.on('data', (d) => chunks.push(b4a.from(d)))
  await new Promise((resolve) => setImmediate(resolve))
  const key = handshake.tx.subarray(0, 32)
  sodium.crypto_secretstream_xchacha20poly1305_init_pull(s._encrypt.state, header, key)
  for (const p of plaintexts) s.write(p)
  await new Promise((resolve) => setTimeout(resolve, 50))
  s.destroy()
  const raw = b4a.concat(chunks)
  // Its own header frame went out first: the target's peer supplies that part.
  if (raw.readUIntLE(0, 3) !== 56) throw new Error('secret-stream: no header frame first')
  const frames = raw.subarray(59)
  // Check the re-keying worked: the frames open under the header the target's peer sends.
  const pull = b4a.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES)
  sodium.crypto_secretstream_xchacha20poly1305_init_pull(pull, header, key)
  let at = 0
  for (const p of plaintexts) {
    const len = frames.readUIntLE(at, 3)
    const msg = b4a.alloc(len - 17)
    sodium.crypto_secretstream_xchacha20poly1305_pull(pull, msg, b4a.alloc(1), frames.subarray(at + 3, at + 3 + len), null)
    if (!b4a.equals(msg, p)) throw new Error('secret-stream: re-keyed frames do not open')
    at += 3 + len
  }
  return frames
}

async function secretStreamSeeds () {
  const handshake = harnessHandshake()
  const header = harnessHeader()
  const msgs = [b4a.alloc(0), b4a.from('hello'), b4a.alloc(64, 0x61)]
  const frames = await secretStreamFrames(handshake, header, msgs)
  // One message over the target's max_message (4096): a JS peer may send it, we must refuse it.
  const big = await secretStreamFrames(handshake, header, [b4a.from('first'), b4a.alloc(4097, 0x62)])
  // The reference vector's stream (other keys): its header frame arrives as a message here.
  const other = hex(vectors.secretStream.raw).subarray(0, 59 + 3 + 17 + 3 + 22)
  return {
    frames_whole: cat(255, frames),
    frames_bytewise: cat(0, frames),
    frames_chunk7: cat(6, frames),
    frames_chunk64: cat(63, frames),
    frame_over_max_message: cat(255, big),
    other_keys_stream: cat(63, other)
  }
}

// --- fuzz_tunnel_framing: [chunk size selector][framed stream, or a service record] -----------
// Frames come from holesail's own UDP proxy (createUdpFramedProxy) with a stand-in for the
// stream to the share; records are what holesail-server puts on the DHT.
async function tunnelFramingSeeds () {
  const written = []
  const remote = Object.assign(new EventEmitter(), { write: (b) => written.push(b4a.from(b)), destroy () {} })
  const logger = { log () {} }
  let bound
  const ready = new Promise((resolve) => { bound = resolve })
  const { proxySocket } = holesailNet.createUdpFramedProxy({ port: 0, host: '127.0.0.1' }, () => remote, logger, () => bound())
  await ready
  const rinfo = { address: '127.0.0.1', port: 40000, family: 'IPv4' }
  const datagrams = [b4a.from('hello'), b4a.alloc(0), b4a.alloc(100, 0x42), b4a.from('dns?')]
  for (const d of datagrams) proxySocket.emit('message', d, rinfo)
  proxySocket.emit('message', b4a.alloc(1400, 0x43), { ...rinfo, port: 40001 })
  proxySocket.close()
  const stream = b4a.concat(written.slice(0, datagrams.length))
  const large = written[datagrams.length]
  const record = (args) => b4a.from(JSON.stringify({ host: args.host, udp: args.udp, port: args.port }))
  return {
    datagrams_chunk64: cat(63, stream),
    datagrams_bytewise: cat(0, stream),
    datagrams_chunk5: cat(4, stream),
    datagram_large: cat(63, large),
    record_tcp: cat(0, record({ host: '127.0.0.1', udp: false, port: 8080 })),
    record_udp: cat(0, record({ host: '0.0.0.0', udp: true, port: 53 })),
    record_cli_port_string: cat(0, record({ host: '127.0.0.1', port: '8989' }))
  }
}

// --- fuzz_relay_protocol: [frame size - 1 (mod 48)][frames, each padded to that size] ---------
// A blind-relay client and server (the npm package, over protomux) talk through an in-memory
// link; every frame each side writes is recorded. The target opens its "blind-relay" channel
// with id 32 bytes of 0x11, so the channels here use that id. A frame shorter than the target's
// fixed frame size is padded with zeros, which OPEN, PAIR and UNPAIR decoders leave unread.
function linkPair () {
  const log = { a: [], b: [] }
  const make = (name) => new Duplex({
    write (data, cb) {
      log[name].push(b4a.from(data))
      const other = name === 'a' ? b : a
      other.push(data)
      cb(null)
    }
  })
  const a = make('a')
  const b = make('b')
  return { a, b, log }
}

async function relayProtocolSeeds () {
  const id = b4a.alloc(32, 0x11)
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
  let next = 100
  const fakeStream = () => Object.assign(new EventEmitter(), { id: next++, relayTo () {}, destroy () {}, connect () {} })
  const server = new BlindRelay.Server({ createStream: fakeStream })
  const one = linkPair()
  const two = linkPair()
  server.accept(one.b, { id })
  server.accept(two.b, { id })
  const c1 = new BlindRelay.Client(one.a, { id })
  const c2 = new BlindRelay.Client(two.a, { id })
  await tick()
  const token = b4a.alloc(32, 0x3c)
  const r1 = c1.pair(true, token, { id: 7 })
  const r2 = c2.pair(false, token, { id: 8 })
  r1.on('data', () => {}).on('error', () => {})
  r2.on('data', () => {}).on('error', () => {})
  await tick()
  c1.unpair(b4a.alloc(32, 0x3d))
  await tick()
  // A corked client batches: one frame carrying a channel message.
  c2.cork()
  c2.unpair(b4a.alloc(32, 0x3e))
  c2.uncork()
  await tick()
  c1.destroy()
  await tick()

  const pad = (frames, size) => b4a.concat(frames.map((f) => {
    if (f.length > size) throw new Error(`relay: a ${f.length}-byte frame does not fit ${size}`)
    return b4a.concat([f, b4a.alloc(size - f.length)])
  }))
  const seed = (frames) => {
    const size = Math.max(...frames.map((f) => f.length))
    return cat(size - 1, pad(frames, size))
  }
  const pair = BlindRelay.messages.pair
  const unpair = BlindRelay.messages.unpair
  return {
    client_open_pair_unpair_close: seed(one.log.a),
    relay_open_pair: seed(one.log.b),
    relay_open_pair_other_side: seed(two.log.b),
    client_batch: seed(two.log.a),
    pair_payload: cat(0, c.encode(pair, { isInitiator: true, token, id: 7, seq: 0 })),
    unpair_payload: cat(0, c.encode(unpair, { token }))
  }
}

// --- fuzz_udx_packet: one UDX datagram, or [len][packet from byte 2]... driving a stream ------
// Two udx-native streams talk through a recording proxy on loopback that drops one data packet,
// so the receiver answers with a SACK.
async function udxCapture () {
  const dgram = require('dgram')
  const udx = new UDX()
  const sa = udx.createSocket()
  const sb = udx.createSocket()
  sa.bind(0, '127.0.0.1')
  sb.bind(0, '127.0.0.1')
  const proxy = dgram.createSocket('udp4')
  await new Promise((resolve) => proxy.bind(0, '127.0.0.1', resolve))
  const pport = proxy.address().port
  const toB = []
  const toA = []
  let dataFromA = 0
  proxy.on('message', (msg, rinfo) => {
    const fromA = rinfo.port === sa.address().port
    const dataPacket = (msg[2] & 0x01) !== 0
    if (fromA && dataPacket && ++dataFromA === 2) return // lost: B must SACK what follows
    ;(fromA ? toB : toA).push(b4a.from(msg))
    proxy.send(msg, fromA ? sb.address().port : sa.address().port, '127.0.0.1')
  })
  const a = udx.createStream(1)
  const b = udx.createStream(2)
  a.connect(sa, 2, pport, '127.0.0.1')
  b.connect(sb, 1, pport, '127.0.0.1')
  b.on('data', () => {})
  a.on('data', () => {})
  for (let i = 0; i < 6; i++) a.write(b4a.alloc(900, 0x30 + i))
  b.write(b4a.from('reply'))
  a.trySend(b4a.from('an unordered message'))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  a.end()
  b.end()
  await new Promise((resolve) => setTimeout(resolve, 300))
  a.destroy()
  b.destroy()
  await new Promise((resolve) => setTimeout(resolve, 100))
  proxy.close()
  await Promise.all([sa.close(), sb.close()])
  return { toA, toB }
}

async function udxPacketSeeds () {
  const { toA, toB } = await udxCapture()
  const all = [...toB, ...toA]
  const first = (pred, what) => {
    const p = all.find(pred)
    if (!p) throw new Error(`udx: no ${what} packet captured`)
    return p
  }
  const type = (p) => p[2]
  const data = first((p) => type(p) & 0x01 && p.length < 200, 'small data')
  const sack = first((p) => type(p) & 0x04, 'SACK')
  const ack = first((p) => type(p) === 0 && p.length === 20, 'pure ack')
  const end = first((p) => type(p) & 0x02, 'END')
  const message = first((p) => type(p) & 0x08, 'MESSAGE')
  const probe = all.find((p) => p[3] > 0 && !(type(p) & 0x04))
  // The stream-driving form: the target writes magic and version itself and takes the rest.
  const drive = (packets) => b4a.concat(packets.filter((p) => p.length - 2 <= 255).map((p) => cat(p.length - 2, p.subarray(2))))
  const seeds = {
    packet_data: data,
    packet_sack: sack,
    packet_ack: ack,
    packet_end: end,
    packet_message: message,
    stream_replies: drive(toA.slice(0, 12)),
    stream_sack_then_end: drive([ack, sack, end])
  }
  if (probe) seeds.packet_probe_padding = probe
  return seeds
}

function write (outDir, target, seeds) {
  const dir = path.join(outDir, target)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, bytes] of Object.entries(seeds)) fs.writeFileSync(path.join(dir, name), bytes)
  console.log(`${target}: ${Object.keys(seeds).length} seeds`)
}

async function main () {
  const outDir = process.argv[2] || path.join(__dirname, 'corpus')
  write(outDir, 'fuzz_compact_reader', compactReaderSeeds())
  write(outDir, 'fuzz_dht_messages', dhtMessageSeeds())
  write(outDir, 'fuzz_hyperdht_messages', hyperdhtMessageSeeds())
  write(outDir, 'fuzz_key_text', keyTextSeeds())
  write(outDir, 'fuzz_secret_stream', await secretStreamSeeds())
  write(outDir, 'fuzz_tunnel_framing', await tunnelFramingSeeds())
  write(outDir, 'fuzz_relay_protocol', await relayProtocolSeeds())
  write(outDir, 'fuzz_udx_packet', await udxPacketSeeds())
}

main().then(() => process.exit(0), (err) => {
  console.error(err)
  process.exit(1)
})
