'use strict'
// Writes the golden vectors PeerPort's C++ code is checked against, computed by the pinned npm
// reference packages (package.json + package-lock.json beside this file).
//
//   node gen-vectors.js --out FILE      write the vectors
//   node gen-vectors.js --check FILE    regenerate and compare with FILE; exit 1 on a difference
//
// Everything is deterministic (fixed seeds, fixed Noise ephemerals) except the secret-stream
// frames, whose secretstream header is random by design; --check compares those by shape and the
// C++ test decrypts whichever set it is given.

const fs = require('fs')
const path = require('path')
const c = require('compact-encoding')
const z32 = require('z32')
const b4a = require('b4a')
const sodium = require('sodium-universal')
const crypto = require('crypto')
const hcrypto = require('hypercore-crypto')
const HyperDHT = require('hyperdht')
const { NS } = require('hyperdht/lib/constants')
const Noise = require('noise-handshake')
const curve = require('noise-curve-ed')
const NoiseSecretStream = require('@hyperswarm/secret-stream')

const hex = (b) => b4a.toString(b, 'hex')
const seed = (i) => {
  const s = b4a.alloc(32)
  sodium.crypto_generichash(s, b4a.from('peerport test seed ' + i))
  return s
}

function encodingVectors () {
  const out = []
  const add = (type, value, enc, json) => out.push({ type, value: json === undefined ? value : json, hex: hex(c.encode(enc, value)) })
  for (const n of [0, 1, 0xfc, 0xfd, 0xfe, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, 2 ** 52 - 1]) add('uint', n, c.uint)
  for (const n of [0, 0x7f, 0xff]) add('uint8', n, c.uint8)
  for (const n of [0, 0x1234, 0xffff]) add('uint16', n, c.uint16)
  for (const n of [0, 0x123456, 0xffffff]) add('uint24', n, c.uint24)
  for (const n of [0, 0x12345678, 0xffffffff]) add('uint32', n, c.uint32)
  for (const n of [0, 0x12345678]) add('uint32be', n, c.uint32be)
  for (const n of [0, 0x1122334455, 2 ** 52 - 1]) add('uint64', n, c.uint64)
  for (const b of [false, true]) add('bool', b, c.bool)
  for (const h of ['', '00', 'deadbeef', 'ab'.repeat(300)]) add('buffer', b4a.from(h, 'hex'), c.buffer, h)
  for (const s of ['', 'hello', 'blåbærsyltetøy', 'x'.repeat(253)]) add('string', s, c.string)
  add('fixed32', b4a.alloc(32, 7), c.fixed32, '07'.repeat(32))
  for (const a of [{ host: '127.0.0.1', port: 49737 }, { host: '11.0.0.5', port: 1 }, { host: '255.255.255.255', port: 65535 }]) {
    add('ipv4Address', a, c.ipv4Address)
  }
  add('uintArray', [1, 300, 70000], c.array(c.uint))
  add('ipv4Array', [{ host: '10.1.2.3', port: 80 }, { host: '1.1.1.1', port: 443 }], c.array(c.ipv4Address))
  return out
}

function keyVectors () {
  const out = []
  for (let i = 0; i < 5; i++) {
    const kp = HyperDHT.keyPair(seed(i))
    out.push({
      seed: hex(seed(i)),
      publicKey: hex(kp.publicKey),
      secretKey: hex(kp.secretKey),
      z32: z32.encode(kp.publicKey),
      url: 'hs://0000' + z32.encode(kp.publicKey)
    })
  }
  return out
}

