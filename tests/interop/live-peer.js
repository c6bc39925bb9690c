'use strict'
// The reference side of the live secret-stream test: runs @hyperswarm/secret-stream's own Noise
// handshake (pattern XX or IK) and stream over stdin/stdout with the C++ test on the other end.
//
//   node live-peer.js <initiator|responder> <XX|IK> <our seed hex> <their public key hex>
//
// After the handshake it checks the peer's key, sends js-0..js-4 and one 200000-byte message,
// echoes every message it gets back as "echo:" + message, and on "bye" answers "bye-ack" and
// ends. Exit codes: 0 done, 3 wrong remote key, 4 stream error, 5 timeout. Logs go to stderr.

const { Duplex } = require('streamx')
const b4a = require('b4a')
const NoiseSecretStream = require('@hyperswarm/secret-stream')

const [role, pattern, seedHex, remoteHex] = process.argv.slice(2)
const isInitiator = role === 'initiator'
const keyPair = NoiseSecretStream.keyPair(b4a.from(seedHex, 'hex'))
const remotePublicKey = b4a.from(remoteHex, 'hex')

class Stdio extends Duplex {
  _open (cb) {
    process.stdin.on('data', (d) => this.push(d))
    process.stdin.on('end', () => this.push(null))
    cb(null)
  }

  _write (data, cb) {
    process.stdout.write(data, cb)
  }

  _final (cb) {
    process.stdout.end(cb)
  }
}

const timer = setTimeout(() => {
  console.error('live-peer: timed out')
  process.exit(5)
}, 20000)

const opts = { keyPair, pattern }
if (isInitiator && pattern === 'IK') opts.remotePublicKey = remotePublicKey
const s = new NoiseSecretStream(isInitiator, new Stdio(), opts)

s.on('error', (err) => {
  console.error('live-peer: stream error:', err.message)
  process.exit(4)
})

s.on('open', () => {
  if (!b4a.equals(s.remotePublicKey, remotePublicKey)) {
    console.error('live-peer: unexpected remote public key', b4a.toString(s.remotePublicKey, 'hex'))
    process.exit(3)
  }
  for (let i = 0; i < 5; i++) s.write(b4a.from('js-' + i))
  const big = b4a.alloc(200000)
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255
  s.write(big)
})

s.on('data', (m) => {
  if (b4a.toString(m) === 'bye') {
    s.write(b4a.from('bye-ack'))
    s.end()
    return
  }
  s.write(b4a.concat([b4a.from('echo:'), m]))
})

s.on('close', () => {
  clearTimeout(timer)
  process.exit(0)
})
s.on('end', () => s.end())
