'use strict'
// The JS reference (hyperdht 6.34 from tests/interop/node_modules) inside the NAT lab.
//   node js-peer.js boot HOST:PORT...            persistent bootstrap nodes, the first starting a
//                                                 new network, the others joining it; prints
//                                                 {"event":"ready"} and runs until killed
//   node js-peer.js server SEED BOOTSTRAP         an echo server listening on the key pair of
//                                                 SEED (64 hex); prints {"event":"listening",...}
//   node js-peer.js client KEY BOOTSTRAP BYTES    connects to KEY (64 hex), sends BYTES random
//                                                 bytes, checks they come back; prints one line
//                                                 {connected, ms, ttfbMs, bytes, path, error, ...}
//                                                 and exits
//   node js-peer.js relay SEED BOOTSTRAP          a blind relay (blind-relay 1.6.1) on the key
//                                                 pair of SEED; prints {"event":"relay","key":...}
//                                                 once announced, as `peerport-cli node --relay`
// BOOTSTRAP is host:port[,host:port...]. Exit codes: 0 done, 1 failure, 5 timed out.
// Client environment: LAB_RELAY_THROUGH=HEX[,HEX] hands the relays to hyperdht as relayThrough;
// LAB_RELAY_HOST=IP is the relays' address, from which the client tells "relayed" from "direct".
const path = require('path')
const { createRequire } = require('module')
const ref = createRequire(path.join(__dirname, '..', 'interop', 'package.json'))

// hyperdht 6.34 decides HOLEPUNCH_DOUBLE_RANDOMIZED_NATS in probeRound, but its abort() destroys
// the puncher first, whose onabort fails the socket with HOLEPUNCH_ABORTED: the socket's error
// hides the decision. So the client also reports every DHTError the reference constructed, in
// order ("reasons"), by wrapping the error factories before hyperdht takes its copies of them.
// This only observes; no behaviour changes.
const DHTError = ref('hyperdht/lib/errors')
const reasons = []
for (const name of Object.getOwnPropertyNames(DHTError)) {
  const factory = DHTError[name]
  if (typeof factory !== 'function' || !/^[A-Z_]+$/.test(name)) continue
  DHTError[name] = function (...args) {
    if (!reasons.includes(name)) reasons.push(name)
    return factory.apply(this, args)
  }
}
const HyperDHT = ref('hyperdht')
const BlindRelay = ref('blind-relay')
const b4a = ref('b4a')
const crypto = require('crypto')

const [mode, ...args] = process.argv.slice(2)
const CLIENT_TIMEOUT_MS = Number(process.env.LAB_CLIENT_TIMEOUT_MS || 60000)

function parseNodes (list) {
  return list.split(',').filter(Boolean).map((s) => {
    const [host, port] = s.split(':')
    return { host, port: Number(port) }
  })
}

function out (obj) { process.stdout.write(JSON.stringify(obj) + '\n') }

// A clean close can wait on DHT requests for seconds; lab.sh down sends KILL 3 s after TERM,
// which the matrix would report as a killed job, so the close gets 1.5 s.
function onSignal (stop) {
  const onsignal = () => {
    setTimeout(() => process.exit(0), 1500).unref()
    stop()
  }
  process.on('SIGTERM', onsignal)
  process.on('SIGINT', onsignal)
}

// A relayed stream's far end is the relay's UDP socket, a direct one's the peer (or its NAT).
// No lab peer owns the relay's address, so the address alone tells the path apart.
function pathOf (raw) {
  const relayHost = process.env.LAB_RELAY_HOST || ''
  if (!raw || !raw.remoteHost) return null
  return relayHost && raw.remoteHost === relayHost ? 'relayed' : 'direct'
}

// What the DHT concluded about this host's network: the reference's own NAT classification.
function natView (dht) {
  return { host: dht.host, port: dht.port, firewalled: dht.firewalled, randomized: dht.randomized }
}

async function boot (addrs) {
  const nodes = parseNodes(addrs.join(','))
  const dhts = []
  for (let i = 0; i < nodes.length; i++) {
    const { host, port } = nodes[i]
    dhts.push(HyperDHT.bootstrapper(port, host, { host, bootstrap: i === 0 ? [] : [nodes[0]] }))
  }
  await Promise.all(dhts.map((d) => d.fullyBootstrapped()))
  out({ event: 'ready', nodes: dhts.map((d) => `${d.host}:${d.port}`) })
  onSignal(() => Promise.allSettled(dhts.map((d) => d.destroy())).then(() => process.exit(0)))
}

