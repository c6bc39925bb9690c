'use strict'
// The JS side of the relay interop tests (hyperdht 6.34, blind-relay 1.6.1) on a loopback DHT.
//   node relay-peer.js relay BOOT_PORT     a blind relay: blind-relay's Server on a HyperDHT
//                                          server, as hyperdht's own relaying tests build one;
//                                          prints {"event":"relay","key"} and one
//                                          {"event":"pair",...} per matched pairing
//   node relay-peer.js server BOOT_PORT    an echo server (whatever arrives goes back); prints
//                                          {"event":"listening","publicKey"}, one
//                                          {"event":"connection",...} per peer and, on its
//                                          first byte, {"event":"stream","remoteHost",
//                                          "remotePort"}: where that stream's packets come from
// Both run until stdin closes.
const HyperDHT = require('hyperdht')
const relay = require('blind-relay')

const [role, bootPort] = process.argv.slice(2)
const bootstrap = [{ host: '127.0.0.1', port: Number(bootPort) }]

function out (obj) { process.stdout.write(JSON.stringify(obj) + '\n') }
function fail (err) {
  out({ event: 'error', message: String((err && err.stack) || err) })
  process.exit(1)
}

async function main () {
  const dht = new HyperDHT({ bootstrap, host: '127.0.0.1' })
  await dht.ready()
  let server
  if (role === 'relay') {
    const relayServer = new relay.Server({
      createStream (opts) {
        return dht.createRawStream({ ...opts, framed: true })
      }
    })
    server = dht.createServer({ shareLocalAddress: false }, (socket) => {
      const session = relayServer.accept(socket, { id: socket.remotePublicKey })
      session.on('error', () => {})
      session.on('pair', (isInitiator) => {
        out({ event: 'pair', initiator: isInitiator, matched: relayServer.stats.pairings.matched })
      })
    })
    await server.listen()
    out({ event: 'relay', key: server.publicKey.toString('hex') })
  } else if (role === 'server') {
    server = dht.createServer((socket) => {
      const rs = socket.rawStream
      out({ event: 'connection', remoteHost: rs && rs.remoteHost, remotePort: rs && rs.remotePort })
      // A relayed raw stream is connected to the relay only once both halves paired, after this
      // callback: the first byte is when its far end says which path the data takes.
      socket.once('data', () => {
        const raw = socket.rawStream
        out({ event: 'stream', remoteHost: raw && raw.remoteHost, remotePort: raw && raw.remotePort })
      })
      socket.on('error', () => {})
      socket.pipe(socket)
    })
    await server.listen()
    out({ event: 'listening', publicKey: server.publicKey.toString('hex') })
  } else {
    throw new Error('usage: relay-peer.js relay|server BOOT_PORT')
  }
  process.stdin.resume()
  process.stdin.on('end', () => {
    server.close().then(() => dht.destroy()).finally(() => process.exit(0))
  })
}

main().catch(fail)
