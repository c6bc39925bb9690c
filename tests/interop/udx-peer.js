'use strict'
// The udx-native side of the UDX interop test. Protocol on stdio, one JSON object per line:
//   out {"port": P}                 our UDP socket on 127.0.0.1
//   in  {"port": P, "id": I, "remoteId": R, "bytes": N}
//   out {"ready": true}             stream I connected to R at 127.0.0.1:P
//   ... sends N random bytes (respecting backpressure), ends, reads until the peer ends ...
//   out {"sentSha": hex, "recvSha": hex, "recvBytes": n}   on close; exit 0
// Exit 4 on a stream error, 5 on timeout (60 s).

const UDX = require('udx-native')
const crypto = require('crypto')
const readline = require('readline')

const timer = setTimeout(() => { console.error('udx-peer: timed out'); process.exit(5) }, 60000)
const udx = new UDX()
const socket = udx.createSocket()
socket.bind(0, '127.0.0.1')
console.log(JSON.stringify({ port: socket.address().port }))

readline.createInterface({ input: process.stdin }).once('line', (line) => {
  const cfg = JSON.parse(line)
  const stream = udx.createStream(cfg.id)
  stream.connect(socket, cfg.remoteId, cfg.port, '127.0.0.1')
  const sent = crypto.createHash('sha256')
  const recv = crypto.createHash('sha256')
  let recvBytes = 0
  stream.on('data', (d) => { recv.update(d); recvBytes += d.length })
  stream.on('error', (err) => { console.error('udx-peer: stream error', err.message); process.exit(4) })
  stream.on('close', () => {
    clearTimeout(timer)
    console.log(JSON.stringify({ sentSha: sent.digest('hex'), recvSha: recv.digest('hex'), recvBytes }))
    socket.close().then(() => process.exit(0))
  })
  console.log(JSON.stringify({ ready: true }))

  let left = cfg.bytes
  const write = () => {
    while (left > 0) {
      const chunk = crypto.randomBytes(Math.min(65536, left))
      left -= chunk.length
      sent.update(chunk)
      if (!stream.write(chunk)) return stream.once('drain', write)
    }
    stream.end()
  }
  write()
})