async function server (seedHex, bootstrap) {
  const dht = new HyperDHT({ bootstrap: parseNodes(bootstrap) })
  // Bootstrap (and so the public-address check) before listen() adds its own queries.
  await dht.fullyBootstrapped()
  const keyPair = HyperDHT.keyPair(b4a.from(seedHex, 'hex'))
  const srv = dht.createServer((socket) => {
    // A relayed raw stream is connected to the relay only once both sides paired, after this
    // callback, so its path is read on the first byte.
    socket.once('data', () => {
      const raw = socket.rawStream
      out({
        event: 'connection',
        remote: raw ? `${raw.remoteHost}:${raw.remotePort}` : null,
        path: pathOf(raw),
        relayPairings: dht.stats.relaying.successes,
        punches: dht.stats.punches
      })
    })
    socket.on('data', (d) => socket.write(d))
    socket.on('end', () => socket.end())
    socket.on('error', () => {})
  })
  await srv.listen(keyPair)
  out({ event: 'listening', publicKey: b4a.toString(keyPair.publicKey, 'hex'), nat: natView(dht) })
  onSignal(() => srv.close().then(() => dht.destroy()).finally(() => process.exit(0)))
}

// The npm reference relay, as hyperdht's own relay nodes run it: every DHT connection to this key
// becomes a blind-relay session (channel id: the connecting peer's key, as relay.Client.from()
// uses), and each pairing gets two raw UDX streams on this node's socket that forward to each
// other.
async function relay (seedHex, bootstrap) {
  const dht = new HyperDHT({ bootstrap: parseNodes(bootstrap) })
  await dht.fullyBootstrapped()
  const keyPair = HyperDHT.keyPair(b4a.from(seedHex, 'hex'))
  const relayServer = new BlindRelay.Server({
    createStream: (opts) => dht.createRawStream({ ...opts, framed: true })
  })
  const srv = dht.createServer((socket) => {
    const session = relayServer.accept(socket, { id: socket.remotePublicKey })
    session.on('error', () => {})
    socket.on('error', () => {})
  })
  await srv.listen(keyPair)
  out({ event: 'relay', key: b4a.toString(keyPair.publicKey, 'hex'), nat: natView(dht) })
  onSignal(() => Promise.allSettled([relayServer.close(), srv.close()])
    .then(() => dht.destroy()).finally(() => process.exit(0)))
}

async function client (keyHex, bootstrap, bytes) {
  const dht = new HyperDHT({ bootstrap: parseNodes(bootstrap) })
  const t0 = Date.now()
  const result = { connected: false, ms: null, ttfbMs: null, bytes: 0, path: null, error: null }
  const relayThrough = (process.env.LAB_RELAY_THROUGH || '').split(',').filter(Boolean)
    .map((h) => b4a.from(h, 'hex'))
  const timer = setTimeout(() => {
    result.error = result.error || 'LAB_TIMEOUT'
    out({ ...result, nat: natView(dht) })
    process.exit(5)
  }, CLIENT_TIMEOUT_MS)
  try {
    await new Promise((resolve, reject) => {
      const socket = dht.connect(b4a.from(keyHex, 'hex'),
        relayThrough.length ? { relayThrough } : {})
      const sent = crypto.createHash('sha256')
      const got = crypto.createHash('sha256')
      socket.on('error', reject)
      socket.on('open', () => {
        result.connected = true
        result.ms = Date.now() - t0
        const raw = socket.rawStream
        if (raw) result.remote = `${raw.remoteHost}:${raw.remotePort}`
        result.path = pathOf(raw)
        let left = bytes
        const write = () => {
          while (left > 0) {
            const chunk = crypto.randomBytes(Math.min(16384, left))
            left -= chunk.length
            sent.update(chunk)
            if (!socket.write(chunk)) return socket.once('drain', write)
          }
        }
        write()
      })
      socket.on('data', (d) => {
        if (result.ttfbMs === null) result.ttfbMs = Date.now() - t0
        got.update(d)
        result.bytes += d.length
        if (result.bytes >= bytes) {
          result.match = sent.digest('hex') === got.digest('hex')
          result.totalMs = Date.now() - t0
          // hyperdht keeps punching behind a relay and moves the stream when a punch lands, so
          // the path at the end is reported too.
          result.pathAtEnd = pathOf(socket.rawStream)
          socket.end()
          resolve()
        }
      })
    })
  } catch (err) {
    result.error = err.code || String(err.message)
    if (process.env.LAB_DEBUG) result.stack = String(err.stack)
  }
  clearTimeout(timer)
  result.reasons = reasons
  result.nat = natView(dht)
  out(result)
  await Promise.race([dht.destroy(), new Promise((resolve) => setTimeout(resolve, 2000))])
  process.exit(result.connected && result.match ? 0 : 1)
}

const run = mode === 'boot'
  ? boot(args)
  : mode === 'server'
    ? server(args[0], args[1])
    : mode === 'client'
      ? client(args[0], args[1], Number(args[2] || 65536))
      : mode === 'relay'
        ? relay(args[0], args[1])
        : Promise.reject(new Error('usage: js-peer.js boot|server|client|relay ...'))

run.catch((err) => {
  out({ event: 'error', connected: false, error: err.code || String(err && err.message) })
  process.exit(1)
})