// holesail 2.4.1 src/index.js: the server's seed is sha256(secret) and its key pair
// HyperDHT.keyPair(seed); clients in secure mode derive the same pair.
function holesailVectors () {
  const secrets = ['my secret', 'a'.repeat(64), '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'ünïcødé 🔑']
  return secrets.map((secret) => {
    const s = crypto.createHash('sha256').update(secret.toString()).digest()
    const kp = HyperDHT.keyPair(s)
    return { secret, url: 'hs://s000' + secret, seed: hex(s), publicKey: hex(kp.publicKey) }
  })
}

function namespaceVectors () {
  const ss = hcrypto.namespace('hyperswarm/secret-stream', 3)
  return {
    hyperdht: {
      ANNOUNCE: hex(NS.ANNOUNCE),
      UNANNOUNCE: hex(NS.UNANNOUNCE),
      MUTABLE_PUT: hex(NS.MUTABLE_PUT),
      PEER_HANDSHAKE: hex(NS.PEER_HANDSHAKE),
      PEER_HOLEPUNCH: hex(NS.PEER_HOLEPUNCH),
      PLUGIN: hex(NS.PLUGIN)
    },
    secretStream: { INITIATOR: hex(ss[0]), RESPONDER: hex(ss[1]), SEND: hex(ss[2]) },
    blake2b256: [
      { input: '', hex: hex(hcrypto.hash(b4a.alloc(0))) },
      { input: 'abc', hex: hex(hcrypto.hash(b4a.from('abc'))) }
    ]
  }
}

function noiseVector (pattern, prologue, base) {
  const is = HyperDHT.keyPair(seed(base))
  const rs = HyperDHT.keyPair(seed(base + 1))
  const ie = curve.generateKeyPair(seed(base + 2))
  const re = curve.generateKeyPair(seed(base + 3))
  const initiator = new Noise(pattern, true, is, { curve })
  const responder = new Noise(pattern, false, rs, { curve })
  initiator.initialise(prologue, pattern === 'IK' ? rs.publicKey : undefined)
  responder.initialise(prologue)
  initiator.e = ie
  responder.e = re

  const payloads = ['initiator payload', 'responder payload', 'initiator final payload']
  const messages = []
  let from = initiator
  let to = responder
  for (let i = 0; !initiator.complete || !responder.complete; i++) {
    const m = from.send(b4a.from(payloads[i]))
    // Recorded before recv(): the receiver keeps a view of the peer's ephemeral key inside m and
    // zeroes it when the handshake completes.
    messages.push({ payload: hex(b4a.from(payloads[i])), message: hex(m) })
    const p = to.recv(m)
    if (b4a.toString(p) !== payloads[i]) throw new Error('payload mismatch')
    ;[from, to] = [to, from]
  }
  if (!b4a.equals(initiator.tx, responder.rx)) throw new Error('split mismatch')
  const holepunchSecret = b4a.alloc(32)
  sodium.crypto_generichash(holepunchSecret, NS.PEER_HOLEPUNCH, initiator.hash)
  return {
    pattern,
    prologue: hex(prologue),
    initiatorSeed: hex(seed(base)),
    responderSeed: hex(seed(base + 1)),
    initiatorEphemeralSeed: hex(seed(base + 2)),
    responderEphemeralSeed: hex(seed(base + 3)),
    messages,
    hash: hex(initiator.hash),
    initiatorTx: hex(initiator.tx),
    initiatorRx: hex(initiator.rx),
    initiatorId: hex(NoiseSecretStream.id(initiator.hash, true)),
    responderId: hex(NoiseSecretStream.id(initiator.hash, false)),
    holepunchSecret: hex(holepunchSecret)
  }
}

// The frames a JS secret stream writes after a given handshake: its header, then messages.
async function secretStreamVector (nv) {
  const is = HyperDHT.keyPair(b4a.from(nv.initiatorSeed, 'hex'))
  const rs = HyperDHT.keyPair(b4a.from(nv.responderSeed, 'hex'))
  const handshake = {
    tx: b4a.from(nv.initiatorTx, 'hex'),
    rx: b4a.from(nv.initiatorRx, 'hex'),
    hash: b4a.from(nv.hash, 'hex'),
    publicKey: is.publicKey,
    remotePublicKey: rs.publicKey
  }
  const s = new NoiseSecretStream(true, null, { handshake })
  const chunks = []
  s.rawStream.on('data', (d) => chunks.push(b4a.from(d)))
  const plaintexts = [b4a.alloc(0), b4a.from('hello'), b4a.alloc(1000, 0x61), b4a.alloc(70000, 0x62)]
  for (const p of plaintexts) s.write(p)
  await new Promise((resolve) => setTimeout(resolve, 50))
  s.destroy()
  return {
    fromNoiseVector: 0,
    side: 'initiator',
    raw: hex(b4a.concat(chunks)),
    plaintexts: plaintexts.map(hex)
  }
}

// hyperdht 6.34 lib/messages.js encodings with every optional field present and absent.
function hyperdhtVectors () {
  const m = require('hyperdht/lib/messages')
  const a1 = { host: '11.0.0.1', port: 49737 }
  const a2 = { host: '100.64.1.2', port: 5000 }
  const key = b4a.alloc(32, 0xab)
  const cases = [
    ['handshake', m.handshake, { mode: 1, noise: b4a.from('00112233', 'hex'), peerAddress: a1, relayAddress: a2 }],
    ['handshake', m.handshake, { mode: 4, noise: b4a.alloc(80, 7), peerAddress: null, relayAddress: null }],
    ['holepunch', m.holepunch, { mode: 2, id: 300, payload: b4a.alloc(40, 3), peerAddress: a2 }],
    ['holepunch', m.holepunch, { mode: 0, id: 0, payload: b4a.alloc(0), peerAddress: null }],
    ['noisePayload', m.noisePayload, {
      version: 1,
      error: 0,
      firewall: 2,
      holepunch: { id: 5, relays: [{ relayAddress: a1, peerAddress: a2 }] },
      addresses4: [a1, a2],
      addresses6: [],
      udx: { version: 1, reusableSocket: true, id: 123456, seq: 0 },
      secretStream: {},
      relayThrough: { publicKey: key, token: b4a.alloc(32, 0xcd) },
      relayAddresses: [a1]
    }],
    ['noisePayload', m.noisePayload, { version: 1, error: 3, firewall: 0, holepunch: null, addresses4: [], addresses6: [], udx: null, secretStream: null, relayThrough: null, relayAddresses: null }],
    ['holepunchPayload', m.holepunchPayload, { error: 0, firewall: 3, round: 2, connected: true, punching: true, addresses: [a1], remoteAddress: a2, token: b4a.alloc(32, 1), remoteToken: b4a.alloc(32, 2) }],
    ['holepunchPayload', m.holepunchPayload, { error: 1, firewall: 1, round: 0, connected: false, punching: false, addresses: null, remoteAddress: null, token: null, remoteToken: null }],
    ['announce', m.announce, { peer: { publicKey: key, relayAddresses: [a1] }, refresh: b4a.alloc(32, 9), signature: b4a.alloc(64, 8), bump: 0 }],
    ['mutablePutRequest', m.mutablePutRequest, { publicKey: key, seq: 70000, value: b4a.from('hello'), signature: b4a.alloc(64, 4) }],
    ['mutableGetResponse', m.mutableGetResponse, { seq: 3, value: b4a.from('v'), signature: b4a.alloc(64, 5) }]
  ]
  return cases.map(([type, enc, value]) => ({ type, hex: hex(c.encode(enc, value)) }))
}

async function generate () {
  const noise = [
    noiseVector('IK', NS.PEER_HANDSHAKE, 10),
    noiseVector('IK', b4a.alloc(0), 20),
    noiseVector('XX', b4a.alloc(0), 30)
  ]
  const versions = {}
  for (const p of ['compact-encoding', 'z32', 'hyperdht', 'noise-handshake', 'noise-curve-ed', '@hyperswarm/secret-stream', 'hypercore-crypto', 'holesail']) {
    versions[p] = require(p + '/package.json').version
  }
  return {
    generator: 'tests/interop/gen-vectors.js',
    versions,
    encoding: encodingVectors(),
    keyPairs: keyVectors(),
    holesail: holesailVectors(),
    namespaces: namespaceVectors(),
    noise,
    hyperdht: hyperdhtVectors(),
    secretStream: await secretStreamVector(noise[0])
  }
}

async function main () {
  const [mode, file] = process.argv.slice(2)
  const v = await generate()
  if (mode === '--out') {
    fs.writeFileSync(file, JSON.stringify(v, null, 2) + '\n')
    return
  }
  if (mode === '--check') {
    const old = JSON.parse(fs.readFileSync(file, 'utf8'))
    let bad = 0
    for (const k of Object.keys(v)) {
      if (k === 'secretStream') continue
      if (JSON.stringify(v[k]) !== JSON.stringify(old[k])) {
        console.error(`vectors differ in '${k}': the checked-in ${path.basename(file)} no longer matches the pinned reference`)
        bad++
      }
    }
    const fresh = v.secretStream
    if (fresh.raw.length !== old.secretStream.raw.length || JSON.stringify(fresh.plaintexts) !== JSON.stringify(old.secretStream.plaintexts)) {
      console.error('secretStream frames differ in shape from the checked-in vectors')
      bad++
    }
    if (bad) process.exit(1)
    console.log('vectors match the pinned reference')
    return
  }
  console.error('usage: node gen-vectors.js --out FILE | --check FILE')
  process.exit(2)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
